package io.tributary.rdd;

import io.tributary.engine.Engine;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans and runs a job over a dataset's lineage: first, parents first, every shuffle map stage the
 * lineage needs that has not run yet (its buckets stay on the {@link Dependency.Shuffle}, so a
 * lineage reused by several jobs, e.g. by windows or several outputs, shuffles once), then the
 * result stage; then writes the checkpoints the lineage asked for. Stages run on the context's
 * {@link Engine}.
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
    runShuffles(engine, rdd, new IdentityHashMap<>());
    List<U> results =
        engine.runStage(partitions, task -> function.apply(task, rdd.iterator(task.partitionId(), task)));
    rdd.doCheckpoint();
    return results;
  }

  /** Every partition index of {@code rdd}. */
  static int[] allPartitions(Rdd<?> rdd) {
    int[] all = new int[rdd.numPartitions()];
    for (int i = 0; i < all.length; i++) {
      all[i] = i;
    }
    return all;
  }

  /** Runs, parents first, every shuffle this lineage needs that has not run yet. */
  private static void runShuffles(Engine engine, Rdd<?> rdd, Map<Rdd<?>, Boolean> visited) {
    if (visited.put(rdd, Boolean.TRUE) != null || rdd.isFullyCached()) {
      return;
    }
    for (Dependency dep : rdd.dependencies()) {
      runShuffles(engine, dep.parent(), visited);
      if (dep instanceof Dependency.Shuffle shuffle && shuffle.mapOutput() == null) {
        synchronized (shuffle) {
          if (shuffle.mapOutput() == null) {
            runMapStage(engine, shuffle);
          }
        }
      }
    }
  }

  private static void runMapStage(Engine engine, Dependency.Shuffle dep) {
    Rdd<?> parent = dep.parent();
    List<Object[]> buckets =
        engine.runStage(
            allPartitions(parent),
            task -> Shuffles.writeBuckets(dep, parent.iterator(task.partitionId(), task)));
    dep.mapOutput(new Shuffles.MapOutput(buckets.toArray(new Object[0][])));
  }
}
