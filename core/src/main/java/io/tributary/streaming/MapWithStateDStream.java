package io.tributary.streaming;

/**
 * The stream returned by {@link PairDStream#mapWithState}: the values the mapping function
 * returned in each batch, plus {@link #stateSnapshots()}, the full state after each batch.
 * {@link #checkpoint(Duration)} sets the checkpoint interval of the state behind it.
 *
 * @param <K> key type
 * @param <V> value type of the input stream
 * @param <S> state type
 * @param <M> type of the mapped values
 */
public abstract class MapWithStateDStream<K, V, S, M> extends DStream<M> {

  MapWithStateDStream(StreamingContext ssc) {
    super(ssc);
  }

  /**
   * A stream of every key's state after each batch (all keys, not only those of the batch),
   * partitioned like the state. Reading it costs the size of the state.
   */
  public abstract PairDStream<K, S> stateSnapshots();
}
