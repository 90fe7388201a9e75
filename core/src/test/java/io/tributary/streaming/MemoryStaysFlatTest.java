package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A long-running application keeps a bounded amount of batch data, however many batches ran. */
class MemoryStaysFlatTest {
  private static final int BATCHES = 3000;
  /** Datasets a stream may keep with the default remember duration (one batch). */
  private static final int MAX_REMEMBERED = 3;

  private static void assertBounded(StreamingContext ssc, Time after) {
    for (DStreamLike<?, ?, ?> stream : ssc.runtime().graph().streams()) {
      assertThat(stream.rememberedCount())
          .as("datasets remembered by %s after batch %s", stream, after)
          .isLessThanOrEqualTo(MAX_REMEMBERED);
    }
    assertThat(ssc.runtime().blockTracker().allocatedBatchCount())
        .as("batches with block allocations kept after batch %s", after)
        .isLessThanOrEqualTo(MAX_REMEMBERED);
  }

  @Test
  @Timeout(60)
  void thousandsOfBatchesLeaveOnlyAFewDatasetsRememberedPerStream() {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<String> in = driver.input();
      TestOutput<Tuple2<String, Integer>> counts =
          driver.collect(
              in.stream().map(s -> s.toLowerCase()).mapToPair(w -> Tuple2.of(w, 1)).reduceByKey(Integer::sum));
      StreamingContext ssc = driver.context();
      driver.start();
      Time last = null;
      for (int i = 0; i < BATCHES; i++) {
        in.addBatch("A", "b", "a");
        last = driver.advance();
        if (i % 1000 == 999) {
          assertBounded(ssc, last);
        }
      }
      assertThat(last).isEqualTo(new Time(BATCHES * 1000L));
      assertBounded(ssc, last);
      assertThat(counts.batches()).hasSize(BATCHES);
      assertThat(counts.lastBatch()).containsExactlyInAnyOrder(Tuple2.of("a", 2), Tuple2.of("b", 1));
    }
  }

  @Test
  void rememberKeepsOlderBatchesButStillABoundedNumber() {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.context().remember(Durations.seconds(5));
      TestInput<Integer> in = driver.input();
      DStream<Integer> doubled = in.stream().map(x -> x * 2);
      driver.collect(doubled);
      driver.start();
      for (int i = 1; i <= 50; i++) {
        in.addBatch(i);
        driver.advance();
      }
      // the last 5 seconds of batches (46..50) are all still there
      List<List<Integer>> recent =
          doubled.slice(new Time(46_000), new Time(50_000)).stream().map(Rdd::collect).toList();
      assertThat(recent).containsExactly(List.of(92), List.of(94), List.of(96), List.of(98), List.of(100));
      var graph = driver.context().runtime().graph();
      for (DStreamLike<?, ?, ?> stream : graph.streams()) {
        if (graph.outputs().contains(stream)) {
          continue; // output operations make no datasets
        }
        assertThat(stream.rememberedCount()).as("datasets remembered by %s", stream).isBetween(5, 7);
      }
    }
  }

  @Test
  void persistedDatasetsAreUnpersistedOnceNoLongerRemembered() {
    List<Rdd<Integer>> seen = new CopyOnWriteArrayList<>();
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<Integer> in = driver.input();
      DStream<Integer> cached = in.stream().map(x -> x + 1).persist(StorageLevel.MEMORY_ONLY);
      cached.foreachRDD(rdd -> {
        rdd.count();
        seen.add(rdd);
      });
      driver.start();
      for (int i = 0; i < 10; i++) {
        in.addBatch(i);
        driver.advance();
      }
      assertThat(seen).hasSize(10);
      assertThat(seen.subList(0, 10 - MAX_REMEMBERED))
          .allSatisfy(rdd -> assertThat(rdd.getStorageLevel()).isEqualTo(StorageLevel.NONE));
      assertThat(seen.get(9).getStorageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY);
    }
  }
}
