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
 * The ingestion rates of a context's input streams: static limits, the initial rate, and
 * backpressure.
 *
 * <ul>
 *   <li>Each receiver stream has a {@link RateLimiter} that every {@code store} call of its
 *       receiver goes through. Its static limit is {@code streaming.receiver.maxRate.<stream
 *       name>}, else {@code streaming.receiver.maxRate.<input id>}, else {@code
 *       streaming.receiver.maxRate} (records/s; 0, the default, is unlimited).
 *   <li>With {@code streaming.backpressure.enabled}, every input that {@linkplain
 *       InputDStream#followsRateLimit() follows its rate limit} starts at {@code
 *       streaming.backpressure.initialRate} (when set), and after each completed batch a {@link
 *       PIDRateEstimator} per input computes a new rate on a single daemon thread. The rate applied
 *       is the smaller of the estimate and the static limit; it goes to {@link
 *       InputDStream#updateRateLimit} and the receiver's limiter, is logged at INFO, and is posted
 *       as a {@link StreamingListenerRateUpdated} event when it changed.
 * </ul>
 */
final class RateControl implements StreamingListener {
  private static final Logger LOG = LoggerFactory.getLogger(RateControl.class);

  private final StreamingConf conf;
  private final ListenerBus bus;
  private final long batchMillis;
  private volatile double burstSeconds = 0.2;
  private final Map<Integer, Controlled> inputs = new ConcurrentHashMap<>();
  private final Map<Integer, RateLimiter> limiters = new ConcurrentHashMap<>();
  private volatile ExecutorService estimating;

  /** One input under control. */
  private record Controlled(InputDStream<?> stream, double maxRate, PIDRateEstimator estimator) {}

  /**
   * Rate control for a context with {@code conf}, posting to {@code bus}, with batches of {@code
   * batchMillis}. Settings are read at {@link #start}.
   */
  public RateControl(StreamingConf conf, ListenerBus bus, long batchMillis) {
    this.conf = conf;
    this.bus = bus;
    this.batchMillis = batchMillis;
  }

  /** True when {@code streaming.backpressure.enabled} is set. */
  public boolean backpressureEnabled() {
    return conf.getBoolean("streaming.backpressure.enabled", false);
  }

  /**
   * Before the inputs and receivers start: applies each input's static limit and initial rate,
   * creates the receivers' limiters, and with backpressure starts listening for completed batches.
   * Fails naming the key when a rate setting is not a number or is negative.
   */
  public void start(List<InputDStream<?>> streams) {
    // a limiter saves at most one block interval of unused permits
    burstSeconds = Math.max(conf.getDuration("streaming.blockInterval", new Duration(200)).milliseconds(), 1) / 1000.0;
    boolean backpressure = backpressureEnabled();
    double initialRate = backpressure ? rate("streaming.backpressure.initialRate") : Double.POSITIVE_INFINITY;
    for (InputDStream<?> stream : streams) {
      boolean receiver = stream instanceof ReceiverInputDStream<?>;
      double maxRate = receiver ? maxRateOf(stream) : Double.POSITIVE_INFINITY;
      double first = stream.followsRateLimit() ? Math.min(maxRate, initialRate) : maxRate;
      stream.updateRateLimit(first);
      if (receiver) {
        limiterFor(stream.inputId()).setRate(first);
      }
      PIDRateEstimator estimator =
          backpressure && stream.followsRateLimit() ? PIDRateEstimator.fromConf(conf, batchMillis) : null;
      inputs.put(stream.inputId(), new Controlled(stream, maxRate, estimator));
      if (!Double.isInfinite(first)) {
        LOG.info("Input stream {} starts at {} records/s", stream.inputId(), format(first));
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
  public void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {
    BatchInfo info = batchCompleted.batchInfo();
    ExecutorService e = estimating;
    if (e == null) {
      return;
    }
    try {
      e.execute(() -> estimate(info));
    } catch (RejectedExecutionException stopped) {
      // the context is stopping
    }
  }

  private void estimate(BatchInfo info) {
    if (info.processingEndTime().isEmpty()
        || info.processingDelay().isEmpty()
        || info.schedulingDelay().isEmpty()) {
      return;
    }
    for (Controlled input : inputs.values()) {
      StreamInputInfo in = info.streamIdToInputInfo().get(input.stream().inputId());
      if (input.estimator() == null || in == null) {
        continue;
      }
      OptionalDouble estimate =
          input.estimator()
              .compute(
                  info.processingEndTime().get(),
                  in.numRecords(),
                  info.processingDelay().get(),
                  info.schedulingDelay().get());
      if (estimate.isPresent()) {
        publish(input, estimate.getAsDouble(), info.batchTime());
      }
    }
  }

  private void publish(Controlled input, double estimate, Time batchTime) {
    double applied = Math.min(input.maxRate(), estimate);
    int id = input.stream().inputId();
    double previous = input.stream().rateLimit();
    if (applied == previous) {
      return;
    }
    input.stream().updateRateLimit(applied);
    RateLimiter limiter = limiters.get(id);
    if (limiter != null) {
      limiter.setRate(applied);
    }
    LOG.info(
        "Backpressure: input stream {} rate {} -> {} records/s after batch {}",
        id, format(previous), format(applied), batchTime);
    bus.post(new StreamingListenerRateUpdated(id, applied, batchTime));
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
