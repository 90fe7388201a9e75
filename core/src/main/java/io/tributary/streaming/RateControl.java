package io.tributary.streaming;

import io.tributary.streaming.internal.rate.PIDRateEstimator;
import io.tributary.streaming.internal.rate.RateLimiter;
import io.tributary.Duration;
import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.streaming.internal.scheduler.ListenerBus;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingestion rates of a context's input streams: static limits, the start rate, and
 * backpressure.
 *
 * <ul>
 *   <li>Each receiver stream has a {@link RateLimiter} that every {@code store} call of its
 *       receiver goes through. Its static limit is {@code streaming.receiver.maxRate.<stream
 *       name>}, else {@code streaming.receiver.maxRate.<input id>}, else {@code
 *       streaming.receiver.maxRate} (records/s; 0, the default, is unlimited).
 *   <li>With {@code streaming.backpressure.enabled} (the default), every input that {@linkplain
 *       InputDStream#followsRateLimit() follows its rate limit} starts at {@code
 *       streaming.backpressure.initialRate} when it is set (0: no start bound), and after each
 *       completed batch a {@link PIDRateEstimator} per input computes a new rate on a single
 *       daemon thread. The rate applied is the smaller of the estimate and the static limit; it
 *       goes to {@link InputDStream#updateRateLimit} and the receiver's limiter, is logged at INFO,
 *       and is posted as a {@link StreamingListenerRateUpdated} event when it changed.
 *   <li>Without {@code initialRate}, an input starts at {@link #DERIVED_START_RATE} instead of
 *       guessing: once a batch holding some of its records is submitted, it is held at {@code
 *       streaming.backpressure.pid.minRate} until that batch completes, and then takes the rate
 *       that batch was processed at (the estimator's calibration), so the batches before the
 *       first estimate are bounded by a measurement. A batch processed in under a millisecond
 *       measures nothing: the input goes back to the start rate until the next one.
 * </ul>
 */
final class RateControl implements StreamingListener {
  private static final Logger LOG = LoggerFactory.getLogger(RateControl.class);
  private static final String INITIAL_RATE = "streaming.backpressure.initialRate";

  /**
   * The rate, in records per second, an input that follows its rate limit starts at when
   * backpressure is on and {@code streaming.backpressure.initialRate} is not set, until its first
   * batch with records is submitted. Large enough that a cheap pipeline reaches its speed within
   * a few batches (W1 kept 0.93 of its unbounded throughput with it, 0.84 with 100,000; see
   * benchmarks/RESULTS.md); a pipeline far slower than this should set {@code initialRate}.
   */
  public static final double DERIVED_START_RATE = 1_000_000;

  private final StreamingConf conf;
  private final ListenerBus bus;
  private final long batchMillis;
  private volatile double burstSeconds = 0.2;
  private final Map<Integer, Controlled> inputs = new ConcurrentHashMap<>();
  private final Map<Integer, RateLimiter> limiters = new ConcurrentHashMap<>();
  private volatile ExecutorService estimating;

  /** Where an input is in the derived start (see the class comment). */
  private enum Start {
    /** An initial rate was set, or backpressure is off, or the first batch was measured. */
    DONE,
    /** At the derived start rate, waiting for a batch with records. */
    OPEN,
    /** A batch with records is in flight: held at the estimator's minimum until it completes. */
    HELD
  }

  /** One input under control; {@code start} changes on the estimator thread only. */
  private static final class Controlled {
    final InputDStream<?> stream;
    final double maxRate;
    final PIDRateEstimator estimator;
    volatile Start start;

    Controlled(InputDStream<?> stream, double maxRate, PIDRateEstimator estimator, Start start) {
      this.stream = stream;
      this.maxRate = maxRate;
      this.estimator = estimator;
      this.start = start;
    }
  }

  /**
   * Rate control for a context with {@code conf}, posting to {@code bus}, with batches of {@code
   * batchMillis}. Settings are read at {@link #start}.
   */
  public RateControl(StreamingConf conf, ListenerBus bus, long batchMillis) {
    this.conf = conf;
    this.bus = bus;
    this.batchMillis = batchMillis;
  }

  /** True unless {@code streaming.backpressure.enabled} is set to false. */
  public boolean backpressureEnabled() {
    return conf.getBoolean("streaming.backpressure.enabled", true);
  }

  /**
   * Before the inputs and receivers start: applies each input's static limit and start rate,
   * creates the receivers' limiters, and with backpressure starts listening for batches. Fails
   * naming the key when a rate setting is not a number or is negative.
   */
  public void start(List<InputDStream<?>> streams) {
    // a limiter saves at most one block interval of unused permits
    burstSeconds = Math.max(conf.getDuration("streaming.blockInterval", new Duration(200)).milliseconds(), 1) / 1000.0;
    boolean backpressure = backpressureEnabled();
    boolean derived = backpressure && !conf.contains(INITIAL_RATE);
    double initialRate = !backpressure
        ? Double.POSITIVE_INFINITY
        : derived ? DERIVED_START_RATE : rate(INITIAL_RATE);
    for (InputDStream<?> stream : streams) {
      boolean receiver = stream instanceof ReceiverInputDStream<?>;
      double maxRate = receiver ? maxRateOf(stream) : Double.POSITIVE_INFINITY;
      boolean follows = stream.followsRateLimit();
      double first = follows ? Math.min(maxRate, initialRate) : maxRate;
      apply(stream, first);
      PIDRateEstimator estimator = backpressure && follows ? PIDRateEstimator.fromConf(conf, batchMillis) : null;
      Start start = derived && follows ? Start.OPEN : Start.DONE;
      inputs.put(stream.inputId(), new Controlled(stream, maxRate, estimator, start));
      if (!Double.isInfinite(first)) {
        LOG.info("Input stream {} starts at {} records/s{}", stream.inputId(), format(first),
            start == Start.OPEN ? " (backpressure's start, until its first batch is measured)" : "");
      }
    }
    if (backpressure) {
      estimating =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "tributary-rate-estimator");
                t.setDaemon(true);
                return t;
              });
      bus.add(this);
    }
  }

  /** The limiter every store of receiver {@code streamId} goes through (unlimited until set). */
  public RateLimiter limiterFor(int streamId) {
    return limiters.computeIfAbsent(streamId, id -> new RateLimiter(Double.POSITIVE_INFINITY, burstSeconds));
  }

  /** Stops estimating and releases every store still waiting for permits. */
  public void stop() {
    bus.remove(this);
    ExecutorService e = estimating;
    if (e != null) {
      e.shutdownNow();
    }
    limiters.values().forEach(RateLimiter::close);
  }

  @Override
  public void onBatchSubmitted(StreamingListenerBatchSubmitted batchSubmitted) {
    BatchInfo info = batchSubmitted.batchInfo();
    onEstimatorThread(() -> hold(info));
  }

  @Override
  public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
    BatchInfo info = batchCompleted.batchInfo();
    onEstimatorThread(() -> estimate(info));
  }

  private void onEstimatorThread(Runnable task) {
    ExecutorService e = estimating;
    if (e == null) {
      return;
    }
    try {
      e.execute(task);
    } catch (RejectedExecutionException stopped) {
      // the context is stopping
    }
  }

  /** An input at the derived start whose first records are in a submitted batch waits for its measurement. */
  private void hold(BatchInfo info) {
    for (Controlled input : inputs.values()) {
      StreamInputInfo in = info.streamIdToInputInfo().get(input.stream.inputId());
      if (input.start == Start.OPEN && in != null && in.numRecords() > 0) {
        input.start = Start.HELD;
        publish(input, input.estimator.minRate(), info.batchTime(), "while batch " + info.batchTime()
            + ", its first with records, is measured");
      }
    }
  }

  private void estimate(BatchInfo info) {
    if (info.processingEndTime().isEmpty()
        || info.processingDelay().isEmpty()
        || info.schedulingDelay().isEmpty()) {
      return;
    }
    for (Controlled input : inputs.values()) {
      StreamInputInfo in = info.streamIdToInputInfo().get(input.stream.inputId());
      if (input.estimator == null || in == null) {
        continue;
      }
      OptionalDouble estimate =
          input.estimator
              .compute(
                  info.processingEndTime().get(),
                  in.numRecords(),
                  info.processingDelay().get(),
                  info.schedulingDelay().get());
      if (estimate.isPresent()) {
        input.start = Start.DONE;
        publish(input, estimate.getAsDouble(), info.batchTime(), "after batch " + info.batchTime());
      } else if (input.start != Start.DONE && input.estimator.calibration().isPresent()) {
        input.start = Start.DONE;
        publish(input, input.estimator.calibration().getAsDouble(), info.batchTime(),
            "after batch " + info.batchTime() + ", its processing rate");
      } else if (input.start == Start.HELD && in.numRecords() > 0) {
        input.start = Start.OPEN; // processed in under a millisecond: nothing measured
        publish(input, DERIVED_START_RATE, info.batchTime(), "after batch " + info.batchTime()
            + ", too quick to measure");
      }
    }
  }

  private void publish(Controlled input, double rate, Time batchTime, String when) {
    double applied = Math.min(input.maxRate, rate);
    int id = input.stream.inputId();
    double previous = input.stream.rateLimit();
    if (applied == previous) {
      return;
    }
    apply(input.stream, applied);
    LOG.info("Backpressure: input stream {} rate {} -> {} records/s {}", id, format(previous), format(applied), when);
    bus.post(new StreamingListenerRateUpdated(id, applied, batchTime));
  }

  private void apply(InputDStream<?> stream, double rate) {
    stream.updateRateLimit(rate);
    if (stream instanceof ReceiverInputDStream<?>) {
      limiterFor(stream.inputId()).setRate(rate);
    }
  }

  /** The static limit of a receiver stream: per name, per id, then the default. */
  private double maxRateOf(InputDStream<?> stream) {
    String base = "streaming.receiver.maxRate";
    if (stream.name() != null && conf.contains(base + "." + stream.name())) {
      return rate(base + "." + stream.name());
    }
    if (conf.contains(base + "." + stream.inputId())) {
      return rate(base + "." + stream.inputId());
    }
    return rate(base);
  }

  /** A rate setting in records/s: unset or 0 is unlimited; negative fails naming the key. */
  private double rate(String key) {
    double value = conf.getDouble(key, 0);
    if (value < 0 || Double.isNaN(value)) {
      throw new IllegalArgumentException(
          "Configuration key '" + key + "' must be a rate in records per second ≥ 0 (0 = unlimited), got "
              + conf.get(key));
    }
    return value == 0 ? Double.POSITIVE_INFINITY : value;
  }

  private static String format(double rate) {
    return Double.isInfinite(rate) ? "unlimited" : String.format(Locale.ROOT, "%.1f", rate);
  }
}
