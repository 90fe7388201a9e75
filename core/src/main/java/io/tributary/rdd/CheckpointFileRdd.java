package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A dataset read back from the files of an earlier data checkpoint (used by recovery). */
final class CheckpointFileRdd<T> extends Rdd<T> {
  private final int partitions;

  CheckpointFileRdd(RddContext context, String directory, int partitions, Partitioner partitioner) {
    super(context);
    this.partitions = partitions;
    restoreFromCheckpoint(directory, partitions, Optional.ofNullable(partitioner));
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
  Iterator<T> compute(int partition, TaskContext task) {
    throw new IllegalStateException("A checkpointed dataset is read from its files, never computed");
  }
}
