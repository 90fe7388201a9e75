package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The pairs of its parent redistributed by key: combined per key when an aggregator is given,
 * otherwise passed through (and sorted by key within each partition when an ordering is given).
 */
final class ShuffledRdd<K, V, C> extends Rdd<Tuple2<K, C>> {
  private Dependency.Shuffle dependency;
  private final Comparator<? super K> keyOrdering;
  private transient AtomicReferenceArray<List<Tuple2<K, C>>> reduced;

  ShuffledRdd(
      Rdd<Tuple2<K, V>> parent,
      Partitioner partitioner,
      Aggregator<K, V, C> aggregator,
      boolean mapSideCombine,
      Comparator<? super K> keyOrdering) {
    super(parent.context());
    this.dependency = new Dependency.Shuffle(parent, partitioner, aggregator, mapSideCombine);
    this.keyOrdering = keyOrdering;
    this.reduced = new AtomicReferenceArray<>(partitioner.numPartitions());
  }

  @Override
  int getNumPartitions() {
    return dependency.partitioner().numPartitions();
  }

  @Override
  void clearDependencies() {
    dependency = null;
    reduced = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of(dependency);
  }

  @Override
  Optional<Partitioner> getPartitioner() {
    return Optional.of(dependency.partitioner());
  }

  /**
   * Reads and merges the partition's buckets once, keeps the result and releases the buckets: a
   * merge function may then modify its first argument (Spark allows it), since no bucket is read
   * twice, and memory holds the merged result instead of the map outputs.
   */
  @Override
  Iterator<Tuple2<K, C>> compute(int partition, TaskContext task) {
    AtomicReferenceArray<List<Tuple2<K, C>>> reduced = reducedPartitions();
    List<Tuple2<K, C>> done = reduced.get(partition);
    if (done == null) {
      synchronized (reduced) {
        done = reduced.get(partition);
        if (done == null) {
          done = reduce(partition);
          reduced.set(partition, done);
          Shuffles.release(dependency, partition);
        }
      }
    }
    return done.iterator();
  }

  /** The merged partitions so far (made afresh for a copy of the lineage a task deserialized). */
  private synchronized AtomicReferenceArray<List<Tuple2<K, C>>> reducedPartitions() {
    if (reduced == null) {
      reduced = new AtomicReferenceArray<>(dependency.partitioner().numPartitions());
    }
    return reduced;
  }

  @SuppressWarnings("unchecked")
  private List<Tuple2<K, C>> reduce(int partition) {
    if (dependency.aggregator() != null) {
      return Shuffles.combine(dependency, partition);
    }
    List<Tuple2<K, C>> pairs = (List<Tuple2<K, C>>) (List<?>) Shuffles.concat(dependency, partition);
    if (keyOrdering != null) {
      pairs.sort((a, b) -> keyOrdering.compare(a._1(), b._1()));
    }
    return pairs;
  }
}
