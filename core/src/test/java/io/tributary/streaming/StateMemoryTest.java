package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.State;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Tuple2;
import io.tributary.function.Function3;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A million keys of state fit a modest heap, and {@code mapWithState} processes only the keys of
 * each batch however large the state grows. Heap is measured after GC; the numbers are printed.
 */
class StateMemoryTest {
  private static final int KEYS = 1_000_000;
  private static final int SMALL_BATCH = 1_000;
  /** More than the 20 s the state is remembered (twice its checkpoint interval): the load batch is forgotten. */
  private static final int SMALL_BATCHES = 22;
  /** Generous: surefire runs with -Xmx2g. */
  private static final long BUDGET_BYTES = 1_500L << 20;

  @TempDir Path checkpointDir;

  static final AtomicLong CALLS = new AtomicLong();

  static final Function3<String, Optional<Integer>, State<Integer>, Integer> COUNT =
      (key, value, state) -> {
        CALLS.incrementAndGet();
        int count = state.getOption().orElse(0) + value.orElse(0);
        state.update(count);
        return count;
      };

  private static long usedHeapAfterGc() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      try {
        Thread.sleep(40);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static List<Tuple2<String, Integer>> keys(int from, int to) {
    List<Tuple2<String, Integer>> batch = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      batch.add(Tuple2.of("key-" + i, 1));
    }
    return batch;
  }

  private static String mb(long bytes) {
    return (bytes >> 20) + " MB";
  }

  @Test
  void updateStateByKeyKeepsAMillionKeysWithinTheHeapBudget() {
    long baseline = usedHeapAfterGc();
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.context().checkpoint(checkpointDir.toString());
      TestInput<Tuple2<String, Integer>> in = driver.input();
      PairDStream<String, Integer> state =
          in.<String, Integer>pairStream().updateStateByKey(UpdateStateByKeyTest.SUM);
      TestOutput<Long> sizes = driver.collect(state.count());
      driver.start();
      in.addBatch(keys(0, KEYS));
      driver.advance();
      long afterLoad = usedHeapAfterGc() - baseline;
      for (int b = 0; b < SMALL_BATCHES; b++) {
        // half existing keys, half new ones
        in.addBatch(keys(b * SMALL_BATCH / 2, b * SMALL_BATCH / 2 + SMALL_BATCH / 2));
        in.addBatch(keys(KEYS + b * SMALL_BATCH / 2, KEYS + (b + 1) * SMALL_BATCH / 2));
        driver.advance(2);
      }
      long afterBatches = usedHeapAfterGc() - baseline;
      System.out.printf(
          "updateStateByKey, %d keys: heap after GC above baseline: %s after the load batch, %s after %d more batches%n",
          KEYS, mb(afterLoad), mb(afterBatches), 2 * SMALL_BATCHES);
      assertThat(sizes.batch(0)).containsExactly((long) KEYS);
      assertThat(sizes.lastBatch()).containsExactly((long) KEYS + SMALL_BATCHES * SMALL_BATCH / 2);
      assertThat(afterLoad).as("heap after loading %d keys", KEYS).isLessThan(BUDGET_BYTES);
      assertThat(afterBatches).as("heap after %d batches", 2 * SMALL_BATCHES).isLessThan(BUDGET_BYTES);
    }
  }

  @Test
  void mapWithStateProcessesOnlyTheBatchsKeysAsTheStateGrowsPastAMillion() {
    long baseline = usedHeapAfterGc();
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.context().checkpoint(checkpointDir.toString());
      TestInput<Tuple2<String, Integer>> in = driver.input();
      MapWithStateDStream<String, Integer, Integer, Integer> mapped =
          in.<String, Integer>pairStream().mapWithState(StateSpec.function(COUNT));
      TestOutput<Long> mappedCounts = driver.collect(mapped.count());
      List<Long> stateSizes = new CopyOnWriteArrayList<>();
      long lastBatchMs = (1 + SMALL_BATCHES) * 1000L;
      mapped.stateSnapshots().foreachRDD((rdd, time) -> {
        if (time.milliseconds() == 1000 || time.milliseconds() == lastBatchMs) {
          stateSizes.add(rdd.count());
        }
      });
      driver.start();
      CALLS.set(0);
      in.addBatch(keys(0, KEYS));
      driver.advance();
      assertThat(CALLS.get()).isEqualTo(KEYS);
      long afterLoad = usedHeapAfterGc() - baseline;
      List<Long> callsPerBatch = new ArrayList<>();
      for (int b = 0; b < SMALL_BATCHES; b++) {
        List<Tuple2<String, Integer>> batch = keys(b * SMALL_BATCH / 2, (b + 1) * SMALL_BATCH / 2); // existing keys
        batch.addAll(keys(KEYS + b * SMALL_BATCH / 2, KEYS + (b + 1) * SMALL_BATCH / 2)); // new keys
        in.addBatch(batch);
        CALLS.set(0);
        driver.advance();
        callsPerBatch.add(CALLS.get());
      }
      long afterBatches = usedHeapAfterGc() - baseline;
      System.out.printf(
          "mapWithState, %d keys: heap after GC above baseline: %s after the load batch, %s after %d more "
              + "batches; mapping calls per batch of %d records: %s%n",
          KEYS, mb(afterLoad), mb(afterBatches), SMALL_BATCHES, SMALL_BATCH, callsPerBatch);
      // the cost of a batch is its own records, not the state (which grows to 1,011,000 keys)
      assertThat(callsPerBatch).hasSize(SMALL_BATCHES).containsOnly((long) SMALL_BATCH);
      assertThat(mappedCounts.lastBatch()).containsExactly((long) SMALL_BATCH);
      assertThat(stateSizes).containsExactly((long) KEYS, (long) KEYS + SMALL_BATCHES * SMALL_BATCH / 2);
      assertThat(afterLoad).as("heap after loading %d keys", KEYS).isLessThan(BUDGET_BYTES);
      assertThat(afterBatches).as("heap after %d batches", SMALL_BATCHES).isLessThan(BUDGET_BYTES);
    }
  }
}
