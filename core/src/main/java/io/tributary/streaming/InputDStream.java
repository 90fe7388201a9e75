package io.tributary.streaming;

import java.util.List;

/**
 * A stream that brings data in: the root of every lineage. Two kinds exist: receiver streams
 * ({@link ReceiverInputDStream}), fed by a long-running {@code Receiver}, and direct streams,
 * which subclass this class and decide in {@link #compute(Time)} exactly which range of a
 * replayable source each batch covers (a Kafka offset range, a set of new files, ...).
 *
 * <p>{@link #start()} and {@link #stop()} are called once by the context, around the batches.
 * The slide is the context's batch duration. A direct stream should report what each batch read
 * with {@code ssc.runtime().reportInput(...)}, so listeners see record counts and ranges.
 */
public abstract class InputDStream<T> extends DStream<T> {
  private final int inputId;

  protected InputDStream(StreamingContext ssc) {
    super(ssc);
    this.inputId = ssc.runtime().graph().registerInput(this);
  }

  /** The id of this input among the context's inputs (0, 1, ...): the receiver's stream id. */
  public int inputId() {
    return inputId;
  }

  /** Called when the context starts, before the first batch. */
  public abstract void start();

  /** Called when the context stops, after the last batch. */
  public abstract void stop();

  @Override
  public Duration slideDuration() {
    return ssc.batchDuration();
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of();
  }
}
