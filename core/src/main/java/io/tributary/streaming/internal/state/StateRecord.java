package io.tributary.streaming.internal.state;

import java.io.Serializable;
import java.util.List;

/**
 * The one element of a partition of a state dataset: the partition's {@link StateMap} after a
 * batch, and the values the batch mapped (for {@code mapWithState}; empty otherwise).
 */
public final class StateRecord<K, S, M> implements Serializable {
  private static final long serialVersionUID = 1L;

  private StateMap<K, S> stateMap;
  private List<M> mapped;

  /** A record of {@code stateMap} and the values the batch mapped (not copied). */
  public StateRecord(StateMap<K, S> stateMap, List<M> mapped) {
    this.stateMap = stateMap;
    this.mapped = mapped;
  }

  /** The partition's state after the batch; read-only. */
  public StateMap<K, S> stateMap() {
    return stateMap;
  }

  /** The values the batch's mapping calls returned, in call order; read-only. */
  public List<M> mapped() {
    return mapped;
  }

  @Override
  public String toString() {
    return "StateRecord(" + stateMap + ", " + mapped.size() + " mapped)";
  }
}
