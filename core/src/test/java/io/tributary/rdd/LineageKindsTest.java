package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public lineage: dependency kinds reported by each operation, sources over splits,
 * zipPartitions, and reading a checkpoint back.
 */
class LineageKindsTest extends RddContextFixture {
  static final Queue<String> READS = new ConcurrentLinkedQueue<>();

  private static Dependency only(Rdd<?> rdd) {
    assertThat(rdd.dependencies()).hasSize(1);
    return rdd.dependencies().get(0);
  }

  @Test
  void mapLikeOperationsDependOneToOneOnTheirParent() {
    Rdd<Integer> base = sc.parallelize(List.of(1, 2, 3, 4), 2);
    PairRdd<Integer, Integer> pairs = base.mapToPair(x -> new Tuple2<>(x, x));
    List<Rdd<?>> mapLike = List.of(
        base.map(x -> x + 1), base.filter(x -> x > 1), base.flatMap(x -> List.of(x).iterator()),
        base.mapPartitions(it -> it), base.mapPartitionsWithIndex((i, it) -> it, false), base.glom(),
        base.keyBy(x -> x), pairs, pairs.mapValues(v -> v + 1), pairs.keys(), PairRdd.fromRdd(base.map(x -> new Tuple2<>(x, x))));
    for (Rdd<?> rdd : mapLike) {
      Dependency dep = only(rdd);
      assertThat(dep).as(rdd.toDebugString()).isInstanceOf(Dependency.OneToOne.class);
      assertThat(rdd.numPartitions()).isEqualTo(dep.parent().numPartitions());
    }
    assertThat(only(base.map(x -> x)).parent()).isSameAs(base);
  }

  @Test
  void otherOperationsReportTheirOwnKinds() {
    Rdd<Integer> base = sc.parallelize(List.of(1, 2, 3, 4), 4);
    assertThat(base.union(base).dependencies()).hasSize(2).allMatch(d -> d instanceof Dependency.Narrow);
    assertThat(only(sc.union(List.of(base)))).isInstanceOf(Dependency.OneToOne.class);
    assertThat(only(base.coalesce(2))).isInstanceOf(Dependency.Narrow.class);
    PairRdd<Integer, Integer> pairs = base.mapToPair(x -> new Tuple2<>(x % 2, x));
    // reduceByKey returns the pair view (one to one) of the shuffled dataset
    assertThat(only(only(pairs.reduceByKey(Integer::sum)).parent())).isInstanceOf(Dependency.Shuffle.class);
    HashPartitioner two = new HashPartitioner(2);
    PairRdd<Integer, Integer> partitioned = pairs.partitionBy(two);
    // co-partitioned parents are read in place, partition for partition
    PairRdd<Integer, List<List<Integer>>> grouped = sc.cogroup(List.of(partitioned, pairs), two);
    assertThat(only(grouped).parent().dependencies())
        .hasSize(2)
        .satisfiesExactly(
            d -> assertThat(d).isInstanceOf(Dependency.OneToOne.class),
            d -> assertThat(d).isInstanceOf(Dependency.Shuffle.class));
  }

  /** A split of a test source: the numbers {@code from} until {@code until}. */
  record Range(int from, int until) implements Serializable {}

  private static Iterator<Integer> read(Range r) {
    READS.add(r.from() + "-" + r.until());
    return IntStream.range(r.from(), r.until()).boxed().iterator();
  }

  @Test
  void aSourceOverSplitsReadsEachSplitInItsPartitionAndExposesTheSplits() {
    READS.clear();
    List<Range> splits = List.of(new Range(0, 3), new Range(10, 12), new Range(20, 20));
    Rdd<Integer> source = sc.fromSplits(splits, LineageKindsTest::read);
    assertThat(source.numPartitions()).isEqualTo(3);
    assertThat(source.dependencies()).isEmpty();
    assertThat(source.splits()).contains(List.copyOf(splits));
    assertThat(source.glom().collect()).containsExactly(List.of(0, 1, 2), List.of(10, 11), List.of());
    assertThat(READS).containsExactlyInAnyOrder("0-3", "10-12", "20-20");

    // a dataset computed from it partition by partition reaches the splits down one-to-one edges
    Rdd<Integer> mapped = source.map(x -> x * 2).filter(x -> x > 0);
    assertThat(mapped.splits()).isEmpty();
    Rdd<?> current = mapped;
    while (current.splits().isEmpty()) {
      current = ((Dependency.OneToOne) only(current)).parent();
    }
    assertThat(current).isSameAs(source);
    assertThat(sc.parallelize(List.of(1)).splits()).isEmpty();
  }

