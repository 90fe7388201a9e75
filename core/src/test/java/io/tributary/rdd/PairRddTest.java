package io.tributary.rdd;

import static io.tributary.rdd.RddTransformationsTest.shuffleCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PairRddTest extends RddContextFixture {
  static final AtomicInteger MERGE_COMBINERS_CALLS = new AtomicInteger();



  @BeforeEach
  void reset() {
    MERGE_COMBINERS_CALLS.set(0);
  }

  private static <K, V> Tuple2<K, V> t(K k, V v) {
    return new Tuple2<>(k, v);
  }

  /** a:1 b:2 a:3 c:4 | b:5 a:6 (a in both slices, c only in the first). */
  private static PairRdd<String, Integer> sample() {
    return sc.parallelizePairs(
        List.of(t("a", 1), t("b", 2), t("a", 3), t("c", 4), t("b", 5), t("a", 6)), 2);
  }

  private static <K, V> Map<K, List<V>> grouped(List<Tuple2<K, Iterable<V>>> pairs) {
    Map<K, List<V>> out = new HashMap<>();
    for (Tuple2<K, Iterable<V>> kv : pairs) {
      List<V> values = new ArrayList<>();
      kv._2().forEach(values::add);
      out.put(kv._1(), values);
    }
    return out;
  }

  // ---------------------------------------------------------------- reduce / fold / aggregate

  @Test
  void reduceByKeyCombinesValuesAcrossPartitions() {
    assertThat(sample().reduceByKey(Integer::sum).collectAsMap())
        .containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  @Test
  void reduceByKeyWithPartitionCountUsesAHashPartitioner() {
    PairRdd<String, Integer> reduced = sample().reduceByKey(Integer::sum, 3);
    assertThat(reduced.numPartitions()).isEqualTo(3);
    assertThat(reduced.partitioner()).contains(new HashPartitioner(3));
    assertThat(reduced.collect()).hasSize(3);
  }

  @Test
  void reduceByKeyPlacesEachKeyInItsHashPartition() {
    HashPartitioner hash = new HashPartitioner(3);
    List<List<Tuple2<String, Integer>>> parts = sample().reduceByKey(Integer::sum, hash).glom().collect();
    for (int p = 0; p < parts.size(); p++) {
      for (Tuple2<String, Integer> kv : parts.get(p)) {
        assertThat(hash.getPartition(kv._1())).isEqualTo(p);
      }
    }
  }

  @Test
  void foldByKeyStartsEachKeyFromTheZeroValue() {
    assertThat(sample().foldByKey(0, Integer::sum).collectAsMap())
        .containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  @Test
  void foldByKeyWithMultiplicationUsesTheNeutralElement() {
    assertThat(sample().foldByKey(1, 2, (x, y) -> x * y).collectAsMap())
        .containsOnly(entry("a", 18), entry("b", 10), entry("c", 4));
  }

  @Test
  void aggregateByKeyFoldsValuesIntoADifferentType() {
    PairRdd<String, String> joined =
        sample().aggregateByKey("", (acc, v) -> acc + v, (x, y) -> x + y);
    Map<String, String> result = joined.collectAsMap();
    assertThat(result).containsOnlyKeys("a", "b", "c");
    // order of values within a key depends on partition merge order; compare sorted digits
    assertThat(sortChars(result.get("a"))).isEqualTo("136");
    assertThat(sortChars(result.get("b"))).isEqualTo("25");
    assertThat(result.get("c")).isEqualTo("4");
  }

  @Test
  void aggregateByKeyGivesEachKeyItsOwnCopyOfAMutableZero() {
    List<Integer> zero = new ArrayList<>();
    PairRdd<String, List<Integer>> lists =
        sample()
            .aggregateByKey(
                zero,
                (acc, v) -> {
                  acc.add(v);
                  return acc;
                },
                (x, y) -> {
                  x.addAll(y);
                  return x;
                });
    Map<String, List<Integer>> result = lists.collectAsMap();
    assertThat(result.get("a")).containsExactlyInAnyOrder(1, 3, 6);
    assertThat(result.get("b")).containsExactlyInAnyOrder(2, 5);
    assertThat(result.get("c")).containsExactly(4);
    assertThat(zero).isEmpty();
  }

  @Test
  void aggregateByKeyGivesEachKeyItsOwnCopyWhenAlreadyPartitioned() {
    PairRdd<String, Integer> partitioned = sample().partitionBy(new HashPartitioner(2));
    Map<String, List<Integer>> result =
        partitioned
            .aggregateByKey(
                (List<Integer>) new ArrayList<Integer>(),
                new HashPartitioner(2),
                (acc, v) -> {
                  acc.add(v);
                  return acc;
                },
                (x, y) -> {
                  x.addAll(y);
                  return x;
                })
            .collectAsMap();
    assertThat(result.get("a")).containsExactlyInAnyOrder(1, 3, 6);
    assertThat(result.get("b")).containsExactlyInAnyOrder(2, 5);
    assertThat(result.get("c")).containsExactly(4);
  }

  @Test
  void aggregateByKeyKeepsItsFunctionsSerializableSoTheLineageCanBeShipped() throws Exception {
    PairRdd<String, Integer> summed = sample().aggregateByKey(0, Integer::sum, Integer::sum);
    Dependency.Shuffle shuffle = (Dependency.Shuffle) firstShuffle(summed);
    try (java.io.ObjectOutputStream out =
        new java.io.ObjectOutputStream(new java.io.ByteArrayOutputStream())) {
      out.writeObject(shuffle.aggregator());
    }
    assertThat(summed.collectAsMap()).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  // ---------------------------------------------------------------- combineByKey

  @Test
  void combineByKeyBuildsSumAndCountPerKey() {
    PairRdd<String, int[]> sumCount =
        sample()
            .combineByKey(
                v -> new int[] {v, 1},
                (c, v) -> new int[] {c[0] + v, c[1] + 1},
                (x, y) -> new int[] {x[0] + y[0], x[1] + y[1]});
    Map<String, int[]> result = sumCount.collectAsMap();
    assertThat(result.get("a")).containsExactly(10, 3);
    assertThat(result.get("b")).containsExactly(7, 2);
    assertThat(result.get("c")).containsExactly(4, 1);
  }

  @Test
  void combineByKeyWithMapSideCombineMergesCombinersFromDifferentPartitions() {
    Map<String, Integer> result =
        sample()
            .combineByKey(
                v -> v,
                Integer::sum,
                (x, y) -> {
                  MERGE_COMBINERS_CALLS.incrementAndGet();
                  return x + y;
                },
                new HashPartitioner(2),
                true)
            .collectAsMap();
    assertThat(result).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
    // a and b each have a combiner in both map partitions: one merge each
    assertThat(MERGE_COMBINERS_CALLS.get()).isEqualTo(2);
  }

  @Test
  void combineByKeyWithoutMapSideCombineNeverMergesCombiners() {
    Map<String, Integer> result =
        sample()
            .combineByKey(
                v -> v,
                Integer::sum,
                (x, y) -> {
                  MERGE_COMBINERS_CALLS.incrementAndGet();
                  return x + y;
                },
                new HashPartitioner(2),
                false)
            .collectAsMap();
    assertThat(result).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
    assertThat(MERGE_COMBINERS_CALLS.get()).isZero();
  }

  @Test
  void combineByKeyWithoutMapSideCombineRecordsThatOnTheShuffle() {
    PairRdd<String, Integer> combined =
        sample().combineByKey(v -> v, Integer::sum, Integer::sum, new HashPartitioner(2), false);
    Dependency.Shuffle shuffle = (Dependency.Shuffle) firstShuffle(combined);
    assertThat(shuffle.mapSideCombine()).isFalse();
    assertThat(shuffle.aggregator()).isNotNull();
  }

  // ---------------------------------------------------------------- groupByKey

  @Test
  void groupByKeyCollectsAllValuesOfEachKey() {
    Map<String, List<Integer>> groups = grouped(sample().groupByKey().collect());
    assertThat(groups).containsOnlyKeys("a", "b", "c");
    assertThat(groups.get("a")).containsExactlyInAnyOrder(1, 3, 6);
    assertThat(groups.get("b")).containsExactlyInAnyOrder(2, 5);
    assertThat(groups.get("c")).containsExactly(4);
  }

  @Test
  void groupByKeyKeepsDuplicateValues() {
    PairRdd<String, Integer> dupes = sc.parallelizePairs(List.of(t("x", 1), t("x", 1), t("x", 1)), 3);
    assertThat(grouped(dupes.groupByKey(2).collect()).get("x")).containsExactly(1, 1, 1);
  }

  @Test
  void groupByKeyDoesNotCombineOnTheMapSide() {
    Dependency.Shuffle shuffle = (Dependency.Shuffle) firstShuffle(sample().groupByKey(2));
    assertThat(shuffle.mapSideCombine()).isFalse();
  }

  // ---------------------------------------------------------------- partitionBy

  @Test
  void partitionByPlacesEveryPairByThePartitioner() {
    HashPartitioner hash = new HashPartitioner(3);
    PairRdd<String, Integer> partitioned = sample().partitionBy(hash);
    assertThat(partitioned.partitioner()).contains(hash);
    List<List<Tuple2<String, Integer>>> parts = partitioned.glom().collect();
    assertThat(parts).hasSize(3);
    int total = 0;
    for (int p = 0; p < 3; p++) {
      for (Tuple2<String, Integer> kv : parts.get(p)) {
        assertThat(hash.getPartition(kv._1())).isEqualTo(p);
        total++;
      }
    }
    assertThat(total).isEqualTo(6);
  }

  @Test
  void partitionByThenReduceByKeyWithTheSamePartitionerShufflesOnce() {
    HashPartitioner hash = new HashPartitioner(2);
    PairRdd<String, Integer> reduced = sample().partitionBy(hash).reduceByKey(Integer::sum, hash);
    assertThat(shuffleCount(reduced)).isEqualTo(1);
    assertThat(reduced.partitioner()).contains(hash);
    assertThat(reduced.collectAsMap()).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  @Test
  void partitionByThenReduceByKeyWithAnotherPartitionerShufflesAgain() {
    PairRdd<String, Integer> reduced =
        sample().partitionBy(new HashPartitioner(2)).reduceByKey(Integer::sum, 3);
    assertThat(shuffleCount(reduced)).isEqualTo(2);
    assertThat(reduced.collectAsMap()).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  @Test
  void partitionByWithTheCurrentPartitionerReturnsTheSameDataset() {
    HashPartitioner hash = new HashPartitioner(2);
    PairRdd<String, Integer> once = sample().partitionBy(hash);
    assertThat(once.partitionBy(new HashPartitioner(2))).isSameAs(once);
  }

  @Test
  void reduceByKeyWithoutPartitionerReusesTheExistingOne() {
    PairRdd<String, Integer> reduced = sample().partitionBy(new HashPartitioner(3)).reduceByKey(Integer::sum);
    assertThat(shuffleCount(reduced)).isEqualTo(1);
    assertThat(reduced.collectAsMap()).containsOnly(entry("a", 10), entry("b", 7), entry("c", 4));
  }

  @Test
  void mapValuesKeepsThePartitionerSoAFollowingReduceDoesNotShuffle() {
    HashPartitioner hash = new HashPartitioner(2);
    PairRdd<String, Integer> reduced =
        sample().partitionBy(hash).mapValues(v -> v * 2).reduceByKey(Integer::sum, hash);
    assertThat(shuffleCount(reduced)).isEqualTo(1);
    assertThat(reduced.collectAsMap()).containsOnly(entry("a", 20), entry("b", 14), entry("c", 8));
  }

  @Test
  void toDebugStringShowsOneShuffleForPartitionByThenReduceByKey() {
    HashPartitioner hash = new HashPartitioner(2);
    String debug = sample().partitionBy(hash).reduceByKey(Integer::sum, hash).toDebugString();
    assertThat(debug.split("ShuffledRdd", -1)).hasSize(2);
  }

  // ---------------------------------------------------------------- values and keys

  @Test
  void mapValuesTransformsValuesKeepingKeys() {
    assertThat(sc.parallelizePairs(List.of(t("a", 1), t("b", 2)), 2).mapValues(v -> v + 0.5).collect())
        .containsExactly(t("a", 1.5), t("b", 2.5));
  }

  @Test
  void flatMapValuesEmitsOnePairPerProducedValue() {
    PairRdd<String, String> words =
        sc.parallelizePairs(List.of(t(1, "x y"), t(2, "z")), 2)
            .flatMapValues(s -> Arrays.asList(s.split(" ")).iterator())
            .mapToPair(kv -> t(kv._2(), String.valueOf(kv._1())));
    assertThat(words.collect()).containsExactly(t("x", "1"), t("y", "1"), t("z", "2"));
  }

  @Test
  void flatMapValuesDropsKeysWithNoProducedValues() {
    assertThat(
            sc.parallelizePairs(List.of(t("a", 0), t("b", 2)), 1)
                .flatMapValues(n -> java.util.Collections.nCopies(n, "v").iterator())
                .collect())
        .containsExactly(t("b", "v"), t("b", "v"));
  }

  @Test
  void keysAndValuesProjectThePairs() {
    PairRdd<String, Integer> pairs = sc.parallelizePairs(List.of(t("a", 1), t("b", 2), t("a", 3)), 2);
    assertThat(pairs.keys().collect()).containsExactly("a", "b", "a");
    assertThat(pairs.values().collect()).containsExactly(1, 2, 3);
  }

  // ---------------------------------------------------------------- sortByKey

  @Test
  void sortByKeyAscendingOrdersGloballyAcrossPartitions() {
    PairRdd<Integer, String> pairs =
        sc.parallelizePairs(
            List.of(t(5, "e"), t(3, "c"), t(9, "i"), t(1, "a"), t(7, "g"), t(2, "b"), t(8, "h"),
                t(4, "d"), t(6, "f")),
            3);
    assertThat(pairs.sortByKey(true, 3).keys().collect()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
  }

  @Test
  void sortByKeyDescendingOrdersGloballyAcrossPartitions() {
    PairRdd<Integer, String> pairs =
        sc.parallelizePairs(
            List.of(t(5, "e"), t(3, "c"), t(9, "i"), t(1, "a"), t(7, "g"), t(2, "b"), t(8, "h"),
                t(4, "d"), t(6, "f")),
            3);
    assertThat(pairs.sortByKey(false, 3).values().collect())
        .containsExactly("i", "h", "g", "f", "e", "d", "c", "b", "a");
  }

  @Test
  void sortByKeyDescendingPutsTheLargestKeysInTheFirstPartition() {
    List<Tuple2<Integer, Integer>> data = new ArrayList<>();
    for (int i = 1; i <= 200; i++) {
      data.add(t((i * 37) % 200, i));
    }
    List<List<Tuple2<Integer, Integer>>> parts =
        sc.parallelizePairs(data, 4).sortByKey(false, 4).glom().collect();
    assertThat(parts.size()).isGreaterThan(1);
    assertThat(parts.get(0)).isNotEmpty();
    assertThat(parts.get(0).get(0)._1()).isEqualTo(199);
    List<Integer> keys = new ArrayList<>();
    parts.forEach(p -> p.forEach(kv -> keys.add(kv._1())));
    List<Integer> expected = new ArrayList<>();
    for (int k = 199; k >= 0; k--) {
      expected.add(k);
    }
    assertThat(keys).isEqualTo(expected);
  }

  @Test
  void sortByKeyWithAComparatorUsesIt() {
    PairRdd<String, Integer> pairs =
        sc.parallelizePairs(List.of(t("bb", 1), t("a", 2), t("dddd", 3), t("ccc", 4)), 2);
    java.util.Comparator<String> byLength =
        (java.util.Comparator<String> & java.io.Serializable) (x, y) -> Integer.compare(x.length(), y.length());
    assertThat(pairs.sortByKey(byLength, true, 2).keys().collect())
        .containsExactly("a", "bb", "ccc", "dddd");
  }

  @Test
  void sortByKeyKeepsAllPairsWithEqualKeys() {
    PairRdd<Integer, String> pairs =
        sc.parallelizePairs(List.of(t(2, "x"), t(1, "y"), t(2, "z"), t(1, "w")), 2);
    List<Tuple2<Integer, String>> sorted = pairs.sortByKey().collect();
    assertThat(sorted).extracting(Tuple2::_1).containsExactly(1, 1, 2, 2);
    assertThat(sorted).extracting(Tuple2::_2).containsExactlyInAnyOrder("x", "y", "z", "w");
  }

  // ---------------------------------------------------------------- actions on pairs

  @Test
  void countByKeyCountsPairsPerKey() {
    assertThat(sample().countByKey()).containsOnly(entry("a", 3L), entry("b", 2L), entry("c", 1L));
  }

  @Test
  void collectAsMapKeepsOneValuePerKey() {
    Map<String, Integer> map = sc.parallelizePairs(List.of(t("a", 1), t("b", 2)), 2).collectAsMap();
    assertThat(map).containsOnly(entry("a", 1), entry("b", 2));
  }

  // ---------------------------------------------------------------- null keys

  @Test
  void reduceByKeyTreatsNullAsAnOrdinaryKey() {
    PairRdd<String, Integer> pairs =
        sc.parallelizePairs(Arrays.asList(t(null, 1), t("a", 2), t(null, 3), t("a", 4), t(null, 5)), 3);
    Map<String, Integer> result = pairs.reduceByKey(Integer::sum, 2).collectAsMap();
    assertThat(result).containsOnly(entry(null, 9), entry("a", 6));
  }

  @Test
  void groupByKeyGroupsTheNullKey() {
    PairRdd<String, Integer> pairs =
        sc.parallelizePairs(Arrays.asList(t(null, 1), t("a", 2), t(null, 3)), 2);
    Map<String, List<Integer>> groups = grouped(pairs.groupByKey(3).collect());
    assertThat(groups.get(null)).containsExactlyInAnyOrder(1, 3);
    assertThat(groups.get("a")).containsExactly(2);
  }

  @Test
  void countByKeyCountsTheNullKey() {
    PairRdd<String, Integer> pairs = sc.parallelizePairs(Arrays.asList(t(null, 1), t(null, 2), t("a", 3)), 2);
    assertThat(pairs.countByKey()).containsOnly(entry(null, 2L), entry("a", 1L));
  }

  @Test
  void partitionByWithNullKeysUsesPartitionZero() {
    PairRdd<String, Integer> pairs = sc.parallelizePairs(Arrays.asList(t(null, 1), t(null, 2)), 2);
    List<List<Tuple2<String, Integer>>> parts = pairs.partitionBy(new HashPartitioner(3)).glom().collect();
    assertThat(parts.get(0)).hasSize(2);
  }

  // ---------------------------------------------------------------- helpers

  private static Dependency firstShuffle(Rdd<?> rdd) {
    for (Dependency dep : rdd.dependencies()) {
      if (dep instanceof Dependency.Shuffle) {
        return dep;
      }
      Dependency found = firstShuffle(dep.parent());
      if (found != null) {
        return found;
      }
    }
    return null;
  }

  private static String sortChars(String s) {
    char[] chars = s.toCharArray();
    Arrays.sort(chars);
    return new String(chars);
  }

  @Test
  void aMergeFunctionThatModifiesItsFirstArgumentGivesTheSameResultOnEveryRead() {
    PairRdd<String, java.util.List<Integer>> lists =
        sc.parallelizePairs(java.util.List.of(t("a", 1), t("b", 2), t("a", 3), t("a", 4)), 3)
            .aggregateByKey(
                new java.util.ArrayList<Integer>(),
                new HashPartitioner(2),
                (list, v) -> {
                  list.add(v);
                  return list;
                },
                (left, right) -> {
                  left.addAll(right);
                  return left;
                });

    java.util.Map<String, java.util.List<Integer>> first = lists.collectAsMap();
    java.util.Map<String, java.util.List<Integer>> second = lists.collectAsMap();

    assertThat(first.get("a")).containsExactlyInAnyOrder(1, 3, 4);
    assertThat(second.get("a")).containsExactlyInAnyOrder(1, 3, 4);
    assertThat(second.get("b")).containsExactly(2);
  }
}
