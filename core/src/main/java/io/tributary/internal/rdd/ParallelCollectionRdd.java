package io.tributary.internal.rdd;

import io.tributary.TaskContext;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** A snapshot of an in-memory list, cut into contiguous slices. */
public final class ParallelCollectionRdd<T> extends Rdd<T> {
  private Object[] data;
  private final int slices;

  public ParallelCollectionRdd(RddContext context, List<T> data, int slices) {
    super(context);
    this.data = data.toArray();
    this.slices = slices;
  }

  @Override
  protected int getNumPartitions() {
    return slices;
  }

  @Override
  protected void clearDependencies() {
    data = null;
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Iterator<T> compute(int partition, TaskContext task) {
    int from = (int) ((long) partition * data.length / slices);
    int to = (int) ((long) (partition + 1) * data.length / slices);
    return (Iterator<T>) Arrays.asList(data).subList(from, to).iterator();
  }
}
