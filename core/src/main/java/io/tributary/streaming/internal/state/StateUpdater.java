package io.tributary.streaming.internal.state;

import io.tributary.Tuple2;
import io.tributary.Time;
import java.io.Serializable;
import java.util.Iterator;

/**
 * How a stateful operation turns one partition's state of the previous batch and the partition's
 * records of this batch into the partition's new state record.
 */
@FunctionalInterface
public interface StateUpdater<K, V, S, M> extends Serializable {
  /**
   * Computes the record of batch {@code time}. {@code previous} belongs to the previous batch and
   * must not be changed: start from {@code previous.copy()}.
   */
  StateRecord<K, S, M> update(Time time, StateMap<K, S> previous, Iterator<Tuple2<K, V>> data)
      throws Exception;
}
