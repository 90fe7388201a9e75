package bench.jmh;

import bench.DataGen;
import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.internal.rdd.CombineMap;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: word count with map-side combine, the processing of every W1 batch, over 100,000 in-memory
 * lines of 10 words (W1's data, vocabulary 10,000). {@link #reduceByKeyJob} runs the whole job
 * through the public API in {@code local[2]} (flatMap, mapToPair, reduceByKey, count);
 * {@link #combineMap} folds the same 1,000,000 words into one {@link CombineMap}, the per-task map
 * of the map-side combine and of the reduce side, so the per-record combine cost shows alone;
 * {@link #hashMapMerge} is the same fold with {@code HashMap.merge}, for reference. The words of
 * the last two are split once in the setup, so their hash codes are cached (the job splits anew).
 */
@State(Scope.Benchmark)
public class ShuffleBench extends MicroBenchmark {
  private static final int LINES = 100_000;
  private static final int VOCAB = 10_000;
  private static final int WORDS = LINES * DataGen.WORDS_PER_LINE;
  private static final Integer ONE = 1;
  private static final Function<Integer, Integer> CREATE = v -> v;
  private static final Function2<Integer, Integer, Integer> MERGE = Integer::sum;

  private String[] words;
  private RddContext context;
  private Rdd<String> lines;

  @Setup
  public void setup() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataGen.writeLines(out, LINES, VOCAB, DataGen.DEFAULT_SEED);
    List<String> input = List.of(out.toString(StandardCharsets.US_ASCII).split("\n"));
    words = input.stream().flatMap(l -> Arrays.stream(l.split(" "))).toArray(String[]::new);
    context = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("jmh-shuffle"));
    lines = context.parallelize(input);
  }

  @TearDown
  public void close() {
    context.close();
  }

  /** One word-count job over all lines: time per job. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long reduceByKeyJob() {
    return lines.flatMap(l -> Arrays.asList(l.split(" ")).iterator())
        .mapToPair(w -> new Tuple2<>(w, 1))
        .reduceByKey(Integer::sum)
        .count();
  }

  /** Time per word folded into a {@link CombineMap}. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(WORDS)
  public CombineMap<String, Integer> combineMap() throws Exception {
    CombineMap<String, Integer> map = new CombineMap<>();
    for (String w : words) {
      map.combine(w, ONE, CREATE, MERGE);
    }
    return map;
  }

  /** Time per word folded into a {@code HashMap} with {@code merge}: the plain Java reference. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(WORDS)
  public Map<String, Integer> hashMapMerge() {
    Map<String, Integer> map = new HashMap<>();
    for (String w : words) {
      map.merge(w, ONE, Integer::sum);
    }
    return map;
  }
}
