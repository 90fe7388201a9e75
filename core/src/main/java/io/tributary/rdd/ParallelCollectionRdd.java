package io.tributary.rdd;

import io.tributary.TaskContext;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** A snapshot of an in-memory list, cut into contiguous slices. */
final class ParallelCollectionRdd<T> extends Rdd<T> {
  private Object[] data;
  private final int slices;

  ParallelCollectionRdd(RddContext context, List<T> data, int slices) {
    super(context);
    this.data = data.toArray();
    this.slices = slices;
  }

  @Override
  int getNumPartitions() {
    return slices;
  }

  @Override
  void clearDependencies() {
    data = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  @SuppressWarnings("unchecked")
  Iterator<T> compute(int partition, TaskContext task) {
    int from = (int) ((long) partition * data.length / slices);
    int to = (int) ((long) (partition + 1) * data.length / slices);
    return (Iterator<T>) Arrays.asList(data).subList(from, to).iterator();
  }
}
