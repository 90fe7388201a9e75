package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.State;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.function.Function3;
import io.tributary.rdd.PairRdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairDStream#mapWithState}: a mapping with per-key state, touching only the batch's keys. */
class MapWithStateTest {
  @TempDir Path checkpointDir;
  private StreamingTestDriver driver;
  private TestInput<Tuple2<String, Integer>> in;
  private PairDStream<String, Integer> pairs;

  /** Calls of the mapping functions below (tasks run in this JVM). */
  static final AtomicInteger CALLS = new AtomicInteger();

  /** Running sum per key; emits (key, sum so far). */
  static final Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> RUNNING_SUM =
      (key, value, state) -> {
        CALLS.incrementAndGet();
        int sum = state.getOption().orElse(0) + value.orElse(0);
        state.update(sum);
        return Tuple2.of(key, sum);
      };

  /** Like {@link #RUNNING_SUM}, but a timing-out key emits (key, -last sum) and a 0 value removes the key. */
  static final Function3<String, Optional<Integer>, State<Integer>, Tuple2<String, Integer>> SUM_WITH_TIMEOUT =
      (key, value, state) -> {
        CALLS.incrementAndGet();
        if (state.isTimingOut()) {
          assertThat(value).isEmpty();
          return Tuple2.of(key, -state.get());
        }
        if (value.get() == 0) {
          state.remove();
          return Tuple2.of(key, 0);
        }
        int sum = state.getOption().orElse(0) + value.get();
        state.update(sum);
        return Tuple2.of(key, sum);
      };

