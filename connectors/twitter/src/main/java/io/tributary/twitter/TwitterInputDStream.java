package io.tributary.twitter;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.receiver.Receiver;
import java.util.function.Supplier;

/**
 * The stream of a Twitter / X receiver (made by {@link TwitterUtils}): a {@link
 * ReceiverInputDStream} that also tells what arrived, what was dropped as bad input, and how the
 * connection fared.
 */
public final class TwitterInputDStream<T> extends ReceiverInputDStream<T> {
  private final Supplier<TwitterStats> stats;

  TwitterInputDStream(StreamingContext ssc, Receiver<T> receiver, Supplier<TwitterStats> stats) {
    super(ssc, receiver);
    this.stats = stats;
  }

  /** Counts so far. Thread-safe. */
  public TwitterStats stats() {
    return stats.get();
  }
}
