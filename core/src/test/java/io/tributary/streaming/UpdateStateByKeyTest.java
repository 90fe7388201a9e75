package io.tributary.streaming;

import io.tributary.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.Tuple3;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.rdd.PairRdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PairDStream#updateStateByKey}: per-key state carried from batch to batch. */
class UpdateStateByKeyTest {
  @TempDir Path checkpointDir;
  private StreamingTestDriver driver;
  private TestInput<Tuple2<String, Integer>> in;
  private PairDStream<String, Integer> pairs;

  /** Running sum: the batch's values added to the previous sum. */
  static final Function2<List<Integer>, Optional<Integer>, Optional<Integer>> SUM =
      (values, state) -> {
        int sum = state.orElse(0);
        for (int v : values) {
          sum += v;
        }
        return Optional.of(sum);
      };

  @BeforeEach
  void newDriver() {
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

  /** Puts keys with an even first letter in partition 0, the others in partition 1. */
  static final class FirstLetterParity extends Partitioner {
    @Override
    public int numPartitions() {
      return 2;
    }

    @Override
    public int getPartition(Object key) {
      return ((String) key).charAt(0) % 2 == 0 ? 0 : 1;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof FirstLetterParity;
    }

    @Override
    public int hashCode() {
      return 7;
    }
  }

  // ---------------------------------------------------------------- the update function

  @Test
  void runningCountsAccumulateAcrossBatches() {
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.updateStateByKey(SUM));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1), kv("a", 1)).addBatch(kv("a", 1)).addBatch().addBatch(kv("c", 5), kv("b", 2));
    driver.advance(4);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 2), kv("b", 1));
    assertThat(out.batch(1)).containsExactlyInAnyOrder(kv("a", 3), kv("b", 1));
    assertThat(out.batch(2)).containsExactlyInAnyOrder(kv("a", 3), kv("b", 1));
    assertThat(out.batch(3)).containsExactlyInAnyOrder(kv("a", 3), kv("b", 3), kv("c", 5));
  }

  @Test
  void theFunctionSeesAllValuesOfTheBatchAndIsCalledForKeysWithoutNewData() {
    // state = "batches since the key last had data", values joined into the first call
    TestOutput<Tuple2<String, String>> out =
        driver.collect(
            pairs.<String>updateStateByKey(
                (values, state) ->
                    Optional.of(values.isEmpty()
                        ? "idle" + (state.get().startsWith("idle") ? Integer.parseInt(state.get().substring(4)) + 1 : 1)
                        : "got" + values.stream().sorted().toList())));
    driver.start();
    in.addBatch(kv("a", 2), kv("a", 1), kv("b", 3)).addBatch(kv("b", 4)).addBatch();
    driver.advance(3);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("a", "got[1, 2]"), Tuple2.of("b", "got[3]"));
    assertThat(out.batch(1)).containsExactlyInAnyOrder(Tuple2.of("a", "idle1"), Tuple2.of("b", "got[4]"));
    assertThat(out.batch(2)).containsExactlyInAnyOrder(Tuple2.of("a", "idle2"), Tuple2.of("b", "idle1"));
  }

  @Test
  void returningEmptyRemovesTheKeyAndLaterDataStartsItAfresh() {
    // a negative value removes the key
    PairDStream<String, Integer> state =
        pairs.updateStateByKey(
            (values, old) -> values.stream().anyMatch(v -> v < 0) ? Optional.empty() : SUM.call(values, old));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1)).addBatch(kv("a", -1)).addBatch().addBatch(kv("a", 5));
    driver.advance(4);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 1), kv("b", 1));
    assertThat(out.batch(1)).containsExactly(kv("b", 1));
    assertThat(out.batch(2)).containsExactly(kv("b", 1));
    assertThat(out.batch(3)).containsExactlyInAnyOrder(kv("a", 5), kv("b", 1));
  }

  @Test
  void keysWithNeitherStateNorDataAreNeverPassedToTheFunction() {
    // returning empty for a key without values and without state never creates it
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.<Integer>updateStateByKey((values, old) -> values.isEmpty() ? Optional.empty() : Optional.of(values.size())));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch().addBatch(kv("b", 1), kv("b", 1));
    driver.advance(3);
    assertThat(out.batches()).containsExactly(List.of(kv("a", 1)), List.of(), List.of(kv("b", 2)));
  }

  @Test
  void emptyBatchesKeepTheStateAndAnEmptyFirstBatchHasNone() {
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.updateStateByKey(SUM));
    driver.start();
    in.addBatch().addBatch(kv("x", 7)).addBatch().addBatch();
    driver.advance(4);
    assertThat(out.batches()).containsExactly(List.of(), List.of(kv("x", 7)), List.of(kv("x", 7)), List.of(kv("x", 7)));
  }

  // ---------------------------------------------------------------- partitioning

  @Test
  void numPartitionsGivesTheStateThatManyHashPartitions() {
    PairDStream<String, Integer> state = pairs.updateStateByKey(SUM, 3);
    TestOutput<List<Tuple2<String, Integer>>> parts = driver.collect(state.glom());
    List<Optional<Partitioner>> partitioners = new ArrayList<>();
    state.foreachRDD(rdd -> partitioners.add(rdd.partitioner()));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1), kv("c", 1), kv("d", 1), kv("e", 1));
    driver.advance();
    List<List<Tuple2<String, Integer>>> batch = parts.batch(0);
    assertThat(batch).hasSize(3);
    HashPartitioner hash = new HashPartitioner(3);
    for (int p = 0; p < 3; p++) {
      for (Tuple2<String, Integer> kv : batch.get(p)) {
        assertThat(hash.getPartition(kv._1())).as("partition of %s", kv._1()).isEqualTo(p);
      }
    }
    assertThat(batch.stream().mapToInt(List::size).sum()).isEqualTo(5);
    assertThat(partitioners).containsExactly(Optional.of(hash));
  }

  @Test
  void aPartitionerPlacesEachKeyWhereItSaysInEveryBatch() {
    TestOutput<List<Tuple2<String, Integer>>> parts =
        driver.collect(pairs.updateStateByKey(SUM, new FirstLetterParity()).glom());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2)).addBatch(kv("c", 3), kv("b", 1));
    driver.advance(2);
    // 'b' is 98 (even), 'a' 97 and 'c' 99 are odd
    assertThat(parts.batch(0)).containsExactly(List.of(kv("b", 2)), List.of(kv("a", 1)));
    assertThat(parts.batch(1).get(0)).containsExactly(kv("b", 3));
    assertThat(parts.batch(1).get(1)).containsExactlyInAnyOrder(kv("a", 1), kv("c", 3));
  }

  @Test
  void anInitialStateIsThereBeforeTheFirstBatch() {
    PairRdd<String, Integer> initial =
        driver.context().rddContext().parallelizePairs(List.of(kv("a", 10), kv("z", 5)), 3);
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.updateStateByKey(SUM, new HashPartitioner(2), initial));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1)).addBatch();
    driver.advance(2);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 11), kv("b", 1), kv("z", 5));
    assertThat(out.batch(1)).containsExactlyInAnyOrder(kv("a", 11), kv("b", 1), kv("z", 5));
  }

  // ---------------------------------------------------------------- partition-iterator form

  /** Sums per key; keys whose sum passes 10 are left out, which removes them. */
  static final Function<Iterator<Tuple3<String, List<Integer>, Optional<Integer>>>, Iterator<Tuple2<String, Integer>>>
      SUM_UP_TO_TEN =
          it -> {
            List<Tuple2<String, Integer>> out = new ArrayList<>();
            while (it.hasNext()) {
              Tuple3<String, List<Integer>, Optional<Integer>> t = it.next();
              int sum = SUM.call(t._2(), t._3()).get();
              if (sum <= 10) {
                out.add(Tuple2.of(t._1(), sum));
              }
            }
            return out.iterator();
          };

  @Test
  void thePartitionIteratorFormSeesEveryKeyAndItsOutputIsTheNewState() {
    PairDStream<String, Integer> state = pairs.updateStateByKey(SUM_UP_TO_TEN, new HashPartitioner(2), true);
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    List<Optional<Partitioner>> partitioners = new ArrayList<>();
    state.foreachRDD(rdd -> partitioners.add(rdd.partitioner()));
    driver.start();
    in.addBatch(kv("a", 4), kv("b", 9)).addBatch(kv("a", 4), kv("b", 2)).addBatch(kv("a", 4)).addBatch(kv("b", 1));
    driver.advance(4);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 4), kv("b", 9));
    assertThat(out.batch(1)).containsExactly(kv("a", 8)); // b passed 10: left out, removed
    assertThat(out.batch(2)).isEmpty(); // a passed 10
    assertThat(out.batch(3)).containsExactly(kv("b", 1)); // b starts afresh
    assertThat(partitioners).allMatch(p -> p.equals(Optional.of(new HashPartitioner(2))));
  }

  @Test
  void thePartitionIteratorFormWithoutRememberingThePartitionerReportsNone() {
    PairDStream<String, Integer> state = pairs.updateStateByKey(SUM_UP_TO_TEN, new HashPartitioner(2), false);
    List<Optional<Partitioner>> partitioners = new ArrayList<>();
    state.foreachRDD(rdd -> partitioners.add(rdd.partitioner()));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("a", 1));
    driver.advance(2);
    assertThat(partitioners).containsExactly(Optional.empty(), Optional.empty());
    assertThat(out.batches()).containsExactly(List.of(kv("a", 1)), List.of(kv("a", 2)));
  }

  @Test
  void thePartitionIteratorFormStartsFromAnInitialState() {
    PairRdd<String, Integer> initial = driver.context().rddContext().parallelizePairs(List.of(kv("a", 9), kv("q", 3)));
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.updateStateByKey(SUM_UP_TO_TEN, new HashPartitioner(3), true, initial));
    driver.start();
    in.addBatch(kv("a", 2), kv("n", 1));
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("n", 1), kv("q", 3));
  }

  // ---------------------------------------------------------------- checkpoints and errors

  @Test
  void startFailsNamingTheStateStreamWhenNoCheckpointDirectoryIsSet() {
    try (StreamingTestDriver noCheckpoint = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<Tuple2<String, Integer>> input = noCheckpoint.input();
      noCheckpoint.collect(input.<String, Integer>pairStream().updateStateByKey(SUM));
      assertThatThrownBy(noCheckpoint::start)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("updateStateByKey")
          .hasMessageContaining("must be checkpointed")
          .hasMessageContaining("ssc.checkpoint(directory)");
    }
  }

  @Test
  void theStateIsCheckpointedEveryTenBatchesByDefaultAndItsLineageStaysShort() {
    PairDStream<String, Integer> state = pairs.updateStateByKey(SUM);
    List<Integer> depths = new ArrayList<>();
    List<Integer> checkpointedInLineage = new ArrayList<>();
    state.foreachRDD(
        rdd -> {
          depths.add(StateLineage.stateDepth(rdd));
          checkpointedInLineage.add(StateLineage.checkpointedStates(rdd));
        });
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    driver.start();
    for (int i = 0; i < 25; i++) {
      in.addBatch(kv("a", 1), kv("k" + i, i));
      driver.advance();
    }
    assertThat(state.checkpointDuration()).isEqualTo(Durations.seconds(10));
    // the state of batch 10 (t = 10 s) is the first checkpointed; from then on the chain is cut
    assertThat(depths.subList(0, 10)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(depths).allMatch(d -> d <= 11);
    assertThat(checkpointedInLineage.get(24)).isEqualTo(1);
    assertThat(StateLineage.checkpointFiles(checkpointDir)).isGreaterThanOrEqualTo(2);
    assertThat(out.batch(24)).contains(kv("a", 25), kv("k0", 0), kv("k24", 24)).hasSize(26);
  }

  @Test
  void checkpointOnTheResultSetsTheIntervalOfTheState() {
    PairDStream<String, Integer> state = pairs.updateStateByKey(SUM).checkpoint(Durations.seconds(3));
    List<Integer> depths = new ArrayList<>();
    state.foreachRDD(rdd -> depths.add(StateLineage.stateDepth(rdd)));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    driver.start();
    for (int i = 0; i < 10; i++) {
      in.addBatch(kv("a", 1));
      driver.advance();
    }
    assertThat(state.checkpointDuration()).isEqualTo(Durations.seconds(3));
    // states at 3 s, 6 s, 9 s are checkpointed (when their batch runs): a chain then stops there
    assertThat(depths).containsExactly(1, 2, 3, 2, 3, 4, 2, 3, 4, 2);
    assertThat(out.lastBatch()).containsExactly(kv("a", 10));
  }

  @Test
  void checkpointIntervalMustBeAMultipleOfTheBatch() {
    assertThatThrownBy(() -> pairs.updateStateByKey(SUM).checkpoint(Durations.milliseconds(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("multiple");
  }

  @Test
  void argumentsAreChecked() {
    assertThatThrownBy(() -> pairs.updateStateByKey((Function2<List<Integer>, Optional<Integer>, Optional<Integer>>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("update function");
    assertThatThrownBy(() -> pairs.updateStateByKey(SUM, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numPartitions");
    assertThatThrownBy(() -> pairs.updateStateByKey(SUM, (Partitioner) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partitioner");
    assertThatThrownBy(() -> pairs.updateStateByKey(SUM, new HashPartitioner(2), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial state");
  }
}
