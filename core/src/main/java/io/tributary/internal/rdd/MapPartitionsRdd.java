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
  private final Rdd<T> parent;
  private final PartitionFunction<T, U> f;
  private final boolean preservesPartitioning;

  public MapPartitionsRdd(Rdd<T> parent, PartitionFunction<T, U> f, boolean preservesPartitioning) {
    super(parent.context());
    this.parent = parent;
    this.f = f;
    this.preservesPartitioning = preservesPartitioning;
  }

  @Override
  public int numPartitions() {
    return parent.numPartitions();
  }

  @Override
  public List<Dependency> dependencies() {
    return List.of(new Dependency.Narrow(parent));
  }

  @Override
  public Optional<Partitioner> partitioner() {
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
