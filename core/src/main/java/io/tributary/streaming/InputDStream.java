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
  private volatile double rateLimit = Double.POSITIVE_INFINITY;

  protected InputDStream(StreamingContext ssc) {
    super(ssc);
    this.inputId = ssc.runtime().graph().registerInput(this);
  }

  /** The id of this input among the context's inputs (0, 1, ...): the receiver's stream id. */
  public int inputId() {
    return inputId;
  }

  /**
   * The ingestion rate this input may use now, in records per second; infinite when unlimited.
   * Backpressure lowers and raises it after each batch. A direct stream bounds each batch with it
   * ({@code rateLimit() * batch seconds} records at most); receivers are throttled for it.
   */
  public double rateLimit() {
    return rateLimit;
  }

  /** Engine use: sets the rate {@link #rateLimit()} reports (backpressure, static limits). */
  public void updateRateLimit(double recordsPerSecond) {
    if (!(recordsPerSecond > 0)) {
      throw new IllegalArgumentException("A rate limit must be positive, got " + recordsPerSecond);
    }
    this.rateLimit = recordsPerSecond;
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
