package io.tributary.streaming;

import io.tributary.Tuple2;
import io.tributary.internal.rdd.Iterators;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.streaming.internal.state.StateRecord;
import java.util.List;
import java.util.Optional;

/** The mapped values of a {@code mapWithState}, read from the records of its state stream. */
final class MapWithStateDStreamImpl<K, V, S, M> extends MapWithStateDStream<K, V, S, M> {
  private final StateDStream<K, V, S, M> state;

  public MapWithStateDStreamImpl(StateDStream<K, V, S, M> state) {
    super(state.context());
    this.state = state;
  }

  /** The state stream behind this one. */
  public StateDStream<K, V, S, M> state() {
    return state;
  }

  @Override
  public PairDStream<K, S> stateSnapshots() {
    return PairDStream.fromDStream(
        new StateViewDStream<K, S, M, Tuple2<K, S>>(state, StateViewDStream::pairs, true));
  }

  @Override
  public Duration slideDuration() {
    return state.slideDuration();
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of(state);
  }

  @Override
  public Optional<Rdd<M>> compute(Time validTime) {
    return state.getOrCompute(validTime)
        .map(rdd -> rdd.mapPartitions(records -> Iterators.flatMap(records, (StateRecord<K, S, M> r) -> r.mapped().iterator())));
  }

  /** A view of the state: its name and checkpoint interval are the state's. */
  @Override
  protected DStreamLike<?, ?, ?> viewed() {
    return state;
  }
}
