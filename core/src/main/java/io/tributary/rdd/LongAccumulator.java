package io.tributary.rdd;

import java.io.Serializable;

/**
 * Sums {@code long}s and counts them, as Spark's {@code LongAccumulator}; made by {@link
 * RddContext#longAccumulator(String)}. See {@link Accumulator} for when task updates count.
 */
public final class LongAccumulator extends Accumulator<Long, Long> {
  private static final long serialVersionUID = 1L;

  private long sum;
  private long count;

  LongAccumulator(String name) {
    super(name);
  }

  public void add(long value) {
    Serializable update = taskUpdate();
    if (update != null) {
      long[] sumAndCount = (long[]) update;
      sumAndCount[0] += value;
      sumAndCount[1]++;
    } else {
      synchronized (this) {
        sum += value;
        count++;
      }
    }
  }

  @Override
  public void add(Long value) {
    add(value.longValue());
  }

  /** The sum of every value added. */
  @Override
  public Long value() {
    return sum();
  }

  public synchronized long sum() {
    checkOnDriver();
    return sum;
  }

  /** How many values were added. */
  public synchronized long count() {
    checkOnDriver();
    return count;
  }

  /** The mean of the values added (NaN for none). */
  public synchronized double avg() {
    checkOnDriver();
    return count == 0 ? Double.NaN : (double) sum / count;
  }

  @Override
  public synchronized boolean isZero() {
    return sum == 0 && count == 0;
  }

  @Override
  public synchronized void reset() {
    sum = 0;
    count = 0;
  }

  @Override
  Serializable zeroUpdate() {
    return new long[2];
  }

  @Override
  synchronized void merge(Serializable update) {
    long[] sumAndCount = (long[]) update;
    sum += sumAndCount[0];
    count += sumAndCount[1];
  }
}
