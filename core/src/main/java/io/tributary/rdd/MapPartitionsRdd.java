package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.internal.Sneaky;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Applies a function to each partition of its parent, in the same task (narrow). */
final class MapPartitionsRdd<T, U> extends Rdd<U> {
  private Rdd<T> parent;
  private PartitionFunction<T, U> f;
  private final boolean preservesPartitioning;

  MapPartitionsRdd(Rdd<T> parent, PartitionFunction<T, U> f, boolean preservesPartitioning) {
    super(parent.context());
    this.parent = parent;
    this.f = f;
    this.preservesPartitioning = preservesPartitioning;
  }

  @Override
  int getNumPartitions() {
    return parent.numPartitions();
  }

  @Override
  void clearDependencies() {
    parent = null;
    f = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of(new Dependency.OneToOne(parent));
  }

  @Override
  Optional<Partitioner> getPartitioner() {
    return preservesPartitioning ? parent.partitioner() : Optional.empty();
  }

  @Override
  Iterator<U> compute(int partition, TaskContext task) {
    try {
      return f.apply(partition, parent.iterator(partition, task));
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
