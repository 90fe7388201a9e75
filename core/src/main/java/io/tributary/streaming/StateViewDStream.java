package io.tributary.streaming;

import io.tributary.function.FlatMapFunction;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.internal.rdd.Iterators;
import io.tributary.streaming.internal.state.StateRecord;
import java.util.List;
import java.util.Optional;

/**
 * What a user sees of a {@link StateDStream}: each batch's state records turned into elements
 * (the state's pairs, or the mapped values). Checkpointing is the state's business: {@link
 * #checkpoint(Duration)} sets the interval of the state stream.
 */
final class StateViewDStream<K, S, M, T> extends DStream<T> {
  private final StateDStream<K, ?, S, M> state;
  private final FlatMapFunction<StateRecord<K, S, M>, T> view;
  private final boolean preservesPartitioning;

  /**
   * @param view the elements of one state record
   * @param preservesPartitioning whether the elements keep the state's partitioner (pairs by key)
   */
  public StateViewDStream(
      StateDStream<K, ?, S, M> state, FlatMapFunction<StateRecord<K, S, M>, T> view,
      boolean preservesPartitioning) {
    super(state.context());
    this.state = state;
    this.view = view;
    this.preservesPartitioning = preservesPartitioning;
  }

  /** The state's {@code (key, state)} pairs of a record, for snapshot views. */
  public static <K, S, M> java.util.Iterator<io.tributary.Tuple2<K, S>> pairs(StateRecord<K, S, M> record) {
    return Iterators.map(record.stateMap().entries(), e -> new io.tributary.Tuple2<>(e.getKey(), e.getValue().state()));
  }

  /** The state stream this view reads. */
  public StateDStream<K, ?, S, M> state() {
    return state;
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
  public Optional<Rdd<T>> compute(Time validTime) {
    FlatMapFunction<StateRecord<K, S, M>, T> f = view;
    return state.getOrCompute(validTime)
        .map(rdd -> rdd.mapPartitions(records -> Iterators.flatMap(records, f), preservesPartitioning));
  }

  /** A view of the state: its name and checkpoint interval are the state's. */
  @Override
  protected DStreamLike<?, ?, ?> viewed() {
    return state;
  }
}
