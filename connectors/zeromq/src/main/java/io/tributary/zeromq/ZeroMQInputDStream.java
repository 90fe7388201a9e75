package io.tributary.zeromq;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;

/**
 * The stream of a ZeroMQ SUB socket (made by {@link ZeroMQUtils}): a {@link ReceiverInputDStream}
 * that also tells how many messages arrived and how many were dropped as bad input.
 */
public final class ZeroMQInputDStream<T> extends ReceiverInputDStream<T> {
  private final ZeroMQReceiver<T> receiver;

  ZeroMQInputDStream(StreamingContext ssc, ZeroMQReceiver<T> receiver) {
    super(ssc, receiver);
    this.receiver = receiver;
  }

  /** Counts of messages, stored records, bad input and connections so far. Thread-safe. */
  public ZeroMQStats stats() {
    return receiver.stats();
  }
}
