package io.tributary.rdd;

import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.internal.Checks;
import io.tributary.internal.rdd.Iterators;
import io.tributary.internal.rdd.CombineMap;
import io.tributary.internal.serializer.SerializerSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A dataset of key-value pairs, with the by-key operations: aggregation (reduceByKey,
 * combineByKey, ...), grouping, joins and sorting. A by-key operation shuffles unless the data is
 * already partitioned by an equal partitioner, in which case it runs without moving data.
 *
 * <p>A {@code PairRdd} is a typed view of an {@code Rdd<Tuple2<K, V>>}: {@link #fromRdd} wraps any
 * such dataset without copying.
 */
public final class PairRdd<K, V> extends Rdd<Tuple2<K, V>> {
  private Rdd<Tuple2<K, V>> parent;

  private PairRdd(Rdd<Tuple2<K, V>> parent) {
    super(parent.context());
    this.parent = parent;
  }

  /** The pair view of {@code rdd} (itself if it already is one). */
  public static <K, V> PairRdd<K, V> fromRdd(Rdd<Tuple2<K, V>> rdd) {
    Checks.notNull(rdd, "dataset");
    return rdd instanceof PairRdd<K, V> pairs ? pairs : new PairRdd<>(rdd);
  }

  @Override
  int getNumPartitions() {
    return parent.numPartitions();
  }

  @Override
  void clearDependencies() {
    parent = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of(new Dependency.OneToOne(parent));
  }

  @Override
  Optional<Partitioner> getPartitioner() {
    return parent.partitioner();
  }

  @Override
  Iterator<Tuple2<K, V>> compute(int partition, TaskContext task) {
    return parent.iterator(partition, task);
  }

  // ---------------------------------------------------------------- same as Rdd, typed as pairs

  @Override
  public PairRdd<K, V> filter(Function<Tuple2<K, V>, Boolean> f) {
    return fromRdd(super.filter(f));
  }

  @Override
  public PairRdd<K, V> distinct() {
    return fromRdd(super.distinct());
  }

  @Override
  public PairRdd<K, V> distinct(int numPartitions) {
    return fromRdd(super.distinct(numPartitions));
  }

  @Override
  public PairRdd<K, V> repartition(int numPartitions) {
    return fromRdd(super.repartition(numPartitions));
  }

  @Override
  public PairRdd<K, V> coalesce(int numPartitions) {
    return fromRdd(super.coalesce(numPartitions));
  }

  @Override
  public PairRdd<K, V> coalesce(int numPartitions, boolean shuffle) {
    return fromRdd(super.coalesce(numPartitions, shuffle));
  }

  /** The pairs of this dataset followed by those of {@code other}. */
  public PairRdd<K, V> union(PairRdd<K, V> other) {
    return fromRdd(super.union(other));
  }

  @Override
  public PairRdd<K, V> persist(io.tributary.StorageLevel level) {
    super.persist(level);
    return this;
  }

  @Override
  public PairRdd<K, V> persist() {
    super.persist();
    return this;
  }

  @Override
  public PairRdd<K, V> cache() {
    super.cache();
    return this;
  }

  @Override
  public PairRdd<K, V> unpersist() {
    super.unpersist();
    return this;
  }

  @Override
  public PairRdd<K, V> setName(String name) {
    super.setName(name);
    return this;
  }

  // ---------------------------------------------------------------- aggregation

  /**
   * The general by-key aggregation: the first value of a key becomes a combiner through {@code
   * createCombiner}, later values are merged in with {@code mergeValue}, and combiners of
   * different partitions are merged with {@code mergeCombiners}.
   */
  public <C> PairRdd<K, C> combineByKey(
      Function<V, C> createCombiner,
      Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners,
      Partitioner partitioner,
      boolean mapSideCombine) {
    Checks.notNull(partitioner, "partitioner");
    Aggregator<K, V, C> agg = new Aggregator<>(createCombiner, mergeValue, mergeCombiners);
    if (partitioner.equals(partitioner().orElse(null))) {
      return fromRdd(
          mapPartitionsInternal(
              (p, it) -> {
                CombineMap<K, C> combined = new CombineMap<>();
                while (it.hasNext()) {
                  Tuple2<K, V> kv = it.next();
                  combined.combine(kv._1(), kv._2(), createCombiner, mergeValue);
                }
                return combined.toPairs().iterator();
              },
              true));
    }
    return fromRdd(new ShuffledRdd<>(this, partitioner, agg, mapSideCombine, null));
  }

  public <C> PairRdd<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, true);
  }

  public <C> PairRdd<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, hash(numPartitions));
  }

  public <C> PairRdd<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitioner());
  }

  /** Merges the values of each key with an associative, commutative function. */
  public PairRdd<K, V> reduceByKey(Function2<V, V, V> f, Partitioner partitioner) {
    Checks.notNull(f, "reduce function");
    return combineByKey(v -> v, f, f, partitioner);
  }

  public PairRdd<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
    return reduceByKey(f, hash(numPartitions));
  }

  public PairRdd<K, V> reduceByKey(Function2<V, V, V> f) {
    return reduceByKey(f, defaultPartitioner());
  }

  /** Folds the values of each key from a fresh copy of {@code zero} with {@code seqOp}. */
  public <U> PairRdd<K, U> aggregateByKey(
      U zero, Partitioner partitioner, Function2<U, V, U> seqOp, Function2<U, U, U> combOp) {
    Checks.notNull(seqOp, "seqOp");
    Checks.notNull(combOp, "combOp");
    ZeroValue<U> zeroValue =
        new ZeroValue<>(context().serializer().serialize(zero), SerializerSpec.of(context().conf().getAll()));
    return combineByKey(v -> seqOp.call(zeroValue.copy(), v), seqOp, combOp, partitioner);
  }

  public <U> PairRdd<K, U> aggregateByKey(
      U zero, int numPartitions, Function2<U, V, U> seqOp, Function2<U, U, U> combOp) {
    return aggregateByKey(zero, hash(numPartitions), seqOp, combOp);
  }

  public <U> PairRdd<K, U> aggregateByKey(
      U zero, Function2<U, V, U> seqOp, Function2<U, U, U> combOp) {
    return aggregateByKey(zero, defaultPartitioner(), seqOp, combOp);
  }

  public PairRdd<K, V> foldByKey(V zero, Partitioner partitioner, Function2<V, V, V> f) {
    return aggregateByKey(zero, partitioner, f, f);
  }

  public PairRdd<K, V> foldByKey(V zero, int numPartitions, Function2<V, V, V> f) {
    return foldByKey(zero, hash(numPartitions), f);
  }

  public PairRdd<K, V> foldByKey(V zero, Function2<V, V, V> f) {
    return foldByKey(zero, defaultPartitioner(), f);
  }

  /** All values of each key. Prefer reduceByKey or aggregateByKey where they fit: they combine early. */
  public PairRdd<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    PairRdd<K, List<V>> grouped =
        combineByKey(
            v -> {
              List<V> list = new ArrayList<>();
              list.add(v);
              return list;
            },
            (list, v) -> {
              list.add(v);
              return list;
            },
            (a, b) -> {
              a.addAll(b);
              return a;
            },
            partitioner,
            false);
    @SuppressWarnings("unchecked")
    PairRdd<K, Iterable<V>> result = (PairRdd<K, Iterable<V>>) (PairRdd<K, ?>) grouped;
    return result;
  }

  public PairRdd<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(hash(numPartitions));
  }

  public PairRdd<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  /** Redistributes the pairs by {@code partitioner}, without combining. */
  public PairRdd<K, V> partitionBy(Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    if (partitioner.equals(partitioner().orElse(null))) {
      return this;
    }
    return fromRdd(new ShuffledRdd<K, V, V>(this, partitioner, null, false, null));
  }

  // ---------------------------------------------------------------- values

  public <U> PairRdd<K, U> mapValues(Function<V, U> f) {
    Checks.notNull(f, "mapValues function");
    return fromRdd(
        mapPartitionsInternal(
            (p, it) -> Iterators.map(it, kv -> new Tuple2<>(kv._1(), f.call(kv._2()))), true));
  }

  public <U> PairRdd<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    Checks.notNull(f, "flatMapValues function");
    return fromRdd(
        mapPartitionsInternal(
            (p, it) ->
                Iterators.flatMap(
                    it,
                    kv -> Iterators.map(f.call(kv._2()), (U u) -> new Tuple2<>(kv._1(), u))),
            true));
  }

  public Rdd<K> keys() {
    return map(Tuple2::_1);
  }

  public Rdd<V> values() {
    return map(Tuple2::_2);
  }

  // ---------------------------------------------------------------- grouping and joins

  /** For each key in either dataset, its values in this one and in {@code other}. */
  public <W> PairRdd<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(
      PairRdd<K, W> other, Partitioner partitioner) {
    Checks.notNull(other, "other dataset");
    Checks.notNull(partitioner, "partitioner");
    CoGroupedRdd<K> grouped = new CoGroupedRdd<>(List.of(this, other), partitioner);
    return fromRdd(
        grouped.mapPartitions(
            it ->
                Iterators.map(
                    it,
                    kv -> {
                      @SuppressWarnings("unchecked")
                      Iterable<V> left = (Iterable<V>) (List<?>) kv._2().get(0);
                      @SuppressWarnings("unchecked")
                      Iterable<W> right = (Iterable<W>) (List<?>) kv._2().get(1);
                      return new Tuple2<>(kv._1(), new Tuple2<>(left, right));
                    }),
            true));
  }

  public <W> PairRdd<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(PairRdd<K, W> other, int numPartitions) {
    return cogroup(other, hash(numPartitions));
  }

  public <W> PairRdd<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(PairRdd<K, W> other) {
    return cogroup(other, defaultPartitioner(other));
  }

  /** Pairs of values for each key present in both datasets. */
  public <W> PairRdd<K, Tuple2<V, W>> join(PairRdd<K, W> other, Partitioner partitioner) {
    return cogroup(other, partitioner)
        .flatMapValues(
            g -> {
              List<Tuple2<V, W>> out = new ArrayList<>();
              for (V v : g._1()) {
                for (W w : g._2()) {
                  out.add(new Tuple2<>(v, w));
                }
              }
              return out.iterator();
            });
  }

  public <W> PairRdd<K, Tuple2<V, W>> join(PairRdd<K, W> other, int numPartitions) {
    return join(other, hash(numPartitions));
  }

  public <W> PairRdd<K, Tuple2<V, W>> join(PairRdd<K, W> other) {
    return join(other, defaultPartitioner(other));
  }

  /** Every pair of this dataset, with the matching values of {@code other} or empty. */
  public <W> PairRdd<K, Tuple2<V, Optional<W>>> leftOuterJoin(
      PairRdd<K, W> other, Partitioner partitioner) {
    return cogroup(other, partitioner)
        .flatMapValues(
            g -> {
              List<Tuple2<V, Optional<W>>> out = new ArrayList<>();
              for (V v : g._1()) {
                for (Optional<W> w : optionals(g._2())) {
                  out.add(new Tuple2<>(v, w));
                }
              }
              return out.iterator();
            });
  }

  public <W> PairRdd<K, Tuple2<V, Optional<W>>> leftOuterJoin(PairRdd<K, W> other, int numPartitions) {
    return leftOuterJoin(other, hash(numPartitions));
  }

  public <W> PairRdd<K, Tuple2<V, Optional<W>>> leftOuterJoin(PairRdd<K, W> other) {
    return leftOuterJoin(other, defaultPartitioner(other));
  }

  /** Every pair of {@code other}, with the matching values of this dataset or empty. */
  public <W> PairRdd<K, Tuple2<Optional<V>, W>> rightOuterJoin(
      PairRdd<K, W> other, Partitioner partitioner) {
    return cogroup(other, partitioner)
        .flatMapValues(
            g -> {
              List<Tuple2<Optional<V>, W>> out = new ArrayList<>();
              for (Optional<V> v : optionals(g._1())) {
                for (W w : g._2()) {
                  out.add(new Tuple2<>(v, w));
                }
              }
              return out.iterator();
            });
  }

  public <W> PairRdd<K, Tuple2<Optional<V>, W>> rightOuterJoin(PairRdd<K, W> other, int numPartitions) {
    return rightOuterJoin(other, hash(numPartitions));
  }

  public <W> PairRdd<K, Tuple2<Optional<V>, W>> rightOuterJoin(PairRdd<K, W> other) {
    return rightOuterJoin(other, defaultPartitioner(other));
  }

  /** Every key of either dataset, with the values of each side or empty. */
  public <W> PairRdd<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(
      PairRdd<K, W> other, Partitioner partitioner) {
    return cogroup(other, partitioner)
        .flatMapValues(
            g -> {
              List<Tuple2<Optional<V>, Optional<W>>> out = new ArrayList<>();
              for (Optional<V> v : optionals(g._1())) {
                for (Optional<W> w : optionals(g._2())) {
                  out.add(new Tuple2<>(v, w));
                }
              }
              return out.iterator();
            });
  }

  public <W> PairRdd<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(
      PairRdd<K, W> other, int numPartitions) {
    return fullOuterJoin(other, hash(numPartitions));
  }

  public <W> PairRdd<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(PairRdd<K, W> other) {
    return fullOuterJoin(other, defaultPartitioner(other));
  }

  // ---------------------------------------------------------------- sorting

  /** Sorted by key with {@code ordering}, range-partitioned into {@code numPartitions}. */
  public PairRdd<K, V> sortByKey(Comparator<? super K> ordering, boolean ascending, int numPartitions) {
    Checks.notNull(ordering, "ordering");
    Checks.positive(numPartitions, "numPartitions");
    Partitioner ranges = RangePartitioner.of(this, ordering, ascending, numPartitions);
    Comparator<? super K> order = ascending ? ordering : Collections.reverseOrder(ordering);
    return fromRdd(new ShuffledRdd<K, V, V>(this, ranges, null, false, order));
  }

  /** Sorted by the keys' natural order; keys must be {@link Comparable}. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public PairRdd<K, V> sortByKey(boolean ascending, int numPartitions) {
    return sortByKey((Comparator<? super K>) (Comparator) Comparator.naturalOrder(), ascending, numPartitions);
  }

  public PairRdd<K, V> sortByKey(boolean ascending) {
    return sortByKey(ascending, Math.max(1, numPartitions()));
  }

  public PairRdd<K, V> sortByKey() {
    return sortByKey(true);
  }

  // ---------------------------------------------------------------- actions

  /** The number of pairs per key. */
  public Map<K, Long> countByKey() {
    return mapValues(v -> 1L).reduceByKey(Long::sum).collectAsMap();
  }

  /** The pairs as a map; for a key present more than once, one of its values is kept. */
  public Map<K, V> collectAsMap() {
    Map<K, V> map = new HashMap<>();
    for (Tuple2<K, V> kv : collect()) {
      map.put(kv._1(), kv._2());
    }
    return map;
  }

  // ---------------------------------------------------------------- internals

  private static <T> List<Optional<T>> optionals(Iterable<T> values) {
    List<Optional<T>> out = new ArrayList<>();
    for (T t : values) {
      out.add(Optional.of(t));
    }
    if (out.isEmpty()) {
      out.add(Optional.empty());
    }
    return out;
  }

  /**
   * A zero value as bytes, copied afresh for each use with the context's serializer. Holds the
   * serializer's name, not the context, so functions capturing it stay serializable.
   */
  /** A zero value travelling with a task function, copied afresh for each key. */
  private record ZeroValue<U>(byte[] bytes, SerializerSpec serializer) implements Serializable {
    U copy() {
      return serializer.get().deserialize(bytes);
    }
  }

  private static Partitioner hash(int numPartitions) {
    return new HashPartitioner(Checks.positive(numPartitions, "numPartitions"));
  }

  private Partitioner defaultPartitioner(Rdd<?>... others) {
    Rdd<?> widest = this;
    for (Rdd<?> o : others) {
      Checks.notNull(o, "other dataset");
      if (o.numPartitions() > widest.numPartitions()) {
        widest = o;
      }
    }
    if (widest.partitioner().isPresent()) {
      return widest.partitioner().get();
    }
    if (partitioner().isPresent() && partitioner().get().numPartitions() >= widest.numPartitions()) {
      return partitioner().get();
    }
    int n = context().conf().getInt("default.parallelism", Math.max(1, widest.numPartitions()));
    return new HashPartitioner(n);
  }
}
