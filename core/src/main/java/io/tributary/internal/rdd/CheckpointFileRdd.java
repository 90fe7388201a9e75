package io.tributary.internal.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** A dataset read back from the files of an earlier data checkpoint (used by recovery). */
public final class CheckpointFileRdd<T> extends Rdd<T> {
  private final int partitions;

  public CheckpointFileRdd(RddContext context, String directory, int partitions, Partitioner partitioner) {
    super(context);
    this.partitions = partitions;
    restoreFromCheckpoint(directory, partitions, Optional.ofNullable(partitioner));
  }

  @Override
  protected int getNumPartitions() {
    return partitions;
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  public Iterator<T> compute(int partition, TaskContext task) {
    throw new IllegalStateException("A checkpointed dataset is read from its files, never computed");
  }
}
