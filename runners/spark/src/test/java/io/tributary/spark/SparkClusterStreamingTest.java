package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Durations;
import io.tributary.State;
import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.function.Function2;
import io.tributary.streaming.PairDStream;
import io.tributary.streaming.StateSpec;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same streaming application, batch by batch on a manual clock, gives the same output on the
 * two-worker standalone cluster as on {@code local[2]}: word counts, windowed counts (with and
 * without an inverse function), updateStateByKey and mapWithState with their state checkpointed.
 */
@Tag("spark-cluster")
@Timeout(300)
class SparkClusterStreamingTest {
  private static final int BATCHES = 8;
  private static final Function2<List<Integer>, Optional<Integer>, Optional<Integer>> SUM =
      (values, state) -> {
        int total = state.orElse(0);
        for (int v : values) {
          total += v;
        }
        return total == 0 ? Optional.empty() : Optional.of(total);
      };

  @TempDir Path temp;

  @Test
  void wordCountsWindowsAndStateMatchLocalMode() {
    Map<String, List<List<String>>> local = run(new StreamingConf().setMaster("local[2]").setAppName("local"), temp.resolve("local"));
    Map<String, List<List<String>>> cluster = run(SparkCluster.get().conf("streaming-test"), temp.resolve("cluster"));
    assertThat(local.get("counts").get(0)).isNotEmpty();
    assertThat(local.get("state").get(BATCHES - 1)).isNotEmpty();
    for (String output : local.keySet()) {
      assertThat(cluster.get(output)).as(output).isEqualTo(local.get(output));
    }
  }

  private static List<String> batchLines(int batch) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add("w" + ((i * 7 + batch) % 13) + " w" + ((i + batch * 3) % 5) + (batch % 3 == 0 ? " rare" + batch : ""));
    }
    return lines;
  }

  /** Runs the application for {@link #BATCHES} batches; each output's batches, each sorted. */
  private static Map<String, List<List<String>>> run(StreamingConf conf, Path checkpoint) {
    Map<String, TestOutput<?>> outputs = new LinkedHashMap<>();
    try (StreamingTestDriver driver = new StreamingTestDriver(conf, Durations.seconds(1))) {
      driver.context().checkpoint(checkpoint.toString());
      TestInput<String> lines = driver.input();
      PairDStream<String, Integer> words = lines.stream()
          .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
          .mapToPair(w -> new Tuple2<>(w, 1));
      outputs.put("counts", driver.collect(words.reduceByKey(Integer::sum, 3)));
      outputs.put("window", driver.collect(words.reduceByKeyAndWindow(Integer::sum, Durations.seconds(3), Durations.seconds(1))));
      outputs.put("windowInverse", driver.collect(words.reduceByKeyAndWindow(
          Integer::sum, (a, b) -> a - b, Durations.seconds(3), Durations.seconds(1))));
      outputs.put("state", driver.collect(words.updateStateByKey(SUM)));
      var running = words.mapWithState(StateSpec.function((String w, Optional<Integer> one, State<Integer> s) -> {
        int n = (s.exists() ? s.get() : 0) + one.orElse(0);
        s.update(n);
        return new Tuple2<>(w, n);
      }));
      outputs.put("mapWithState", driver.collect(running));
      outputs.put("snapshots", driver.collect(running.stateSnapshots()));
      driver.start();
      for (int b = 0; b < BATCHES; b++) {
        lines.addBatch(batchLines(b));
        driver.advance();
      }
      assertThat(driver.failedBatches()).isEmpty();
    }
    Map<String, List<List<String>>> result = new LinkedHashMap<>();
    outputs.forEach((name, output) -> {
      List<List<String>> batches = new ArrayList<>();
      for (List<?> batch : output.batches()) {
        List<String> sorted = new ArrayList<>();
        batch.forEach(x -> sorted.add(String.valueOf(x)));
        sorted.sort(null);
        batches.add(sorted);
      }
      result.put(name, batches);
    });
    return result;
  }
}
