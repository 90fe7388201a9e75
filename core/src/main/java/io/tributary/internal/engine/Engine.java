package io.tributary.internal.engine;

import io.tributary.rdd.Rdd;
import java.util.List;

/**
 * Runs jobs over a dataset's lineage: splits it into stages at shuffle dependencies, runs each
 * stage's tasks, and returns one result per requested partition, in partition order. A task's
 * failure fails the job with {@link io.tributary.JobFailedException}.
 */
public interface Engine extends AutoCloseable {

  <T, U> List<U> runJob(Rdd<T> rdd, int[] partitions, TaskFunction<T, U> function);

  /** The number of tasks that can run at the same time. */
  int parallelism();

  @Override
  void close();
}
