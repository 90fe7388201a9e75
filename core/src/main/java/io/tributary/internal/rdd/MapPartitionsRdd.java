package io.tributary.internal.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.internal.Sneaky;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** Applies a function to each partition of its parent, in the same task (narrow). */
public final class MapPartitionsRdd<T, U> extends Rdd<U> {
  private Rdd<T> parent;
  private PartitionFunction<T, U> f;
  private final boolean preservesPartitioning;

  public MapPartitionsRdd(Rdd<T> parent, PartitionFunction<T, U> f, boolean preservesPartitioning) {
    super(parent.context());
    this.parent = parent;
    this.f = f;
    this.preservesPartitioning = preservesPartitioning;
  }

  @Override
  protected int getNumPartitions() {
    return parent.numPartitions();
  }

  @Override
  protected void clearDependencies() {
    parent = null;
    f = null;
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of(new Dependency.Narrow(parent));
  }

  @Override
  protected Optional<Partitioner> getPartitioner() {
    return preservesPartitioning ? parent.partitioner() : Optional.empty();
  }

  @Override
  public Iterator<U> compute(int partition, TaskContext task) {
    try {
      return f.apply(partition, parent.iterator(partition, task));
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
