package io.tributary.streaming.testing;

import io.tributary.Time;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The collected output of one stream: every batch's elements, by batch time. Thread-safe. */
public final class TestOutput<T> {
  private final TreeMap<Time, List<T>> batches = new TreeMap<>();

  synchronized void add(Time time, List<T> elements) {
    batches.put(time, Collections.unmodifiableList(new ArrayList<>(elements)));
  }

  /** Every batch's elements, oldest batch first. */
  public synchronized List<List<T>> batches() {
    return new ArrayList<>(batches.values());
  }

  /** The elements of batch {@code index} (0 = the first batch). */
  public synchronized List<T> batch(int index) {
    return batches().get(index);
  }

  /** The elements of the batch at {@code time}, or an empty list. */
  public synchronized List<T> batchAt(Time time) {
    return batches.getOrDefault(time, List.of());
  }

  /** The newest batch's elements, or an empty list. */
  public synchronized List<T> lastBatch() {
    return batches.isEmpty() ? List.of() : batches.lastEntry().getValue();
  }

  /** Every element of every batch, in batch order. */
  public synchronized List<T> all() {
    List<T> all = new ArrayList<>();
    batches.values().forEach(all::addAll);
    return all;
  }

  /** Batch times seen so far, with their elements. */
  public synchronized Map<Time, List<T>> byTime() {
    return new TreeMap<>(batches);
  }
}
