package bench.jmh;

import io.tributary.Tuple2;
import io.tributary.Time;
import io.tributary.streaming.internal.state.StateMap;
import io.tributary.streaming.internal.state.StateUpdater;
import io.tributary.streaming.internal.state.StateUpdaters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH: the per-batch state update of {@code updateStateByKey} and {@code mapWithState} (W3U, W3M)
 * on a {@link StateMap} of 1,000,000 word keys, each operation one batch of 10,000 keys drawn at
 * random. {@link #updateKeys} is the copy-on-write layering alone: {@code copy()} a new layer, then
 * {@code get} and {@code put} each key of the batch, as {@code mapWithState} does per record; the
 * chain grows a layer per batch and is compacted every {@code deltaChainThreshold} batches, so the
 * score (per key) includes that compaction amortized. {@link #updateStateByKey} runs the real
 * {@code updateStateByKey} updater with W3U's function over the same batches: it also visits
 * every key of the state, as Spark's does, so its score is per batch.
 */
@State(Scope.Benchmark)
public class StateMapBench extends MicroBenchmark {
  private static final int KEYS = 1_000_000;
  private static final int BATCH = 10_000;
  private static final int BATCHES = 16;

  /** {@code streaming.sessionByKey.deltaChainThreshold}, default 20. */
  @Param("20")
  public int deltaChainThreshold;

  private String[] keys;
  private List<List<Tuple2<String, Long>>> batches;
  private StateUpdater<String, Long, Long, Object> updater;
  private StateMap<String, Long> state;
  private long time;

  @Setup
  public void setup() {
    keys = new String[KEYS];
    state = new StateMap<>(deltaChainThreshold);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "w" + i;
      state.put(keys[i], 1L, 0);
    }
    SplittableRandom rnd = new SplittableRandom(42);
    batches = new ArrayList<>();
    for (int b = 0; b < BATCHES; b++) {
      List<Tuple2<String, Long>> batch = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        batch.add(new Tuple2<>(keys[rnd.nextInt(KEYS)], 1L));
      }
      batches.add(batch);
    }
    updater = StateUpdaters.updateStateByKey((List<Long> vs, Optional<Long> s) -> {
      long t = s.orElse(0L);
      for (Long v : vs) {
        t += v;
      }
      return Optional.of(t);
    });
  }

  /** Time per key: a new layer over the state, then get and put of each key of the batch. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(BATCH)
  public StateMap<String, Long> updateKeys() {
    StateMap<String, Long> next = state.copy();
    long now = ++time;
    for (Tuple2<String, Long> kv : batches.get((int) (now % BATCHES))) {
      Long s = next.get(kv._1());
      next.put(kv._1(), s == null ? kv._2() : s + kv._2(), now);
    }
    return state = next;
  }

  /** Time per batch of the {@code updateStateByKey} updater over the whole state. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public StateMap<String, Long> updateStateByKey() throws Exception {
    long now = ++time;
    state = updater.update(new Time(now), state, batches.get((int) (now % BATCHES)).iterator()).stateMap();
    return state;
  }
}
