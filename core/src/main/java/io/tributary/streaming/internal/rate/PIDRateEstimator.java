package io.tributary.streaming.internal.rate;

import io.tributary.StreamingConf;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Spark Streaming's proportional-integral-derivative rate estimator, formula for formula: from a
 * completed batch's end time, record count, processing delay and scheduling delay it estimates
 * the ingestion rate (records per second) the pipeline can keep up with.
 *
 * <pre>
 * processingRate  = n / processingDelay * 1000
 * error           = latestRate - processingRate
 * historicalError = schedulingDelay * processingRate / batchInterval
 * dError          = (error - latestError) / ((time - latestTime) / 1000)
 * newRate         = max(latestRate - Kp * error - Ki * historicalError - Kd * dError, minRate)
 * </pre>
 *
 * A batch is skipped (no estimate) unless its time is after the previous one's, it has records,
 * and its processing delay is positive. The first batch that is not skipped only calibrates
 * ({@code latestRate = processingRate}) and yields no estimate. Thread-safe.
 */
public final class PIDRateEstimator {
  private final long batchIntervalMillis;
  private final double proportional;
  private final double integral;
  private final double derivative;
  private final double minRate;

  private boolean firstRun = true;
  private long latestTime = -1L;
  private double latestRate = -1D;
  private double latestError = -1D;
  private double calibration = -1D;

  /**
   * An estimator for batches of {@code batchIntervalMillis} (> 0) with gains {@code proportional},
   * {@code integral}, {@code derivative} (each ≥ 0) and a floor of {@code minRate} (> 0) records/s.
   */
  public PIDRateEstimator(
      long batchIntervalMillis, double proportional, double integral, double derivative, double minRate) {
    require(batchIntervalMillis > 0, "the batch interval must be positive, got " + batchIntervalMillis + " ms");
    require(proportional >= 0, "streaming.backpressure.pid.proportional must be ≥ 0, got " + proportional);
    require(integral >= 0, "streaming.backpressure.pid.integral must be ≥ 0, got " + integral);
    require(derivative >= 0, "streaming.backpressure.pid.derived must be ≥ 0, got " + derivative);
    require(minRate > 0, "streaming.backpressure.pid.minRate must be > 0, got " + minRate);
    this.batchIntervalMillis = batchIntervalMillis;
    this.proportional = proportional;
    this.integral = integral;
    this.derivative = derivative;
    this.minRate = minRate;
  }

  /**
   * The estimator configured by {@code streaming.backpressure.rateEstimator} (only {@code pid})
   * and {@code streaming.backpressure.pid.*} (defaults 1.0, 0.2, 0.0 and minRate 100).
   */
  public static PIDRateEstimator fromConf(StreamingConf conf, long batchIntervalMillis) {
    String kind = conf.get("streaming.backpressure.rateEstimator", "pid").trim();
    if (!kind.toLowerCase(Locale.ROOT).equals("pid")) {
      throw new IllegalArgumentException(
          "Unknown rate estimator '" + kind + "' in streaming.backpressure.rateEstimator: "
              + "the only one is 'pid'");
    }
    return new PIDRateEstimator(
        batchIntervalMillis,
        conf.getDouble("streaming.backpressure.pid.proportional", 1.0),
        conf.getDouble("streaming.backpressure.pid.integral", 0.2),
        conf.getDouble("streaming.backpressure.pid.derived", 0.0),
        conf.getDouble("streaming.backpressure.pid.minRate", 100));
  }

  /**
   * The new rate after a batch ended at {@code time} (ms) with {@code numElements} records,
   * {@code processingDelay} and {@code schedulingDelay} (ms); empty when the batch is skipped or
   * only calibrated the estimator (the first counted batch).
   */
  public synchronized OptionalDouble compute(
      long time, long numElements, long processingDelay, long schedulingDelay) {
    if (!(time > latestTime && numElements > 0 && processingDelay > 0)) {
      return OptionalDouble.empty();
    }
    double delaySinceUpdate = (time - latestTime) / 1000.0;
    double processingRate = (double) numElements / processingDelay * 1000;
    double error = latestRate - processingRate;
    double historicalError = schedulingDelay * processingRate / batchIntervalMillis;
    double dError = (error - latestError) / delaySinceUpdate;
    double newRate =
        Math.max(latestRate - proportional * error - integral * historicalError - derivative * dError, minRate);
    latestTime = time;
    if (firstRun) {
      calibration = Math.max(processingRate, minRate);
      latestRate = processingRate;
      latestError = 0;
      firstRun = false;
      return OptionalDouble.empty();
    }
    latestRate = newRate;
    latestError = error;
    return OptionalDouble.of(newRate);
  }

  /** The lowest rate this estimator gives, records per second. */
  public double minRate() {
    return minRate;
  }

  /**
   * The processing rate of the batch that calibrated this estimator (its first counted batch), at
   * least {@code minRate}; empty before that batch.
   */
  public synchronized OptionalDouble calibration() {
    return firstRun ? OptionalDouble.empty() : OptionalDouble.of(calibration);
  }

  private static void require(boolean ok, String problem) {
    if (!ok) {
      throw new IllegalArgumentException("Invalid backpressure setting: " + problem);
    }
  }
}
