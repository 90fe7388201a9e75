package io.tributary.rdd;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * The accumulator updates of the task attempt running on this thread: bound by the job's task
 * wrapper (wherever the engine runs it), returned with the task's result, merged on the driver.
 */
final class TaskAccumulators {
  private static final ThreadLocal<TaskAccumulators> CURRENT = new ThreadLocal<>();

  private final Map<Long, Serializable> updates = new HashMap<>();

  /** The updates of the task running on this thread, or null outside tasks. */
  static TaskAccumulators current() {
    return CURRENT.get();
  }

  /** Binds a fresh set of updates to this thread; returns the set it replaced (to restore). */
  static TaskAccumulators begin() {
    TaskAccumulators previous = CURRENT.get();
    CURRENT.set(new TaskAccumulators());
    return previous;
  }

  /** Unbinds this thread's updates, restoring {@code previous}; returns the updates made. */
  static Map<Long, Serializable> end(TaskAccumulators previous) {
    TaskAccumulators done = CURRENT.get();
    if (previous == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(previous);
    }
    return done == null || done.updates.isEmpty() ? Map.of() : done.updates;
  }

  Serializable updateOf(Accumulator<?, ?> accumulator) {
    return updates.computeIfAbsent(accumulator.id(), id -> accumulator.zeroUpdate());
  }
}
