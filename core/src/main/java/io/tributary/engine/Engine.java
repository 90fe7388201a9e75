package io.tributary.engine;

import java.util.List;

/**
 * Where tasks run: the seam between the dataset layer, which plans a job into stages (shuffle
 * map stages first, then the result stage), and the threads or machines that run them. An engine
 * knows nothing of datasets: it runs one stage of independent tasks at a time. Found by master
 * URL through an {@link EngineFactory}.
 */
public interface Engine extends AutoCloseable {

  /**
   * Runs one task per entry of {@code partitions} and returns their results in that order.
   *
   * <p>Each task runs with a fresh {@link io.tributary.TaskContext} (its partition, stage and
   * attempt), also set as {@link io.tributary.TaskContext#get()} while it runs (the dataset layer
   * makes it current with the job's local properties and resources inside {@code task}: the local
   * engine runs tasks in the context's JVM; an engine running them elsewhere must give each
   * executor {@link io.tributary.Resources} of its own). When a task fails
   * (after the retries the engine allows), the stage fails: the running tasks are interrupted,
   * tasks not started yet never start, and a {@link io.tributary.JobFailedException} whose cause
   * is what the task threw is thrown only once every started task has ended.
   *
   * <p>A task's result is returned exactly as the task returned it: an engine running tasks
   * elsewhere serializes the task with its functions (and the broadcasts and accumulators they
   * use) and sends the results back serialized; the dataset layer's results carry each task's
   * accumulator updates, which it merges on the driver once the stage has succeeded.
   *
   * @throws IllegalStateException when called from inside a task (a job within a job), or after
   *     {@link #close()}
   */
  <U> List<U> runStage(int[] partitions, StageTask<U> task);

  /** The number of tasks that can run at the same time. */
  int parallelism();

  /**
   * Stops the engine; stages can no longer run. Tasks still running are interrupted, and this
   * returns once they ended, so what they use can be closed after it (an engine may stop waiting
   * after a bounded time for tasks that ignore interrupts, with a warning).
   */
  @Override
  void close();
}
