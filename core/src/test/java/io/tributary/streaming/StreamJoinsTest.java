package io.tributary.streaming;

import io.tributary.Durations;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The join family of {@link PairDStream}: each batch of the left stream joined with the same batch
 * of the right one. Left batch: a=1, a=2, b=3 (c only on the right); right batch: a=x, c=y.
 */
class StreamJoinsTest {
  private StreamingTestDriver driver;
  private TestInput<Tuple2<String, Integer>> left;
  private TestInput<Tuple2<String, String>> right;
  private PairDStream<String, Integer> lefts;
  private PairDStream<String, String> rights;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
    left = driver.input();
    right = driver.input();
    lefts = left.pairStream();
    rights = right.pairStream();
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private void feedFirstBatch() {
    left.addBatch(Tuple2.of("a", 1), Tuple2.of("a", 2), Tuple2.of("b", 3));
    right.addBatch(Tuple2.of("a", "x"), Tuple2.of("c", "y"));
  }

  private static <A, B> Tuple2<A, B> t(A a, B b) {
    return Tuple2.of(a, b);
  }

  private static <T> List<T> sorted(Iterable<T> values) {
    List<T> list = new ArrayList<>();
    values.forEach(list::add);
    list.sort(null);
    return list;
  }

  /** Each batch's partition count. */
  private <T> TestOutput<Integer> partitionCounts(DStreamLike<T, ?, ?> stream) {
    return driver.collect(stream.transform(rdd -> rdd.context().parallelize(List.of(rdd.numPartitions()), 1)));
  }

  // ---------------------------------------------------------------- join

  @Test
  void joinPairsEveryValueOfAKeyOnBothSidesAndDropsKeysMissingOnEitherSide() {
    TestOutput<Tuple2<String, Tuple2<Integer, String>>> out = driver.collect(lefts.join(rights));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(t("a", t(1, "x")), t("a", t(2, "x")));
  }

