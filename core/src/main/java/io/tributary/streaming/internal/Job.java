package io.tributary.streaming.internal;

import io.tributary.streaming.Time;

/** One output operation of one batch, ready to run. */
public record Job(Time time, int outputId, String name, String description, Body body) {

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
