package io.tributary;

import java.io.Serializable;

/**
 * A length of time in whole milliseconds: batch intervals, windows, slides, timeouts. Immutable.
 * Create with {@link Durations}.
 */
public record Duration(long milliseconds) implements Serializable, Comparable<Duration> {

  public Duration {
    if (milliseconds < 0) {
      throw new IllegalArgumentException("Duration must not be negative, got " + milliseconds + " ms");
    }
  }

  public Duration plus(Duration that) {
    return new Duration(milliseconds + that.milliseconds);
  }

  public Duration minus(Duration that) {
    return new Duration(milliseconds - that.milliseconds);
  }

  public Duration times(int factor) {
    return new Duration(milliseconds * factor);
  }

  /** How many times {@code that} fits in this duration, as a fraction. */
  public double div(Duration that) {
    return (double) milliseconds / that.milliseconds;
  }

  /** True when this duration is a whole, non-zero multiple of {@code that}. */
  public boolean isMultipleOf(Duration that) {
    return that.milliseconds != 0 && milliseconds % that.milliseconds == 0;
  }

  public boolean isZero() {
    return milliseconds == 0;
  }

  public boolean less(Duration that) {
    return milliseconds < that.milliseconds;
  }

  public boolean lessEq(Duration that) {
    return milliseconds <= that.milliseconds;
  }

  public boolean greater(Duration that) {
    return milliseconds > that.milliseconds;
  }

  public boolean greaterEq(Duration that) {
    return milliseconds >= that.milliseconds;
  }

  public Duration min(Duration that) {
    return less(that) ? this : that;
  }

  public Duration max(Duration that) {
    return greater(that) ? this : that;
  }

  @Override
  public int compareTo(Duration that) {
    return Long.compare(milliseconds, that.milliseconds);
  }

  /** Like {@code 500 ms}, {@code 2 s} or {@code 1.5 min}. */
  public String prettyPrint() {
    if (milliseconds < 1000) {
      return milliseconds + " ms";
    }
    if (milliseconds < 60_000) {
      return trim(milliseconds / 1000.0) + " s";
    }
    return trim(milliseconds / 60_000.0) + " min";
  }

  private static String trim(double value) {
    return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
  }

  @Override
  public String toString() {
    return milliseconds + " ms";
  }
}
