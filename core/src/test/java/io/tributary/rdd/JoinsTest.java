package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JoinsTest extends RddContextFixture {



  private static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  /** a:1 a:2 b:3 c:4 — "c" is missing on the right. */
  private static PairRdd<String, Integer> left() {
    return sc.parallelizePairs(List.of(t("a", 1), t("b", 3), t("a", 2), t("c", 4)), 2);
  }

  /** a:x b:y b:z d:w — "d" is missing on the left. */
  private static PairRdd<String, String> right() {
    return sc.parallelizePairs(List.of(t("a", "x"), t("b", "y"), t("d", "w"), t("b", "z")), 3);
  }

  @Test
  void joinPairsEveryValueOfAKeyPresentOnBothSides() {
    assertThat(left().join(right()).collect())
        .containsExactlyInAnyOrder(
            t("a", t(1, "x")), t("a", t(2, "x")), t("b", t(3, "y")), t("b", t(3, "z")));
  }

  @Test
  void joinWithPartitionCountUsesThatManyPartitions() {
    PairRdd<String, Tuple2<Integer, String>> joined = left().join(right(), 4);
    assertThat(joined.numPartitions()).isEqualTo(4);
    assertThat(joined.partitioner()).contains(new HashPartitioner(4));
    assertThat(joined.count()).isEqualTo(4);
  }

  @Test
  void joinWithNoCommonKeysIsEmpty() {
    PairRdd<String, Integer> other = sc.parallelizePairs(List.of(t("q", 9)), 1);
    assertThat(left().join(other).collect()).isEmpty();
  }

  @Test
  void joinMatchesNullKeys() {
    PairRdd<String, Integer> l = sc.parallelizePairs(Arrays.asList(t(null, 1), t("a", 2)), 2);
    PairRdd<String, String> r = sc.parallelizePairs(Arrays.asList(t(null, "n"), t("b", "b")), 2);
    assertThat(l.join(r).collect()).containsExactly(t(null, t(1, "n")));
  }

  @Test
  void leftOuterJoinGivesEmptyForKeysMissingOnTheRight() {
    assertThat(left().leftOuterJoin(right()).collect())
        .containsExactlyInAnyOrder(
            t("a", t(1, Optional.of("x"))),
            t("a", t(2, Optional.of("x"))),
            t("b", t(3, Optional.of("y"))),
            t("b", t(3, Optional.of("z"))),
            t("c", t(4, Optional.empty())));
  }

  @Test
  void leftOuterJoinDropsKeysOnlyOnTheRight() {
    assertThat(left().leftOuterJoin(right(), 2).keys().collect()).doesNotContain("d");
  }

  @Test
  void rightOuterJoinGivesEmptyForKeysMissingOnTheLeft() {
    assertThat(left().rightOuterJoin(right()).collect())
        .containsExactlyInAnyOrder(
            t("a", t(Optional.of(1), "x")),
            t("a", t(Optional.of(2), "x")),
            t("b", t(Optional.of(3), "y")),
            t("b", t(Optional.of(3), "z")),
            t("d", t(Optional.empty(), "w")));
  }

  @Test
  void fullOuterJoinKeepsKeysOfEitherSide() {
    assertThat(left().fullOuterJoin(right(), 3).collect())
        .containsExactlyInAnyOrder(
            t("a", t(Optional.of(1), Optional.of("x"))),
            t("a", t(Optional.of(2), Optional.of("x"))),
            t("b", t(Optional.of(3), Optional.of("y"))),
            t("b", t(Optional.of(3), Optional.of("z"))),
            t("c", t(Optional.of(4), Optional.empty())),
            t("d", t(Optional.empty(), Optional.of("w"))));
  }

  @Test
  void cogroupListsTheValuesOfBothSidesForEveryKey() {
    Map<String, List<List<Object>>> groups = new HashMap<>();
    for (Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>> kv :
        left().cogroup(right()).collect()) {
      List<Object> l = new ArrayList<>();
      kv._2()._1().forEach(l::add);
      List<Object> r = new ArrayList<>();
      kv._2()._2().forEach(r::add);
      groups.put(kv._1(), List.of(l, r));
    }
    assertThat(groups).containsOnlyKeys("a", "b", "c", "d");
    assertThat(groups.get("a").get(0)).containsExactlyInAnyOrder(1, 2);
    assertThat(groups.get("a").get(1)).containsExactly("x");
    assertThat(groups.get("b").get(0)).containsExactly(3);
    assertThat(groups.get("b").get(1)).containsExactlyInAnyOrder("y", "z");
    assertThat(groups.get("c").get(0)).containsExactly(4);
    assertThat(groups.get("c").get(1)).isEmpty();
    assertThat(groups.get("d").get(0)).isEmpty();
    assertThat(groups.get("d").get(1)).containsExactly("w");
  }

  @Test
  void cogroupUsesTheGivenPartitioner() {
    HashPartitioner hash = new HashPartitioner(5);
    PairRdd<String, Tuple2<Iterable<Integer>, Iterable<String>>> grouped = left().cogroup(right(), hash);
    assertThat(grouped.partitioner()).contains(hash);
    List<List<Tuple2<String, Tuple2<Iterable<Integer>, Iterable<String>>>>> parts =
        grouped.glom().collect();
    assertThat(parts).hasSize(5);
    for (int p = 0; p < parts.size(); p++) {
      for (Tuple2<String, ?> kv : parts.get(p)) {
        assertThat(hash.getPartition(kv._1())).isEqualTo(p);
      }
    }
  }

  @Test
  void joinByDefaultUsesThePartitionCountOfTheWiderSide() {
    // left has 2 partitions, right has 3, neither is partitioned
    assertThat(left().join(right()).numPartitions()).isEqualTo(3);
  }

  @Test
  void joinByDefaultReusesThePartitionerOfAPartitionedSide() {
    HashPartitioner hash = new HashPartitioner(4);
    PairRdd<String, Integer> partitioned = left().partitionBy(hash);
    assertThat(partitioned.join(right()).partitioner()).contains(hash);
  }

  @Test
  void joinOfDatasetsPartitionedLikeTheResultDoesNotShuffleThemAgain() {
    HashPartitioner hash = new HashPartitioner(3);
    PairRdd<String, Integer> l = left().partitionBy(hash);
    PairRdd<String, String> r = right().partitionBy(hash);
    PairRdd<String, Tuple2<Integer, String>> joined = l.join(r, hash);
    // one shuffle per partitionBy, none for the join itself
    assertThat(RddTransformationsTest.shuffleCount(joined)).isEqualTo(2);
    assertThat(joined.collect())
        .containsExactlyInAnyOrder(
            t("a", t(1, "x")), t("a", t(2, "x")), t("b", t(3, "y")), t("b", t(3, "z")));
  }

  @Test
  void cogroupShufflesOnlyTheSideNotPartitionedLikeTheResult() {
    HashPartitioner hash = new HashPartitioner(2);
    PairRdd<String, Integer> l = left().partitionBy(hash);
    PairRdd<String, Optional<String>> joined =
        l.leftOuterJoin(right(), hash).mapValues(Tuple2::_2);
    assertThat(RddTransformationsTest.shuffleCount(joined)).isEqualTo(2);
    assertThat(joined.collect())
        .containsExactlyInAnyOrder(
            t("a", Optional.of("x")), t("a", Optional.of("x")), t("b", Optional.of("y")),
            t("b", Optional.of("z")), t("c", Optional.empty()));
  }

  @Test
  void joinOfAnEmptyDatasetIsEmpty() {
    PairRdd<String, Integer> empty = PairRdd.fromRdd(sc.<Tuple2<String, Integer>>emptyRdd());
    assertThat(empty.join(right()).collect()).isEmpty();
    assertThat(empty.rightOuterJoin(right()).count()).isEqualTo(4);
  }
}