  @BeforeEach
  void newDriver() {
    CALLS.set(0);
    driver = new StreamingTestDriver(Durations.seconds(1));
    driver.context().checkpoint(checkpointDir.toString());
    in = driver.input();
    pairs = in.pairStream();
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private static Tuple2<String, Integer> kv(String k, int v) {
    return Tuple2.of(k, v);
  }

  // ---------------------------------------------------------------- mapped values and snapshots

  @Test
  void eachRecordIsMappedWithTheStateOfItsKey() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 10)).addBatch(kv("a", 2), kv("a", 3)).addBatch();
    driver.advance(3);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 1), kv("b", 10));
    // records of one key are processed in order within the batch
    assertThat(out.batch(1)).containsExactly(kv("a", 3), kv("a", 6));
    assertThat(out.batch(2)).isEmpty();
  }

  @Test
  void withinABatchEachRecordOfAKeySeesTheStateTheRecordBeforeLeftEvenARemoval() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(SUM_WITH_TIMEOUT));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch(kv("a", 4), kv("b", 1))
        .addBatch(kv("a", 1), kv("b", 2), kv("a", 0), kv("b", 0), kv("a", 7), kv("c", 3), kv("c", 0));
    driver.advance(2);
    assertThat(out.batch(1)).filteredOn(kv -> kv._1().equals("a")).containsExactly(kv("a", 5), kv("a", 0), kv("a", 7));
    assertThat(out.batch(1)).filteredOn(kv -> kv._1().equals("b")).containsExactly(kv("b", 3), kv("b", 0));
    assertThat(out.batch(1)).filteredOn(kv -> kv._1().equals("c")).containsExactly(kv("c", 3), kv("c", 0));
    // removed, then updated again: the last call wins; removed for good: gone
    assertThat(snapshots.batch(1)).containsExactly(kv("a", 7));
  }

  @Test
  void stateSnapshotsHoldEveryKeysStateAfterEachBatch() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM));
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch().addBatch(kv("a", 1), kv("b", 10)).addBatch(kv("a", 2)).addBatch();
    driver.advance(4);
    assertThat(snapshots.batch(0)).isEmpty();
    assertThat(snapshots.batch(1)).containsExactlyInAnyOrder(kv("a", 1), kv("b", 10));
    assertThat(snapshots.batch(2)).containsExactlyInAnyOrder(kv("a", 3), kv("b", 10));
    assertThat(snapshots.batch(3)).containsExactlyInAnyOrder(kv("a", 3), kv("b", 10));
  }

  @Test
  void onlyTheRecordsOfTheBatchAreMappedNotTheWholeState() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM));
    driver.collect(mapped);
    List<Integer> callsPerBatch = new ArrayList<>();
    driver.start();
    List<Tuple2<String, Integer>> many = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      many.add(kv("k" + i, 1));
    }
    in.addBatch(many).addBatch(kv("k1", 1), kv("new", 1)).addBatch().addBatch(kv("k7", 1));
    for (int i = 0; i < 4; i++) {
      CALLS.set(0);
      driver.advance();
      callsPerBatch.add(CALLS.get());
    }
    assertThat(callsPerBatch).containsExactly(500, 2, 0, 1);
  }

  @Test
  void removingTheStateDropsTheKeyFromTheSnapshots() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(SUM_WITH_TIMEOUT));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2)).addBatch(kv("a", 0)).addBatch(kv("a", 4));
    driver.advance(3);
    assertThat(out.batch(1)).containsExactly(kv("a", 0));
    assertThat(snapshots.batch(1)).containsExactly(kv("b", 2));
    assertThat(out.batch(2)).containsExactly(kv("a", 4)); // starts afresh
    assertThat(snapshots.batch(2)).containsExactlyInAnyOrder(kv("a", 4), kv("b", 2));
  }

  @Test
  void theTimedFormSeesTheBatchTimeAndEmitsOnlyPresentResults() {
    // emits "key@time" only for odd values; keeps the last value as state
    StateSpec<String, Integer, Integer, String> spec =
        StateSpec.function(
            (Time time, String key, Optional<Integer> value, State<Integer> state) -> {
              state.update(value.get());
              return value.get() % 2 == 1 ? Optional.of(key + "@" + time.milliseconds()) : Optional.empty();
            });
    MapWithStateDStream<String, Integer, Integer, String> mapped = pairs.mapWithState(spec);
    TestOutput<String> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2)).addBatch(kv("b", 3));
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of("a@1000"), List.of("b@2000"));
    assertThat(snapshots.batch(1)).containsExactlyInAnyOrder(kv("a", 1), kv("b", 3));
  }

  @Test
  void anInitialStateIsSeenByTheFirstRecordsOfItsKeys() {
    PairRdd<String, Integer> initial =
        driver.context().rddContext().parallelizePairs(List.of(kv("a", 100), kv("z", 5)));
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM).initialState(initial));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1));
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 101), kv("b", 1));
    assertThat(snapshots.batch(0)).containsExactlyInAnyOrder(kv("a", 101), kv("b", 1), kv("z", 5));
  }

  // ---------------------------------------------------------------- partitioning

  @Test
  void numPartitionsGivesTheStateThatManyHashPartitions() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM).numPartitions(3));
    TestOutput<List<Tuple2<String, Integer>>> parts = driver.collect(mapped.stateSnapshots().glom());
    List<Optional<Partitioner>> partitioners = new ArrayList<>();
    mapped.stateSnapshots().foreachRDD(rdd -> partitioners.add(rdd.partitioner()));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1), kv("c", 1), kv("d", 1));
    driver.advance();
    HashPartitioner hash = new HashPartitioner(3);
    assertThat(parts.batch(0)).hasSize(3);
    for (int p = 0; p < 3; p++) {
      for (Tuple2<String, Integer> kv : parts.batch(0).get(p)) {
        assertThat(hash.getPartition(kv._1())).as("partition of %s", kv._1()).isEqualTo(p);
      }
    }
    assertThat(partitioners).containsExactly(Optional.of(hash));
  }

  @Test
  void aPartitionerPlacesEachKeyWhereItSays() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM).partitioner(new UpdateStateByKeyTest.FirstLetterParity()));
    TestOutput<List<Tuple2<String, Integer>>> parts = driver.collect(mapped.stateSnapshots().glom());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("c", 3));
    driver.advance();
    assertThat(parts.batch(0).get(0)).containsExactly(kv("b", 2));
    assertThat(parts.batch(0).get(1)).containsExactlyInAnyOrder(kv("a", 1), kv("c", 3));
  }

  // ---------------------------------------------------------------- timeouts

  @Test
  void anIdleKeyTimesOutOnceAfterTheTimeoutWithNoValue() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(SUM_WITH_TIMEOUT).timeout(Durations.seconds(3)));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    in.addBatch(kv("a", 5)); // at 1 s; idle for more than 3 s at 5 s
    driver.advance(8);
    assertThat(out.batches())
        .containsExactly(
            List.of(kv("a", 5)), List.of(), List.of(), List.of(), List.of(kv("a", -5)), List.of(), List.of(), List.of());
    assertThat(snapshots.batch(3)).containsExactly(kv("a", 5));
    assertThat(snapshots.batch(4)).isEmpty();
    assertThat(CALLS.get()).isEqualTo(2);
  }

  @Test
  void newDataForAKeyRestartsItsTimeout() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(SUM_WITH_TIMEOUT).timeout(Durations.seconds(2)));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    driver.start();
    // a: data at 1 s and 3 s, so idle from 3 s: times out at 6 s; b: data at 1 s only: times out at 4 s
    in.addBatch(kv("a", 1), kv("b", 1)).addBatch().addBatch(kv("a", 1));
    driver.advance(7);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 1), kv("b", 1));
    assertThat(out.batches().subList(1, 7))
        .containsExactly(List.of(), List.of(kv("a", 2)), List.of(kv("b", -1)), List.of(), List.of(kv("a", -2)), List.of());
  }

  @Test
  void aKeyWithDataButUnchangedStateStillRestartsItsTimeout() {
    // the function never updates after the first value: receiving data is what counts
    StateSpec<String, Integer, Integer, String> spec =
        StateSpec.function(
            (String key, Optional<Integer> value, State<Integer> state) -> {
              if (state.isTimingOut()) {
                return key + " timed out";
              }
              if (!state.exists()) {
                state.update(value.get());
              }
              return key + " seen";
            });
    TestOutput<String> out = driver.collect(pairs.mapWithState(spec.timeout(Durations.seconds(2))));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("a", 2)).addBatch(kv("a", 3));
    driver.advance(6);
    assertThat(out.batches())
        .containsExactly(
            List.of("a seen"), List.of("a seen"), List.of("a seen"), List.of(), List.of(), List.of("a timed out"));
  }

  @Test
  void updatingAStateThatIsTimingOutFailsTheBatchWithAClearError() {
    StateSpec<String, Integer, Integer, Integer> spec =
        StateSpec.function(
            (String key, Optional<Integer> value, State<Integer> state) -> {
              state.update(value.orElse(0));
              return 0;
            });
    List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
    pairs.mapWithState(spec.timeout(Durations.seconds(1)))
        .foreachRDD(
            rdd -> {
              try {
                rdd.count();
              } catch (RuntimeException e) {
                errors.add(e);
              }
            });
    driver.start();
    in.addBatch(kv("a", 1));
    driver.advance(3); // a times out at 3 s
    assertThat(errors).hasSize(1);
    Throwable root = errors.get(0);
    while (root.getCause() != null) {
      root = root.getCause();
    }
    assertThat(root).isInstanceOf(IllegalStateException.class).hasMessageContaining("timing out");
  }

  // ---------------------------------------------------------------- checkpoints and errors

  @Test
  void startFailsNamingTheStateStreamWhenNoCheckpointDirectoryIsSet() {
    try (StreamingTestDriver noCheckpoint = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<Tuple2<String, Integer>> input = noCheckpoint.input();
      noCheckpoint.collect(input.<String, Integer>pairStream().mapWithState(StateSpec.function(RUNNING_SUM)));
      assertThatThrownBy(noCheckpoint::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("mapWithState")
          .hasMessageContaining("must be checkpointed")
          .hasMessageContaining("ssc.checkpoint(directory)");
    }
  }

  @Test
  void theStateIsCheckpointedEveryTenBatchesAndTheMappedValuesStayRight() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM));
    List<Integer> depths = new ArrayList<>();
    mapped.foreachRDD(rdd -> depths.add(StateLineage.stateDepth(rdd)));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(mapped);
    TestOutput<Tuple2<String, Integer>> snapshots = driver.collect(mapped.stateSnapshots());
    driver.start();
    for (int i = 0; i < 23; i++) {
      in.addBatch(kv("a", 1));
      driver.advance();
    }
    assertThat(mapped.checkpointDuration()).isEqualTo(Durations.seconds(10));
    assertThat(depths.subList(0, 12)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 2, 3);
    assertThat(depths).allMatch(d -> d <= 11);
    assertThat(StateLineage.checkpointFiles(checkpointDir)).isEqualTo(2);
    assertThat(out.lastBatch()).containsExactly(kv("a", 23));
    assertThat(snapshots.lastBatch()).containsExactly(kv("a", 23));
  }

  @Test
  void checkpointOnTheMappedStreamOrTheSnapshotsSetsTheIntervalOfTheState() {
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> mapped =
        pairs.mapWithState(StateSpec.function(RUNNING_SUM));
    mapped.checkpoint(Durations.seconds(4));
    assertThat(mapped.checkpointDuration()).isEqualTo(Durations.seconds(4));
    PairDStream<String, Integer> snapshots = mapped.stateSnapshots().checkpoint(Durations.seconds(2));
    assertThat(mapped.checkpointDuration()).isEqualTo(Durations.seconds(2));
    assertThat(snapshots.checkpointDuration()).isEqualTo(Durations.seconds(2));
    List<Integer> depths = new ArrayList<>();
    snapshots.foreachRDD(rdd -> depths.add(StateLineage.stateDepth(rdd)));
    driver.collect(mapped);
    driver.start();
    driver.advance(5);
    assertThat(depths).containsExactly(1, 2, 2, 3, 2);
  }

  @Test
  void stateSpecArgumentsAreChecked() {
    assertThatThrownBy(() -> StateSpec.function((Function3<String, Optional<Integer>, State<Integer>, Integer>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mapping function");
    StateSpec<String, Integer, Integer, Tuple2<String, Integer>> spec = StateSpec.function(RUNNING_SUM);
    assertThatThrownBy(() -> spec.numPartitions(0)).hasMessageContaining("numPartitions");
    assertThatThrownBy(() -> spec.partitioner(null)).hasMessageContaining("partitioner");
    assertThatThrownBy(() -> spec.initialState(null)).hasMessageContaining("initial state");
    assertThatThrownBy(() -> spec.timeout(Durations.seconds(0))).hasMessageContaining("timeout must be positive");
    assertThatThrownBy(() -> pairs.mapWithState(null)).hasMessageContaining("state spec");
  }
}
