package io.tributary.streaming;

import io.tributary.rdd.Rdd;

/**
 * A discretized stream of elements of type {@code T}: one {@link Rdd} per batch interval. The
 * operations are those of {@link DStreamLike}; functions given to foreachRDD and transform see
 * each batch as an {@code Rdd<T>}. A stream of pairs is a {@link PairDStream}.
 *
 * <p>Connectors and the engine subclass this class for new kinds of stream ({@link
 * InputDStream} for sources), defining {@code slideDuration}, {@code dependencies} and {@code
 * compute}.
 */
public abstract class DStream<T> extends DStreamLike<T, Rdd<T>, DStream<T>> {

  protected DStream(StreamingContext ssc) {
    super(ssc);
  }

  @Override
  protected final Rdd<T> typed(Rdd<T> rdd) {
    return rdd;
  }

  @Override
  protected final DStream<T> typed(DStream<T> stream) {
    return stream;
  }
}