  @Test
  void aSourceRereadsItsSplitWhenRecomputedAndNotWhenPersisted() {
    READS.clear();
    Rdd<Integer> source = sc.fromSplits(List.of(new Range(0, 2)), LineageKindsTest::read);
    source.count();
    source.count();
    assertThat(READS).containsExactly("0-2", "0-2");
    READS.clear();
    source.persist();
    source.count();
    source.count();
    assertThat(READS).containsExactly("0-2");
  }

  @Test
  void aSourceRefusesMissingSplitsOrReader() {
    List<Range> withNull = new ArrayList<>();
    withNull.add(new Range(0, 1));
    withNull.add(null);
    assertThatThrownBy(() -> sc.fromSplits(withNull, LineageKindsTest::read))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Split 1");
    assertThatThrownBy(() -> sc.<Range, Integer>fromSplits(List.of(new Range(0, 1)), null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("split reader");
  }

  @Test
  void zipPartitionsCombinesPartitionIOfBothAndDependsOneToOneOnEach() {
    Rdd<Integer> numbers = sc.parallelize(List.of(1, 2, 3, 4), 2);
    Rdd<String> letters = sc.parallelize(List.of("a", "b", "c", "d", "e"), 2);
    Rdd<String> zipped = numbers.zipPartitions(letters, (ns, ls) -> {
      List<String> out = new ArrayList<>();
      ns.forEachRemaining(n -> out.add("n" + n));
      ls.forEachRemaining(out::add);
      return out.iterator();
    });
    assertThat(zipped.glom().collect())
        .containsExactly(List.of("n1", "n2", "a", "b"), List.of("n3", "n4", "c", "d", "e"));
    assertThat(zipped.dependencies()).hasSize(2).allMatch(d -> d instanceof Dependency.OneToOne);
    assertThat(zipped.dependencies().get(0).parent()).isSameAs(numbers);
    assertThat(zipped.dependencies().get(1).parent()).isSameAs(letters);
    assertThat(zipped.partitioner()).isEmpty();
  }

  @Test
  void zipPartitionsKeepsThePartitionerWhenAskedAndRefusesDifferentPartitionCounts() {
    HashPartitioner two = new HashPartitioner(2);
    PairRdd<String, Integer> left = sc.parallelizePairs(List.of(Tuple2.of("a", 1), Tuple2.of("b", 2))).partitionBy(two);
    PairRdd<String, Integer> right = sc.parallelizePairs(List.of(Tuple2.of("a", 10))).partitionBy(two);
    Rdd<Tuple2<String, Integer>> summed = left.zipPartitions(right, true, (l, r) -> {
      java.util.Map<String, Integer> sums = new java.util.TreeMap<>();
      l.forEachRemaining(kv -> sums.merge(kv._1(), kv._2(), Integer::sum));
      r.forEachRemaining(kv -> sums.merge(kv._1(), kv._2(), Integer::sum));
      return sums.entrySet().stream().map(e -> Tuple2.of(e.getKey(), e.getValue())).iterator();
    });
    assertThat(summed.partitioner()).contains(two);
    assertThat(PairRdd.fromRdd(summed).collectAsMap()).containsOnly(
        java.util.Map.entry("a", 11), java.util.Map.entry("b", 2));
    Rdd<Integer> three = sc.parallelize(List.of(1, 2, 3), 3);
    assertThatThrownBy(() -> left.zipPartitions(three, (l, r) -> l))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("(2 partitions)").hasMessageContaining("(3 partitions)");
  }

  @Test
  void checkpointFileReadsBackWhatACheckpointWrote(@TempDir Path dir) {
    try (RddContext local = new RddContext(new io.tributary.StreamingConf().setMaster("local[2]"))) {
      local.setCheckpointDir(dir.toString());
      HashPartitioner two = new HashPartitioner(2);
      PairRdd<String, Integer> pairs =
          local.parallelizePairs(List.of(Tuple2.of("a", 1), Tuple2.of("b", 2), Tuple2.of("c", 3))).partitionBy(two);
      pairs.checkpoint();
      List<List<Tuple2<String, Integer>>> written = pairs.glom().collect();
      assertThat(pairs.getCheckpointFile()).isPresent();
      Rdd<Tuple2<String, Integer>> back = local.checkpointFile(pairs.getCheckpointFile().get(), 2, two);
      assertThat(back.isCheckpointed()).isTrue();
      assertThat(back.partitioner()).contains(two);
      assertThat(back.glom().collect()).isEqualTo(written);
    }
  }
}
