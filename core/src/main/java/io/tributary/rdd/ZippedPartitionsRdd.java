package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.function.Function2;
import io.tributary.internal.Sneaky;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Partition i of two parents with as many partitions, combined in one task (one-to-one on both). */
final class ZippedPartitionsRdd<A, B, V> extends Rdd<V> {
  private Rdd<A> first;
  private Rdd<B> second;
  private Function2<Iterator<A>, Iterator<B>, Iterator<V>> f;
  private final boolean preservesPartitioning;

  ZippedPartitionsRdd(
      Rdd<A> first, Rdd<B> second, Function2<Iterator<A>, Iterator<B>, Iterator<V>> f,
      boolean preservesPartitioning) {
    super(first.context());
    this.first = first;
    this.second = second;
    this.f = f;
    this.preservesPartitioning = preservesPartitioning;
  }

  @Override
  int getNumPartitions() {
    return first.numPartitions();
  }

  @Override
  void clearDependencies() {
    first = null;
    second = null;
    f = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of(new Dependency.OneToOne(first), new Dependency.OneToOne(second));
  }

  @Override
  Optional<Partitioner> getPartitioner() {
    return preservesPartitioning ? first.partitioner() : Optional.empty();
  }

  @Override
  Iterator<V> compute(int partition, TaskContext task) {
    try {
      return f.call(first.iterator(partition, task), second.iterator(partition, task));
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
