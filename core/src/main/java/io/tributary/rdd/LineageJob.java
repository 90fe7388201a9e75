package io.tributary.rdd;

import java.util.Map;

/**
 * One job handed whole to a {@link LineageEngine}: the dataset, which of its partitions, the
 * local properties of the thread that submitted it, and what each result task does ({@link
 * #resultTask()}, which travels).
 */
public final class LineageJob<U> {
  private final Rdd<?> rdd;
  private final int[] partitions;
  private final Map<String, String> localProperties;
  private final TaskFunction<?, U> function;

  LineageJob(Rdd<?> rdd, int[] partitions, TaskFunction<?, U> function, Map<String, String> localProperties) {
    this.rdd = rdd;
    this.partitions = partitions.clone();
    this.function = function;
    this.localProperties = Map.copyOf(localProperties);
  }

  /** The dataset whose partitions the result tasks read. */
  public Rdd<?> rdd() {
    return rdd;
  }

  /** The partitions of {@link #rdd()} to run, in the order of the results. */
  public int[] partitions() {
    return partitions.clone();
  }

  /** The local properties every task of the job sees ({@code TaskContext.getLocalProperty}). */
  public Map<String, String> localProperties() {
    return localProperties;
  }

  /** What each result task does with the records of its partition, as data that travels. */
  public ResultTask resultTask() {
    return new ResultTask(
        LineageStreams.write(function, java.util.Set.of(), "the function of a job on " + rdd),
        rdd.context().conf());
  }

  /**
   * The result of one successful task, from what its {@link ResultTask#run} returned; merges the
   * task's accumulator updates into the driver's accumulators (call it once per partition, with
   * the attempt that succeeded).
   */
  public U result(byte[] encoded) {
    Jobs.TaskResult<U> result = rdd.context().serializer().deserialize(encoded);
    Accumulator.mergeAll(result.accumulatorUpdates());
    return result.value();
  }
}
