package io.tributary.kafka;

import io.tributary.TaskContext;
import io.tributary.rdd.RddContext;
import java.io.Serializable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tasks of one exactly-once write do, planned on the driver before the job runs: a value,
 * task {@code i} for input range {@code i}. The input dataset is not changed: where a task must
 * start inside its range (the offsets before were committed by an earlier run), the plan says so
 * in a local property of the sink's job ({@link #applyTo}), which the reader of that range reads
 * in the task ({@link #rangeToRead}). Any other job over the same dataset (another output, a
 * replay) carries no such property and reads every range whole.
 *
 * @param group the consumer group the input offsets are committed to
 * @param metadata the metadata committed with the offsets
 * @param tasks one per input range, in partition order
 */
record TransactionPlan(String group, String metadata, List<Task> tasks) implements Serializable {
  private static final String START_AT = "tributary.kafka.sink.startAt.";

  TransactionPlan {
    tasks = List.copyOf(tasks);
  }

  /**
   * What the task of input range {@code range} does.
   *
   * @param skip true when the range was committed already (or is empty): write nothing
   * @param startAt the first input offset to write (the range's start, or where an earlier run's
   *     commit ended)
   * @param committed the group's committed offset when planned (-1: none)
   * @param transactionalId the id of the producer writing the range
   * @param serial the producer of that id seen when planning (-1: none): a task finding another
   *     one checks the committed offset again
   */
  record Task(OffsetRange range, boolean skip, long startAt, long committed, String transactionalId, long serial)
      implements Serializable {
    static Task skipped(OffsetRange range, String transactionalId) {
      return new Task(range, true, range.untilOffset(), -1, transactionalId, -1);
    }
  }

  /** The tasks that write their range from an offset inside it (an earlier run committed the part before). */
  List<Task> resumed() {
    return tasks.stream().filter(t -> !t.skip() && t.startAt() != t.range().fromOffset()).toList();
  }

  /**
   * The local properties that make the readers of the input ranges start where the plan says:
   * for every task that does not start at its range's start. Skipped ranges read nothing, unless
   * {@code readSkipped} (a persisted dataset between the input and the output must be computed
   * whole, since other jobs read it from the cache).
   */
  Map<String, String> localProperties(boolean readSkipped) {
    Map<String, String> properties = new HashMap<>();
    for (Task task : tasks) {
      if (task.skip() ? !readSkipped : task.startAt() != task.range().fromOffset()) {
        properties.put(key(task.range()), Long.toString(task.startAt()));
      }
    }
    return properties;
  }

  /**
   * Runs {@code job} with {@code properties} set on the calling thread's local properties of
   * {@code context}, as they were before afterwards.
   */
  static void applyTo(RddContext context, Map<String, String> properties, Runnable job) {
    Map<String, String> before = new HashMap<>();
    properties.forEach((key, value) -> {
      before.put(key, context.getLocalProperty(key));
      context.setLocalProperty(key, value);
    });
    try {
      job.run();
    } finally {
      before.forEach(context::setLocalProperty);
    }
  }

  /**
   * The part of {@code range} the current task reads: all of it, unless the task belongs to an
   * exactly-once write whose plan starts it later.
   *
   * @throws IllegalStateException when the planned start lies outside the range
   */
  static OffsetRange rangeToRead(OffsetRange range) {
    TaskContext task = TaskContext.get();
    String startAt = task == null ? null : task.getLocalProperty(key(range));
    if (startAt == null) {
      return range;
    }
    long from = Long.parseLong(startAt);
    if (from < range.fromOffset() || from > range.untilOffset()) {
      throw new IllegalStateException("The exactly-once KafkaSink planned to start " + range + " at offset " + from
          + ", outside the range");
    }
    return from == range.fromOffset() ? range : OffsetRange.create(range.topicPartition(), from, range.untilOffset());
  }

  /** The local property naming where a sink's task starts reading {@code range} (exactly that range). */
  private static String key(OffsetRange range) {
    return START_AT + range.topic() + ":" + range.partition() + ":" + range.fromOffset() + ":" + range.untilOffset();
  }
}
