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

  /** Splits one map partition into buckets, with map-side combine if the dependency has it. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static Object[] writeBuckets(Dependency.Shuffle dep, Iterator<?> records) {
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


  /**
   * What a reduce task reads of a shuffle: the buckets of one reduce partition, one per map
   * partition in map order. Held by the dependency once its map stage ran: {@link MapOutput} in
   * the JVM that ran it, or what an engine running tasks elsewhere fetched for one task ({@link
   * LineageSegment}).
   */
  interface Output {
    List<List<Tuple2<Object, Object>>> buckets(int reducePartition);

    /** Drops the buckets of reduce partition {@code r}, once its reader no longer needs them. */
    void release(int reducePartition);
  }

  /**
   * All map outputs of one shuffle in memory: {@code buckets[mapPartition][reducePartition]},
   * each a list of pairs (combined per key when the shuffle combines on the map side).
   */
  record MapOutput(Object[][] buckets) implements Output {
    @Override
    @SuppressWarnings("unchecked")
    public List<List<Tuple2<Object, Object>>> buckets(int r) {
      List<List<Tuple2<Object, Object>>> out = new ArrayList<>(buckets.length);
      for (Object[] map : buckets) {
        out.add((List<Tuple2<Object, Object>>) map[r]);
      }
      return out;
    }

    @Override
    public void release(int r) {
      for (Object[] map : buckets) {
        map[r] = null;
      }
    }
  }

  /** The output of a shuffle that must already have run: a clear error if the engine skipped it. */
  static Output outputOf(Dependency.Shuffle dep) {
    Object out = dep.mapOutput();
    if (out == null) {
      throw new IllegalStateException(
          "Shuffle " + dep.shuffleId() + " has not been computed: run the dataset through an "
              + "engine (an action such as collect or count), not by calling compute directly");
    }
    return (Output) out;
  }

  /** Drops the buckets of reduce partition {@code r}, once its reader no longer needs them. */
  static void release(Dependency.Shuffle dep, int r) {
    outputOf(dep).release(r);
  }

  /** Reads reduce partition {@code r} and combines it by key with the dependency's aggregator. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, C> List<Tuple2<K, C>> combine(Dependency.Shuffle dep, int r) {
    Aggregator agg = dep.aggregator();
    CombineMap<K, C> result = new CombineMap<>();
    try {
      Function create = dep.mapSideCombine() ? c -> c : agg.createCombiner();
      Function2 merge = dep.mapSideCombine() ? agg.mergeCombiners() : agg.mergeValue();
      for (List<Tuple2<Object, Object>> bucket : outputOf(dep).buckets(r)) {
        for (Tuple2 kv : bucket) {
          result.combine((K) kv._1(), kv._2(), create, merge);
        }
      }
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    return result.toPairs();
  }

  /** Reads reduce partition {@code r} of a shuffle without aggregation: all pairs, in map order. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> List<Tuple2<K, V>> concat(Dependency.Shuffle dep, int r) {
    List<List<Tuple2<Object, Object>>> buckets = outputOf(dep).buckets(r);
    int size = 0;
    for (List<?> bucket : buckets) {
      size += bucket.size();
    }
    List<Tuple2<K, V>> all = new ArrayList<>(size);
    for (List bucket : buckets) {
      all.addAll(bucket);
    }
    return all;
  }
}
