package io.tributary.streaming.internal.scheduler;

import io.tributary.Time;

/**
 * One output operation of one batch, ready to run; {@code body} may run again when it fails. {@code
 * dependsOnState}: whether the output's streams include a stateful one, whose next batch builds on
 * this one's result.
 */
public record Job(Time time, int outputId, String name, String description, boolean dependsOnState, Body body) {

  /** What the job does; may throw anything, which fails the job. */
  @FunctionalInterface
  public interface Body {
    void run() throws Throwable;
  }

  @Override
  public String toString() {
    return "streaming job " + time.milliseconds() + " ms." + outputId;
  }
}
