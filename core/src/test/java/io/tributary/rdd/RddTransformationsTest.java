package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RddTransformationsTest extends RddContextFixture {



  // ---------------------------------------------------------------- element-wise

  @Test
  void mapAppliesTheFunctionToEveryElementKeepingOrder() {
    assertThat(sc.parallelize(List.of(1, 2, 3, 4, 5), 3).map(x -> x * 10).collect())
        .containsExactly(10, 20, 30, 40, 50);
  }

  @Test
  void mapKeepsThePartitionCount() {
    assertThat(sc.parallelize(List.of(1, 2, 3, 4, 5), 3).map(x -> x + 1).numPartitions())
        .isEqualTo(3);
  }

  @Test
  void filterKeepsOnlyMatchingElements() {
    assertThat(sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 3).filter(x -> x % 2 == 0).collect())
        .containsExactly(2, 4, 6);
  }

  @Test
  void flatMapConcatenatesTheProducedElements() {
    Rdd<String> lines = sc.parallelize(List.of("a b", "", "c d e"), 2);
    assertThat(lines.flatMap(l -> l.isEmpty() ? Collections.<String>emptyIterator()
            : Arrays.asList(l.split(" ")).iterator()).collect())
        .containsExactly("a", "b", "c", "d", "e");
  }

  @Test
  void flatMapTreatsANullIteratorAsNoElements() {
    assertThat(sc.parallelize(List.of(1, 2), 2).<Integer>flatMap(x -> null).collect()).isEmpty();
  }

  @Test
  void mapPartitionsCallsTheFunctionOncePerPartition() {
    Rdd<Integer> sums =
        sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 3)
            .mapPartitions(
                it -> {
                  int sum = 0;
                  while (it.hasNext()) {
                    sum += it.next();
                  }
                  return List.of(sum).iterator();
                });
    // slices [1,2] [3,4] [5,6]
    assertThat(sums.collect()).containsExactly(3, 7, 11);
  }

  @Test
  void mapPartitionsWithIndexPassesThePartitionIndex() {
    Rdd<String> tagged =
        sc.parallelize(List.of("a", "b", "c", "d"), 2)
            .mapPartitionsWithIndex(
                (index, it) -> {
                  List<String> out = new ArrayList<>();
                  it.forEachRemaining(s -> out.add(index + ":" + s));
                  return out.iterator();
                },
                false);
    assertThat(tagged.collect()).containsExactly("0:a", "0:b", "1:c", "1:d");
  }

  @Test
  void glomGathersEachPartitionIntoOneList() {
    assertThat(sc.parallelize(List.of(1, 2, 3, 4, 5), 2).glom().collect())
        .containsExactly(List.of(1, 2), List.of(3, 4, 5));
  }

  @Test
  void glomGivesAnEmptyListForAnEmptyPartition() {
    assertThat(sc.parallelize(List.of(1), 3).glom().collect())
        .containsExactly(List.of(), List.of(), List.of(1));
  }

  @Test
  void keyByPairsEachElementWithItsComputedKey() {
    assertThat(sc.parallelize(List.of("apple", "kiwi", "fig"), 2).keyBy(String::length).collect())
        .containsExactly(
            new Tuple2<>(5, "apple"), new Tuple2<>(4, "kiwi"), new Tuple2<>(3, "fig"));
  }

  @Test
  void mapToPairBuildsAPairDataset() {
    PairRdd<String, Integer> pairs =
        sc.parallelize(List.of("a", "bb"), 2).mapToPair(s -> new Tuple2<>(s, s.length()));
    assertThat(pairs.collect()).containsExactly(new Tuple2<>("a", 1), new Tuple2<>("bb", 2));
  }

  @Test
  void flatMapToPairEmitsSeveralPairsPerElement() {
    PairRdd<Integer, Integer> pairs =
        sc.parallelize(List.of(1, 2), 2)
            .flatMapToPair(x -> List.of(new Tuple2<>(x, 0), new Tuple2<>(x, 1)).iterator());
    assertThat(pairs.collect())
        .containsExactly(
            new Tuple2<>(1, 0), new Tuple2<>(1, 1), new Tuple2<>(2, 0), new Tuple2<>(2, 1));
  }

  @Test
  void mapPartitionsToPairSeesTheWholePartition() {
    PairRdd<Integer, Integer> sizes =
        sc.parallelize(List.of(1, 2, 3), 2)
            .mapPartitionsToPair(
                it -> {
                  int n = 0;
                  for (; it.hasNext(); it.next()) {
                    n++;
                  }
                  return List.of(new Tuple2<>(0, n)).iterator();
                });
    // slices [1] [2,3]
    assertThat(sizes.collect()).containsExactly(new Tuple2<>(0, 1), new Tuple2<>(0, 2));
  }

  // ---------------------------------------------------------------- distinct, union

  @Test
  void distinctRemovesDuplicatesAcrossPartitions() {
    Rdd<Integer> rdd = sc.parallelize(List.of(3, 1, 3, 2, 1, 3, 2), 3);
    assertThat(rdd.distinct().collect()).containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void distinctWithPartitionCountUsesThatManyPartitions() {
    Rdd<Integer> distinct = sc.parallelize(List.of(1, 1, 2, 5, 5, 9), 2).distinct(4);
    assertThat(distinct.numPartitions()).isEqualTo(4);
    assertThat(distinct.collect()).containsExactlyInAnyOrder(1, 2, 5, 9);
  }

  @Test
  void distinctKeepsOneNull() {
    assertThat(sc.parallelize(Arrays.asList("a", null, "a", null), 2).distinct().collect())
        .containsExactlyInAnyOrder("a", null);
  }

  @Test
  void unionKeepsAllElementsOfBothInOrderWithDuplicates() {
    Rdd<Integer> a = sc.parallelize(List.of(1, 2, 3), 2);
    Rdd<Integer> b = sc.parallelize(List.of(3, 4), 1);
    Rdd<Integer> union = a.union(b);
    assertThat(union.numPartitions()).isEqualTo(3);
    assertThat(union.collect()).containsExactly(1, 2, 3, 3, 4);
  }

  @Test
  void contextUnionConcatenatesManyDatasets() {
    Rdd<String> all =
        sc.union(
            sc.parallelize(List.of("a"), 1),
            sc.parallelize(List.of("b", "c"), 2),
            sc.parallelize(List.of("d"), 1));
    assertThat(all.numPartitions()).isEqualTo(4);
    assertThat(all.collect()).containsExactly("a", "b", "c", "d");
  }

  @Test
  void contextUnionOfAListConcatenatesInListOrder() {
    Rdd<Integer> all =
        sc.union(List.of(sc.parallelize(List.of(5, 6), 1), sc.parallelize(List.of(7), 1)));
    assertThat(all.collect()).containsExactly(5, 6, 7);
  }

  @Test
  void contextUnionOfNoDatasetsFailsClearly() {
    assertThatThrownBy(() -> sc.<Integer>union())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  // ---------------------------------------------------------------- repartition, coalesce

  @Test
  void repartitionGivesExactlyTheRequestedPartitionCount() {
    Rdd<Integer> rdd = sc.parallelize(range(1, 100), 2).repartition(7);
    assertThat(rdd.numPartitions()).isEqualTo(7);
    assertThat(rdd.glom().collect()).hasSize(7);
  }

  @Test
  void repartitionLosesAndDuplicatesNothing() {
    List<Integer> data = range(1, 100);
    assertThat(sc.parallelize(data, 3).repartition(5).collect())
        .containsExactlyInAnyOrderElementsOf(data);
  }

  @Test
  void repartitionSpreadsElementsEvenly() {
    // 100 elements into 4 partitions: about 25 each (round-robin per input partition).
    List<List<Integer>> parts = sc.parallelize(range(1, 100), 2).repartition(4).glom().collect();
    assertThat(parts).allSatisfy(p -> assertThat(p.size()).isBetween(23, 27));
  }

  @Test
  void repartitionCanIncreaseThePartitionCount() {
    Rdd<Integer> rdd = sc.parallelize(range(1, 10), 1).repartition(3);
    assertThat(rdd.numPartitions()).isEqualTo(3);
    assertThat(rdd.collect()).containsExactlyInAnyOrderElementsOf(range(1, 10));
  }

  @Test
  void repartitionShuffles() {
    Rdd<Integer> rdd = sc.parallelize(range(1, 10), 2).repartition(3);
    assertThat(shuffleCount(rdd)).isEqualTo(1);
  }

  @Test
  void coalesceMergesNeighbouringPartitionsWithoutShuffle() {
    Rdd<Integer> coalesced = sc.parallelize(range(1, 8), 4).coalesce(2);
    assertThat(coalesced.numPartitions()).isEqualTo(2);
    assertThat(shuffleCount(coalesced)).isZero();
    // slices [1,2] [3,4] [5,6] [7,8] merged pairwise
    assertThat(coalesced.glom().collect()).containsExactly(List.of(1, 2, 3, 4), List.of(5, 6, 7, 8));
  }

  @Test
  void coalesceToMorePartitionsThanThereAreKeepsTheParentCount() {
    assertThat(sc.parallelize(range(1, 4), 2).coalesce(5).numPartitions()).isEqualTo(2);
  }

  @Test
  void coalesceWithShuffleCanIncreaseThePartitionCount() {
    Rdd<Integer> rdd = sc.parallelize(range(1, 6), 2).coalesce(4, true);
    assertThat(rdd.numPartitions()).isEqualTo(4);
    assertThat(rdd.collect()).containsExactlyInAnyOrderElementsOf(range(1, 6));
  }

  @Test
  void coalesceToZeroPartitionsFailsNamingTheArgument() {
    assertThatThrownBy(() -> sc.parallelize(List.of(1), 1).coalesce(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numPartitions")
        .hasMessageContaining("0");
  }

  // ---------------------------------------------------------------- sorting

  @Test
  void sortByAscendingGivesAGlobalOrderAcrossPartitions() {
    List<Integer> shuffled = List.of(42, 7, 19, 3, 88, 56, 1, 23, 64, 12, 35, 99, 8, 71, 50);
    Rdd<Integer> sorted = sc.parallelize(shuffled, 3).sortBy(x -> x, true, 3);
    assertThat(sorted.collect())
        .containsExactly(1, 3, 7, 8, 12, 19, 23, 35, 42, 50, 56, 64, 71, 88, 99);
  }

  @Test
  void sortByDescendingGivesAGlobalReverseOrderAcrossPartitions() {
    List<Integer> shuffled = List.of(42, 7, 19, 3, 88, 56, 1, 23, 64, 12, 35, 99, 8, 71, 50);
    Rdd<Integer> sorted = sc.parallelize(shuffled, 3).sortBy(x -> x, false, 3);
    assertThat(sorted.collect())
        .containsExactly(99, 88, 71, 64, 56, 50, 42, 35, 23, 19, 12, 8, 7, 3, 1);
  }

  @Test
  void sortByUsesSeveralPartitionsEachHoldingAContiguousRange() {
    List<Integer> data = new ArrayList<>(range(1, 300));
    Collections.reverse(data);
    List<List<Integer>> parts = sc.parallelize(data, 4).sortBy(x -> x, true, 3).glom().collect();
    assertThat(parts.size()).isGreaterThan(1);
    List<Integer> flat = new ArrayList<>();
    for (List<Integer> p : parts) {
      assertThat(p).isSorted();
      if (!flat.isEmpty() && !p.isEmpty()) {
        assertThat(p.get(0)).isGreaterThan(flat.get(flat.size() - 1));
      }
      flat.addAll(p);
    }
    assertThat(flat).isEqualTo(range(1, 300));
  }

  @Test
  void sortByOfAnEmptyDatasetIsEmpty() {
    assertThat(sc.<Integer>parallelize(List.of(), 3).sortBy(x -> x, true, 3).collect()).isEmpty();
  }

  @Test
  void sortByOrdersByTheComputedKey() {
    Rdd<String> sorted =
        sc.parallelize(List.of("ccc", "a", "dddd", "bb"), 2).sortBy(String::length, true, 2);
    assertThat(sorted.collect()).containsExactly("a", "bb", "ccc", "dddd");
  }

  // ---------------------------------------------------------------- laziness, lineage

  @Test
  void transformationsAreLazyUntilAnAction() {
    Counter.COUNT.set(0);
    Rdd<Integer> mapped =
        sc.parallelize(List.of(1, 2, 3), 2).map(x -> {
          Counter.COUNT.incrementAndGet();
          return x;
        });
    assertThat(Counter.COUNT.get()).isZero();
    mapped.count();
    assertThat(Counter.COUNT.get()).isEqualTo(3);
  }

  @Test
  void toDebugStringNamesEveryDatasetOfTheLineage() {
    Rdd<Integer> base = sc.parallelize(List.of(1, 2), 2);
    Rdd<Integer> mapped = base.map(x -> x + 1);
    String debug = mapped.toDebugString();
    assertThat(debug).contains("MapPartitionsRdd[" + mapped.id() + "]");
    assertThat(debug).contains("ParallelCollectionRdd[" + base.id() + "]");
    assertThat(debug).startsWith("(2) ");
  }

  @Test
  void parallelizeCopiesTheInputList() {
    List<Integer> data = new ArrayList<>(List.of(1, 2));
    Rdd<Integer> rdd = sc.parallelize(data, 1);
    data.add(3);
    assertThat(rdd.collect()).containsExactly(1, 2);
  }

  @Test
  void parallelizeCutsContiguousSlices() {
    assertThat(sc.parallelize(range(1, 7), 3).glom().collect())
        .containsExactly(List.of(1, 2), List.of(3, 4), List.of(5, 6, 7));
  }

  @Test
  void parallelizeWithoutSlicesUsesTheDefaultParallelism() {
    assertThat(sc.defaultParallelism()).isEqualTo(2);
    assertThat(sc.parallelize(List.of(1, 2, 3)).numPartitions()).isEqualTo(2);
  }

  @Test
  void emptyRddHasNoPartitionsAndNoElements() {
    Rdd<String> empty = sc.emptyRdd();
    assertThat(empty.numPartitions()).isZero();
    assertThat(empty.collect()).isEmpty();
    assertThat(empty.count()).isZero();
  }

  @Test
  void setNameIsShownByToString() {
    Rdd<Integer> rdd = sc.parallelize(List.of(1), 1).setName("numbers");
    assertThat(rdd.name()).isEqualTo("numbers");
    assertThat(rdd.toString()).endsWith(" numbers");
  }

  // ---------------------------------------------------------------- helpers

  static final class Counter {
    static final java.util.concurrent.atomic.AtomicInteger COUNT =
        new java.util.concurrent.atomic.AtomicInteger();
  }

  static List<Integer> range(int from, int toInclusive) {
    List<Integer> out = new ArrayList<>();
    for (int i = from; i <= toInclusive; i++) {
      out.add(i);
    }
    return out;
  }

  /** Shuffle edges in the lineage of {@code rdd}. */
  static int shuffleCount(Rdd<?> rdd) {
    int n = 0;
    for (Dependency dep : rdd.dependencies()) {
      if (dep instanceof Dependency.Shuffle) {
        n++;
      }
      n += shuffleCount(dep.parent());
    }
    return n;
  }
}
