package io.tributary.streaming;

import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A stream that brings data in: the root of every lineage. Two kinds exist: receiver streams
 * ({@link ReceiverInputDStream}), fed by a long-running {@code Receiver}, and direct streams,
 * which subclass this class and decide in {@link #compute(Time)} exactly which range of a
 * replayable source each batch covers (a Kafka offset range, a set of new files, ...).
 *
 * <p>{@link #start()} and {@link #stop()} are called once by the context, around the batches.
 * The slide is the context's batch duration. A direct stream should report what each batch read
 * with {@link #reportInput}, so listeners see record counts and ranges.
 */
public abstract class InputDStream<T> extends DStream<T> {
  /** The record size {@link #maxRecordsPerBatch()} assumes by default, in bytes. */
  private static final long BYTES_PER_RECORD = 100;

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
   * It is the smaller of the stream's static limit ({@code streaming.receiver.maxRate} for
   * receivers) and the backpressure rate (backpressure is on by default): its start rate
   * ({@code streaming.backpressure.initialRate}, or when that is not set a derived start until the
   * input's first batch is measured), then the estimate after each batch. A direct stream bounds
   * each batch with it ({@code rateLimit() * batch seconds} records at most, see {@link
   * #recordsPerPartition(Map)}); receivers are throttled to it on every {@code store}.
   */
  public double rateLimit() {
    return rateLimit;
  }

  /**
   * Sets the rate {@link #rateLimit()} reports (positive, or infinite for unlimited). The engine
   * calls it after each batch with the static limit and backpressure already combined; by hand it
   * is for tests of direct streams. It does not throttle a receiver by itself.
   */
  public void updateRateLimit(double recordsPerSecond) {
    if (!(recordsPerSecond > 0)) {
      throw new IllegalArgumentException("A rate limit must be positive, got " + recordsPerSecond);
    }
    this.rateLimit = recordsPerSecond;
  }

  /**
   * True when this input bounds its batches by {@link #rateLimit()}, so backpressure should
   * estimate a rate for it (and post {@code StreamingListenerRateUpdated} events). Receiver
   * streams: true. A direct stream that honours the rate limit overrides this to return true;
   * the default is false.
   */
  public boolean followsRateLimit() {
    return false;
  }

  /**
   * For direct streams: how many records each partition may contribute to the next batch, given
   * the records available in each ({@code lags}). Uses {@code streaming.direct.maxRatePerPartition}
   * (records/s per partition, 0 = no cap; default 0) and {@code
   * streaming.direct.minRatePerPartition} (default 1); see {@link #recordsPerPartition(Map,
   * ToDoubleFunction, ToDoubleFunction)}, which also applies {@link #maxRecordsPerBatch()}.
   */
  protected final <P> Map<P, Long> recordsPerPartition(Map<P, Long> lags) {
    double max = ssc.conf().getDouble("streaming.direct.maxRatePerPartition", 0);
    double min = ssc.conf().getDouble("streaming.direct.minRatePerPartition", 1);
    if (max < 0 || min < 0) {
      throw new IllegalArgumentException(
          "streaming.direct.maxRatePerPartition and streaming.direct.minRatePerPartition must be ≥ 0 "
              + "(records per second), got " + max + " and " + min);
    }
    return recordsPerPartition(lags, p -> max, p -> min);
  }

  /**
   * For direct streams: how many records each partition may contribute to the next batch, as
   * Spark's Kafka direct stream computes it, bounded by {@link #maxRecordsPerBatch()} as well.
   * The batch's rate is the smaller of {@link #rateLimit()} and {@code maxRecordsPerBatch / batch
   * seconds}. With a finite rate, it is shared among partitions in proportion to their lag and
   * each share is capped by {@code maxRatePerPartition} (when > 0); without one (both unlimited),
   * each partition gets {@code maxRatePerPartition} (when > 0) or everything it has. A partition's
   * count is then {@code batch seconds × its rate} rounded down, at least {@code batch seconds ×
   * minRatePerPartition} rounded down and at least one record, and never more than its lag: a
   * batch takes at most {@code maxRecordsPerBatch} records but for these per-partition floors.
   * The first batches are bounded too: with backpressure on, the engine puts its start rate into
   * {@link #rateLimit()} before them (see {@code StreamingConf}).
   *
   * @param lags records available per partition (negative values count as 0)
   * @param maxRatePerPartition records/s cap per partition; 0 or less for none
   * @param minRatePerPartition records/s floor per partition (a batch still takes one record)
   * @return the records to take per partition, in the order of {@code lags}
   */
  protected final <P> Map<P, Long> recordsPerPartition(
      Map<P, Long> lags, ToDoubleFunction<P> maxRatePerPartition, ToDoubleFunction<P> minRatePerPartition) {
    double seconds = slideDuration().milliseconds() / 1000.0;
    long maxRecords = maxRecordsPerBatch();
    double rate = maxRecords > 0 ? Math.min(rateLimit(), maxRecords / seconds) : rateLimit();
    long totalLag = 0;
    for (long lag : lags.values()) {
      totalLag += Math.max(lag, 0);
    }
    Map<P, Long> result = new LinkedHashMap<>();
    for (Map.Entry<P, Long> e : lags.entrySet()) {
      long lag = Math.max(e.getValue(), 0);
      double cap = maxRatePerPartition.applyAsDouble(e.getKey());
      double limit;
      if (!Double.isInfinite(rate)) {
        double share = totalLag == 0 ? 0 : (double) lag / totalLag * rate;
        limit = cap > 0 ? Math.min(share, cap) : share;
      } else {
        limit = cap > 0 ? cap : Double.POSITIVE_INFINITY;
      }
      long floor = (long) Math.max(seconds * minRatePerPartition.applyAsDouble(e.getKey()) + 1e-9, 1);
      double records = Math.max(seconds * limit + 1e-9, floor);
      result.put(e.getKey(), records >= lag ? lag : (long) records);
    }
    return result;
  }

  /**
   * Reports what the batch of {@code time} read from this input: {@code records} records, and
   * {@code metadata} shown to listeners in {@code StreamInputInfo} (e.g. the ranges read, under
   * {@code StreamInputInfo.METADATA_KEY_DESCRIPTION} a line for people). Call it from {@link
   * #compute(Time)}, and for each batch a direct stream restores from a checkpoint (in {@code
   * restoreCheckpointData}), so that a batch run again after a restart reports what it reads too.
   */
  protected final void reportInput(Time time, long records, java.util.Map<String, Object> metadata) {
    ssc.runtime().reportInput(time, new StreamInputInfo(inputId, records, metadata));
  }

  /**
   * For direct streams: the most records one batch may take over all partitions, {@code
   * streaming.direct.maxRecordsPerBatch}; 0 for no bound. By default one record per 100 bytes of
   * {@code streaming.receiver.maxBufferedBytes} (a quarter of the heap): about 1.3 million at
   * {@code -Xmx512m}, 10.7 million at {@code -Xmx4g}, so that a backlog (after a downtime, say) is
   * read over several batches instead of in one. Fails naming the key when it is negative.
   */
  public long maxRecordsPerBatch() {
    String key = "streaming.direct.maxRecordsPerBatch";
    long max = ssc.conf().getLong(key, ssc.runtime().blockStore().maxBufferedBytes() / BYTES_PER_RECORD);
    if (max < 0) {
      throw new IllegalArgumentException(
          "Configuration key '" + key + "' must be a number of records ≥ 0 (0 = no bound), got " + max);
    }
    return max;
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
