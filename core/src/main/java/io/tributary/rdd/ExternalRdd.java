package io.tributary.rdd;

import io.tributary.TaskContext;
import java.util.Iterator;
import java.util.List;

/**
 * Stands, in the copy of a lineage a task of another JVM computes ({@link LineageSegment}), for a
 * dataset that is not computed there: one the engine serves (a persisted dataset, read from the
 * engine's store), the parent of a shuffle (read through the shuffle instead), or one a function
 * merely captured. It has the id and partition count of the dataset it stands for and reads its
 * partitions from the inputs the engine gave the task.
 */
final class ExternalRdd<T> extends Rdd<T> {
  private static final long serialVersionUID = 1L;
  private final int partitions;
  private final String standsFor;
  private transient LineageSegment.Inputs inputs;

  ExternalRdd(Rdd<T> of) {
    super(of.context(), of.id());
    this.partitions = of.numPartitions();
    this.standsFor = of.toString();
  }

  void bind(LineageSegment.Inputs inputs) {
    this.inputs = inputs;
  }

  @Override
  int getNumPartitions() {
    return partitions;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  @SuppressWarnings("unchecked")
  Iterator<T> compute(int partition, TaskContext task) {
    Iterator<?> records = inputs == null ? null : inputs.partition(id(), partition);
    if (records == null) {
      throw new IllegalStateException(
          "Dataset " + standsFor + " is not available in this task: the engine neither serves it nor "
              + "computes it here. A function may only use the records it is given, not datasets it captured "
              + "(run actions on the driver, e.g. in foreachRDD or transform)");
    }
    return (Iterator<T>) records;
  }

  @Override
  public String toString() {
    return "ExternalRdd[" + id() + "] for " + standsFor;
  }
}