  @Test
  void joinOnlyMatchesKeysOfTheSameBatch() {
    TestOutput<Tuple2<String, Tuple2<Integer, String>>> out = driver.collect(lefts.join(rights));
    driver.start();
    left.addBatch(Tuple2.of("a", 1)).addBatch();
    right.addBatch().addBatch(Tuple2.of("a", "x"));
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(), List.of());
  }

  @Test
  void joinWithPartitionCountUsesThatManyPartitions() {
    TestOutput<Integer> parts = partitionCounts(lefts.join(rights, 3));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(parts.batch(0)).containsExactly(3);
  }

  @Test
  void joinWithPartitionerUsesItsPartitions() {
    TestOutput<Tuple2<String, Tuple2<Integer, String>>> out =
        driver.collect(lefts.join(rights, new HashPartitioner(4)));
    TestOutput<Integer> parts = partitionCounts(lefts.join(rights, new HashPartitioner(4)));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(t("a", t(1, "x")), t("a", t(2, "x")));
    assertThat(parts.batch(0)).containsExactly(4);
  }

  // ---------------------------------------------------------------- outer joins

  @Test
  void leftOuterJoinKeepsEveryLeftPairWithEmptyWhenTheRightHasNoMatch() {
    TestOutput<Tuple2<String, Tuple2<Integer, Optional<String>>>> out =
        driver.collect(lefts.leftOuterJoin(rights));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0))
        .containsExactlyInAnyOrder(
            t("a", t(1, Optional.of("x"))), t("a", t(2, Optional.of("x"))), t("b", t(3, Optional.empty())));
  }

  @Test
  void leftOuterJoinWithAnEmptyRightBatchKeepsEveryLeftPair() {
    TestOutput<Tuple2<String, Tuple2<Integer, Optional<String>>>> out =
        driver.collect(lefts.leftOuterJoin(rights, 2));
    driver.start();
    left.addBatch(Tuple2.of("a", 1));
    driver.advance();
    assertThat(out.batch(0)).containsExactly(t("a", t(1, Optional.empty())));
  }

  @Test
  void rightOuterJoinKeepsEveryRightPairWithEmptyWhenTheLeftHasNoMatch() {
    TestOutput<Tuple2<String, Tuple2<Optional<Integer>, String>>> out =
        driver.collect(lefts.rightOuterJoin(rights));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0))
        .containsExactlyInAnyOrder(
            t("a", t(Optional.of(1), "x")), t("a", t(Optional.of(2), "x")), t("c", t(Optional.empty(), "y")));
  }

  @Test
  void rightOuterJoinWithPartitionerUsesItsPartitions() {
    TestOutput<Integer> parts = partitionCounts(lefts.rightOuterJoin(rights, new HashPartitioner(3)));
    TestOutput<Integer> counted = partitionCounts(lefts.rightOuterJoin(rights, 5));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(parts.batch(0)).containsExactly(3);
    assertThat(counted.batch(0)).containsExactly(5);
  }

  @Test
  void fullOuterJoinKeepsEveryKeyOfEitherSide() {
    TestOutput<Tuple2<String, Tuple2<Optional<Integer>, Optional<String>>>> out =
        driver.collect(lefts.fullOuterJoin(rights));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0))
        .containsExactlyInAnyOrder(
            t("a", t(Optional.of(1), Optional.of("x"))),
            t("a", t(Optional.of(2), Optional.of("x"))),
            t("b", t(Optional.of(3), Optional.empty())),
            t("c", t(Optional.empty(), Optional.of("y"))));
  }

  @Test
  void fullOuterJoinOfTwoEmptyBatchesIsEmpty() {
    TestOutput<Tuple2<String, Tuple2<Optional<Integer>, Optional<String>>>> out =
        driver.collect(lefts.fullOuterJoin(rights, new HashPartitioner(2)));
    TestOutput<Integer> parts = partitionCounts(lefts.fullOuterJoin(rights, 3));
    driver.start();
    driver.advance();
    assertThat(out.batch(0)).isEmpty();
    assertThat(parts.batch(0)).containsExactly(3);
  }

  @Test
  void leftOuterJoinWithPartitionerUsesItsPartitions() {
    TestOutput<Integer> parts = partitionCounts(lefts.leftOuterJoin(rights, new HashPartitioner(6)));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(parts.batch(0)).containsExactly(6);
  }

  // ---------------------------------------------------------------- cogroup

  @Test
  void cogroupGivesForEveryKeyOfEitherSideBothValueGroups() {
    TestOutput<Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>>> out =
        driver.collect(lefts.cogroup(rights));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(out.batch(0).stream().map(kv -> t(kv._1(), t(sorted(kv._2()._1()), sorted(kv._2()._2())))))
        .containsExactlyInAnyOrder(
            t("a", t(List.of(1, 2), List.of("x"))),
            t("b", t(List.of(3), List.<String>of())),
            t("c", t(List.<Integer>of(), List.of("y"))));
  }

  @Test
  void cogroupWithPartitionCountOrPartitionerUsesThoseManyPartitions() {
    TestOutput<Integer> byCount = partitionCounts(lefts.cogroup(rights, 3));
    TestOutput<Integer> byPartitioner = partitionCounts(lefts.cogroup(rights, new HashPartitioner(2)));
    driver.start();
    feedFirstBatch();
    driver.advance();
    assertThat(byCount.batch(0)).containsExactly(3);
    assertThat(byPartitioner.batch(0)).containsExactly(2);
  }

  // ---------------------------------------------------------------- argument checks

  @Test
  void joinWithANullStreamFailsNamingIt() {
    assertThatThrownBy(() -> lefts.join(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other stream");
  }

  @Test
  void joinWithAStreamOfAnotherContextFailsNamingTheProblem() {
    try (StreamingTestDriver other = new StreamingTestDriver(Durations.seconds(1))) {
      PairDStream<String, String> foreign = other.<Tuple2<String, String>>input().pairStream();
      assertThatThrownBy(() -> lefts.join(foreign))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("different StreamingContexts");
    }
  }
}
