package io.tributary.rdd;

import java.io.Serializable;

/**
 * Sums {@code double}s and counts them, as Spark's {@code DoubleAccumulator}; made by {@link
 * RddContext#doubleAccumulator(String)}. See {@link Accumulator} for when task updates count.
 */
public final class DoubleAccumulator extends Accumulator<Double, Double> {
  private static final long serialVersionUID = 1L;

  private double sum;
  private long count;

  DoubleAccumulator(String name) {
    super(name);
  }

  public void add(double value) {
    Serializable update = taskUpdate();
    if (update != null) {
      ((Update) update).add(value);
    } else {
      synchronized (this) {
        sum += value;
        count++;
      }
    }
  }

  @Override
  public void add(Double value) {
    add(value.doubleValue());
  }

  /** The sum of every value added. */
  @Override
  public Double value() {
    return sum();
  }

  public synchronized double sum() {
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
    return count == 0 ? Double.NaN : sum / count;
  }

  @Override
  public synchronized boolean isZero() {
    return sum == 0.0 && count == 0;
  }

  @Override
  public synchronized void reset() {
    sum = 0.0;
    count = 0;
  }

  @Override
  Serializable zeroUpdate() {
    return new Update();
  }

  @Override
  synchronized void merge(Serializable update) {
    Update u = (Update) update;
    sum += u.sum;
    count += u.count;
  }

  /** A task's sum and count. */
  private static final class Update implements Serializable {
    private static final long serialVersionUID = 1L;
    double sum;
    long count;

    void add(double value) {
      sum += value;
      count++;
    }
  }
}
