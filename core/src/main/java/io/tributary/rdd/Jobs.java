package io.tributary.rdd;

import io.tributary.Resources;
import io.tributary.TaskContext;
import io.tributary.engine.Engine;
import io.tributary.engine.StageTask;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and runs a job over a dataset's lineage: first, parents first, every shuffle map stage the
 * lineage needs that has not run yet (its buckets stay on the {@link Dependency.Shuffle}, so a
 * lineage reused by several jobs, e.g. by windows or several outputs, shuffles once), then the
 * result stage; then writes the checkpoints the lineage asked for. Stages run on the context's
 * {@link Engine}. The tasks of every stage of a job see the local properties of the thread that
 * submitted it and the context's resources through {@link TaskContext}. An engine that is a {@link
 * LineageEngine} gets the job whole instead and runs its stages itself.
 */
final class Jobs {
  private Jobs() {}

  /** Runs {@code function} over {@code partitions} of {@code rdd}; one result per partition, in order. */
  static <T, U> List<U> run(Rdd<T> rdd, int[] partitions, TaskFunction<T, U> function) {
    RddContext context = rdd.context();
    if (context.isClosed()) {
      throw new IllegalStateException(
          "Cannot run a job: the context of dataset " + rdd.id() + " is closed; "
              + "create the dataset from a context that is still open");
    }
    Engine engine = context.engine();
    Map<String, String> properties = context.localProperties();
    List<U> results;
    if (engine instanceof LineageEngine lineage) {
      results = lineage.runJob(new LineageJob<>(rdd, partitions, function, properties));
    } else {
      runShuffles(engine, rdd, new IdentityHashMap<>(), properties);
      results = runStage(engine, partitions, inJob(context, properties,
          task -> function.apply(task, rdd.iterator(task.partitionId(), task))));
    }
    if (properties.isEmpty()) {
      rdd.doCheckpoint();
    } else { // a checkpoint holds the dataset itself, not what the tasks of one job were told to read
      Map<String, String> saved = context.clearLocalProperties();
      try {
        rdd.doCheckpoint();
      } finally {
        context.restoreLocalProperties(saved);
      }
    }
    return results;
  }

  /**
   * {@code task} run with a task context that also carries the job's local properties and the
   * context's resources (the local engine runs tasks in the context's JVM), current while it runs,
   * and with the attempt's own accumulator updates, returned beside its result.
   */
  private static <U> StageTask<TaskResult<U>> inJob(
      RddContext context, Map<String, String> properties, StageTask<U> task) {
    Resources resources = context.resources();
    return engineContext -> {
      TaskContext job = new TaskContext(engineContext.stageId(), engineContext.partitionId(),
          engineContext.attemptNumber(), engineContext.taskAttemptId(), properties, resources);
      TaskContext.set(job);
      try {
        return withAccumulators(() -> task.run(job));
      } finally {
        TaskContext.set(engineContext);
      }
    };
  }

  /**
   * Runs one task attempt with accumulator updates of its own, returned beside its value; a failed
   * attempt's updates are dropped.
   */
  static <U> TaskResult<U> withAccumulators(java.util.concurrent.Callable<U> attempt) throws Exception {
    TaskAccumulators outer = TaskAccumulators.begin();
    boolean done = false;
    try {
      U value = attempt.call();
      done = true;
      return new TaskResult<>(value, TaskAccumulators.end(outer));
    } finally {
      if (!done) {
        TaskAccumulators.end(outer);
      }
    }
  }

  /**
   * Runs one stage and, once it succeeded, merges its tasks' accumulator updates on the driver;
   * the tasks' results in partition order.
   */
  private static <U> List<U> runStage(Engine engine, int[] partitions, StageTask<TaskResult<U>> task) {
    List<TaskResult<U>> results = engine.runStage(partitions, task);
    List<U> values = new java.util.ArrayList<>(results.size());
    for (TaskResult<U> result : results) {
      Accumulator.mergeAll(result.accumulatorUpdates());
      values.add(result.value());
    }
    return values;
  }

  /** What a task sends back: its value and its accumulator updates by accumulator id. */
  record TaskResult<U>(U value, Map<Long, java.io.Serializable> accumulatorUpdates)
      implements java.io.Serializable {}

  /** Every partition index of {@code rdd}. */
  static int[] allPartitions(Rdd<?> rdd) {
    int[] all = new int[rdd.numPartitions()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Runs, parents first, every shuffle this lineage needs that has not run yet. */
  private static void runShuffles(Engine engine, Rdd<?> rdd, Map<Rdd<?>, Boolean> visited,
      Map<String, String> properties) {
    if (visited.put(rdd, Boolean.TRUE) != null || rdd.isFullyCached()) {
      return;
    }
    for (Dependency dep : rdd.dependencies()) {
      runShuffles(engine, dep.parent(), visited, properties);
      if (dep instanceof Dependency.Shuffle shuffle && shuffle.mapOutput() == null) {
        synchronized (shuffle) {
          if (shuffle.mapOutput() == null) {
            runMapStage(engine, shuffle, properties);
          }
        }
      }
    }
  }

  private static void runMapStage(Engine engine, Dependency.Shuffle dep, Map<String, String> properties) {
    Rdd<?> parent = dep.parent();
    List<Object[]> buckets =
        runStage(
            engine,
            allPartitions(parent),
            inJob(parent.context(), properties,
                task -> Shuffles.writeBuckets(dep, parent.iterator(task.partitionId(), task))));
    dep.mapOutput(new Shuffles.MapOutput(buckets.toArray(new Object[0][])));
  }
}
