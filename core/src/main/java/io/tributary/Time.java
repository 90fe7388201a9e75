package io.tributary;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A point in time in milliseconds since the epoch: the time of a batch. Immutable. */
public record Time(long milliseconds) implements Serializable, Comparable<Time> {

  public Time plus(Duration d) {
    return new Time(milliseconds + d.milliseconds());
  }

  public Time minus(Duration d) {
    return new Time(milliseconds - d.milliseconds());
  }

  /** The duration from {@code earlier} to this time. */
  public Duration minus(Time earlier) {
    return new Duration(milliseconds - earlier.milliseconds);
  }

  /** The latest multiple of {@code d} at or before this time. */
  public Time floor(Duration d) {
    return new Time(Math.floorDiv(milliseconds, d.milliseconds()) * d.milliseconds());
  }

  /** The latest time {@code zero + k*d} at or before this time. */
  public Time floor(Duration d, Time zero) {
    long k = Math.floorDiv(milliseconds - zero.milliseconds, d.milliseconds());
    return new Time(zero.milliseconds + k * d.milliseconds());
  }

  public boolean isMultipleOf(Duration d) {
    return d.milliseconds() != 0 && milliseconds % d.milliseconds() == 0;
  }

  public boolean less(Time t) {
    return milliseconds < t.milliseconds;
  }

  public boolean lessEq(Time t) {
    return milliseconds <= t.milliseconds;
  }

  public boolean greater(Time t) {
    return milliseconds > t.milliseconds;
  }

  public boolean greaterEq(Time t) {
    return milliseconds >= t.milliseconds;
  }

  /** The times {@code this, this+step, ...} strictly before {@code end}. */
  public List<Time> until(Time end, Duration step) {
    List<Time> times = new ArrayList<>();
    for (long t = milliseconds; t < end.milliseconds; t += step.milliseconds()) {
      times.add(new Time(t));
    }
    return times;
  }

  /** The times {@code this, this+step, ...} up to and including {@code end}. */
  public List<Time> to(Time end, Duration step) {
    return until(new Time(end.milliseconds + 1), step);
  }

  @Override
  public int compareTo(Time that) {
    return Long.compare(milliseconds, that.milliseconds);
  }

  @Override
  public String toString() {
    return milliseconds + " ms";
  }
}
