package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.internal.Sneaky;
import io.tributary.internal.rdd.CombineMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The in-memory shuffle: a map task splits its partition into one bucket per reduce partition
 * (combining values per key first when the dependency asks for it), and a reduce task reads its
 * bucket from every map task. Buckets are plain collections: nothing is serialized.
 */
final class Shuffles {
  private Shuffles() {}

  /**
   * All map outputs of one shuffle: {@code buckets[mapPartition][reducePartition]}, each a list of
   * pairs (combined per key when the shuffle combines on the map side).
   */
  public record MapOutput(Object[][] buckets) {}

  /** Splits one map partition into buckets, with map-side combine if the dependency has it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static Object[] writeBuckets(Dependency.Shuffle dep, Iterator<?> records) {
    Partitioner partitioner = dep.partitioner();
    int reducers = partitioner.numPartitions();
    Object[] buckets = new Object[reducers];
    try {
      if (dep.mapSideCombine()) {
        Aggregator agg = dep.aggregator();
        Function create = agg.createCombiner();
        Function2 merge = agg.mergeValue();
        CombineMap[] maps = new CombineMap[reducers];
        for (int r = 0; r < reducers; r++) {
          maps[r] = new CombineMap<>();
        }
        while (records.hasNext()) {
          Tuple2 kv = (Tuple2) records.next();
          Object key = kv._1();
          maps[reducers == 1 ? 0 : partitioner.getPartition(key)].combine(key, kv._2(), create, merge);
        }
        for (int r = 0; r < reducers; r++) {
          buckets[r] = maps[r].toPairs();
        }
      } else {
        for (int r = 0; r < reducers; r++) {
          buckets[r] = new ArrayList<>();
        }
        while (records.hasNext()) {
          Tuple2 kv = (Tuple2) records.next();
          ((List) buckets[reducers == 1 ? 0 : partitioner.getPartition(kv._1())]).add(kv);
        }
      }
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    return buckets;
  }


  /** The output of a shuffle that must already have run: a clear error if the engine skipped it. */
  public static MapOutput outputOf(Dependency.Shuffle dep) {
    Object out = dep.mapOutput();
    if (out == null) {
      throw new IllegalStateException(
          "Shuffle " + dep.shuffleId() + " has not been computed: run the dataset through an "
              + "engine (an action such as collect or count), not by calling compute directly");
    }
    return (MapOutput) out;
  }

  /** Drops the buckets of reduce partition {@code r}, once its reader no longer needs them. */
  public static void release(Dependency.Shuffle dep, int r) {
    for (Object[] map : outputOf(dep).buckets()) {
      map[r] = null;
    }
  }

  /** Reads reduce partition {@code r} and combines it by key with the dependency's aggregator. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <K, C> List<Tuple2<K, C>> combine(Dependency.Shuffle dep, int r) {
    Aggregator agg = dep.aggregator();
    Object[][] buckets = outputOf(dep).buckets();
    CombineMap<K, C> result = new CombineMap<>();
    try {
      Function create = dep.mapSideCombine() ? c -> c : agg.createCombiner();
      Function2 merge = dep.mapSideCombine() ? agg.mergeCombiners() : agg.mergeValue();
      for (Object[] map : buckets) {
        for (Tuple2 kv : (List<Tuple2>) map[r]) {
          result.combine((K) kv._1(), kv._2(), create, merge);
        }
      }
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    return result.toPairs();
  }

  /** Reads reduce partition {@code r} of a shuffle without aggregation: all pairs, in map order. */
  @SuppressWarnings("unchecked")
  public static <K, V> List<Tuple2<K, V>> concat(Dependency.Shuffle dep, int r) {
    Object[][] buckets = outputOf(dep).buckets();
    int size = 0;
    for (Object[] map : buckets) {
      size += ((List<?>) map[r]).size();
    }
    List<Tuple2<K, V>> all = new ArrayList<>(size);
    for (Object[] map : buckets) {
      all.addAll((List<Tuple2<K, V>>) map[r]);
    }
    return all;
  }
}
