package io.tributary.rdd;

import java.util.List;

/**
 * SPI: an {@link io.tributary.engine.Engine} that runs whole jobs on a cluster engine of its own
 * (the Spark runner) implements this too. The planner then hands it each job whole instead of
 * running the stages itself: the engine cuts the lineage into {@link LineageSegment}s, runs the
 * shuffles and keeps persisted datasets in its own store. Checkpoints the lineage asked for are
 * still written by the planner after the job (as one more job).
 */
public interface LineageEngine {

  /**
   * Runs {@code job}: one result per entry of {@link LineageJob#partitions()}, in that order, each
   * decoded with {@link LineageJob#result(byte[])} from what {@link ResultTask#run} returned.
   *
   * @throws io.tributary.JobFailedException when a task failed (after the engine's retries)
   */
  <U> List<U> runJob(LineageJob<U> job);
}
