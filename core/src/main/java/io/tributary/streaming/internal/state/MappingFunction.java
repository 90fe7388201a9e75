package io.tributary.streaming.internal.state;

import io.tributary.State;
import io.tributary.Time;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The mapping function of a {@code mapWithState} in one shape for both user forms: called for one
 * record (or a timing-out key, with an empty value), it adds what it maps to {@code out}.
 */
@FunctionalInterface
public interface MappingFunction<K, V, S, M> extends Serializable {
  void apply(Time time, K key, Optional<V> value, State<S> state, List<M> out) throws Exception;
}
