package io.tributary.rdd;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every element added, as Spark's {@code CollectionAccumulator}; made by {@link
 * RddContext#collectionAccumulator(String)}. Each finished task's elements are appended in the
 * order the task added them; tasks' lists come in no particular order. Meant for a few elements
 * (samples of bad records, say): everything added is kept on the driver. See {@link Accumulator}
 * for when task updates count.
 */
public final class CollectionAccumulator<T> extends Accumulator<T, List<T>> {
  private static final long serialVersionUID = 1L;

  private final ArrayList<T> elements = new ArrayList<>();

  CollectionAccumulator(String name) {
    super(name);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void add(T element) {
    Serializable update = taskUpdate();
    if (update != null) {
      ((ArrayList<T>) update).add(element);
    } else {
      synchronized (this) {
        elements.add(element);
      }
    }
  }

  /** A copy of the elements collected so far. */
  @Override
  public synchronized List<T> value() {
    checkOnDriver();
    return new ArrayList<>(elements);
  }

  @Override
  public synchronized boolean isZero() {
    return elements.isEmpty();
  }

  @Override
  public synchronized void reset() {
    elements.clear();
  }

  @Override
  Serializable zeroUpdate() {
    return new ArrayList<T>();
  }

  @Override
  @SuppressWarnings("unchecked")
  synchronized void merge(Serializable update) {
    elements.addAll((ArrayList<T>) update);
  }
}
