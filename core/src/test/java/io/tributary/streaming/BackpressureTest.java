package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.rdd.Rdd;
import io.tributary.streaming.internal.scheduler.ListenerBus;
import io.tributary.streaming.internal.rate.PIDRateEstimator;
import io.tributary.streaming.ReceiverRateLimitTest.FloodReceiver;
import io.tributary.streaming.ReceiverRateLimitTest.Mode;
import io.tributary.streaming.ReceiverSupervisionTest.ManualReceiver;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backpressure: rate estimates reach inputs, receivers and listeners; the first batch is bounded. */
class BackpressureTest {
  private static final double START = RateControl.DERIVED_START_RATE;
  private static final double MIN_RATE = 100; // streaming.backpressure.pid.minRate

  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  /** A listener that keeps only rate updates. */
  static final class RateUpdates implements StreamingListener {
    final List<StreamingListenerRateUpdated> events = new CopyOnWriteArrayList<>();

    @Override
    public void onRateUpdated(StreamingListenerRateUpdated e) {
      events.add(e);
    }
  }

  /**
   * A direct stream over two partitions that always have a million records waiting: each batch
   * takes what {@link #recordsPerPartition} allows and is one record per partition, its count.
   */
  static final class EndlessDirectStream extends InputDStream<Long> {
    final List<Long> taken = new CopyOnWriteArrayList<>();

    EndlessDirectStream(StreamingContext ssc) {
      super(ssc);
    }

    @Override
    public boolean followsRateLimit() {
      return true;
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public Optional<Rdd<Long>> compute(Time validTime) {
      Map<String, Long> lags = new LinkedHashMap<>();
      lags.put("p0", 1_000_000L);
      lags.put("p1", 1_000_000L);
      Map<String, Long> take = recordsPerPartition(lags);
      long n = take.values().stream().mapToLong(Long::longValue).sum();
      taken.add(n);
      ssc.runtime().reportInput(validTime, new StreamInputInfo(inputId(), n));
      return Optional.of(ssc.rddContext().parallelize(List.copyOf(take.values()), 2));
    }
  }

  private static List<Integer> range(int n) {
    return IntStream.range(0, n).boxed().toList();
  }

  @Test
  void estimatesReachTheInputTheReceiversLimiterAndTheListenersCappedByMaxRate() {
    // an explicit initialRate keeps Spark's start: batch 1 calibrates, batch 2 gives the first estimate
    StreamingConf c = conf("local[2]")
        .set("streaming.backpressure.enabled", "true")
        .set("streaming.backpressure.initialRate", "1000")
        .set("streaming.receiver.maxRate", "1000");
    try (StreamingTestDriver driver = new StreamingTestDriver(c, Durations.seconds(1))) {
      RateUpdates updates = new RateUpdates();
      driver.context().addStreamingListener(updates);
      ManualReceiver receiver = new ManualReceiver();
      ReceiverInputDStream<Integer> input = driver.context().receiverStream(receiver);
      AtomicLong processingMs = new AtomicLong(200);
      input.foreachRDD(rdd -> {
        rdd.count();
        Thread.sleep(processingMs.get());
      });
      driver.start();
      eventually().until(receiver::isStarted);
      assertThat(input.rateLimit()).isEqualTo(1000);

      // 100 records in >= 200 ms: processing rate <= 500/s. Batch 1 calibrates, batch 2 estimates.
      receiver.store(range(100));
      driver.advance();
      receiver.store(range(100));
      Time second = driver.advance();
      eventually().until(() -> updates.events.size() == 1);
      StreamingListenerRateUpdated first = updates.events.get(0);
      assertThat(first.streamId()).isEqualTo(input.inputId());
      assertThat(first.batchTime()).isEqualTo(second);
      assertThat(first.rate()).isBetween(100.0, 500.0); // pid.minRate .. processing rate
      assertThat(input.rateLimit()).isEqualTo(first.rate());
      assertThat(driver.context().runtime().rateControl().limiterFor(input.inputId()).rate()).isEqualTo(first.rate());

      // a fast batch: the estimate (thousands per second) is capped by maxRate
      processingMs.set(5);
      receiver.store(range(100));
      Time third = driver.advance();
      eventually().until(() -> updates.events.size() == 2);
      assertThat(updates.events.get(1)).isEqualTo(new StreamingListenerRateUpdated(input.inputId(), 1000, third));
      assertThat(input.rateLimit()).isEqualTo(1000);
      assertThat(driver.context().runtime().rateControl().limiterFor(input.inputId()).rate()).isEqualTo(1000);
    }
  }

  @Test
  void initialRateBoundsADirectStreamsFirstBatchesThenTheEstimateBoundsTheNext() {
    StreamingConf c = conf("local[2]")
        .set("spark.streaming.backpressure.enabled", "true")
        .set("spark.streaming.backpressure.initialRate", "300");
    try (StreamingTestDriver driver = new StreamingTestDriver(c, Durations.seconds(1))) {
      RateUpdates updates = new RateUpdates();
      driver.context().addStreamingListener(updates);
      EndlessDirectStream input = new EndlessDirectStream(driver.context());
      input.foreachRDD(rdd -> {
        rdd.count();
        Thread.sleep(20);
      });
      driver.start();
      assertThat(input.rateLimit()).isEqualTo(300);

      driver.advance(2);
      assertThat(input.taken).containsExactly(300L, 300L); // 150 per partition, not a million
      eventually().until(() -> !updates.events.isEmpty());
      double rate = updates.events.get(0).rate();
      assertThat(input.rateLimit()).isEqualTo(rate);

      driver.advance();
      assertThat(input.taken.get(2)).isEqualTo(2 * (long) (rate / 2)); // shared by lag: half each
    }
  }

  @Test
  void recordsPerPartitionSharesTheRateByLagWithCapsAndFloors() {
    StreamingConf c = new StreamingConf().setMaster("local[2]")
        .set("streaming.direct.maxRatePerPartition", "60");
    ssc = new StreamingContext(c, Durations.seconds(2));
    EndlessDirectStream input = new EndlessDirectStream(ssc);
    Map<String, Long> lags = new LinkedHashMap<>();
    lags.put("a", 300L);
    lags.put("b", 100L);
    lags.put("c", 0L);
    lags.put("d", -5L);

    // unlimited and no cap: everything available
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0)).containsExactly(
        Map.entry("a", 300L), Map.entry("b", 100L), Map.entry("c", 0L), Map.entry("d", 0L));
    // unlimited, cap 60/s over 2 s: 120 at most per partition
    assertThat(input.recordsPerPartition(lags)).containsExactly(
        Map.entry("a", 120L), Map.entry("b", 100L), Map.entry("c", 0L), Map.entry("d", 0L));

    input.updateRateLimit(100); // 200 records per 2 s batch, shared 3:1 by lag
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0)).containsExactly(
        Map.entry("a", 150L), Map.entry("b", 50L), Map.entry("c", 0L), Map.entry("d", 0L));
    assertThat(input.recordsPerPartition(lags)).containsExactly( // a: min(75/s, 60/s) * 2 s
        Map.entry("a", 120L), Map.entry("b", 50L), Map.entry("c", 0L), Map.entry("d", 0L));

    input.updateRateLimit(1); // shares of 0.75/s and 0.25/s; a floor of 10/s gives 20 each
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 10)).containsExactly(
        Map.entry("a", 20L), Map.entry("b", 20L), Map.entry("c", 0L), Map.entry("d", 0L));

    StreamingContext bad = new StreamingContext(
        new StreamingConf().setMaster("local[2]").set("streaming.direct.maxRatePerPartition", "-1"),
        Durations.seconds(1));
    try {
      EndlessDirectStream badInput = new EndlessDirectStream(bad);
      assertThatThrownBy(() -> badInput.recordsPerPartition(lags))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("streaming.direct.maxRatePerPartition");
    } finally {
      stopQuietly(bad);
    }
  }

  @Test
  void initialRateBoundsAReceiversFirstBatches() {
    StreamingConf c = conf("local[2]")
        .set("streaming.backpressure.enabled", "true")
        .set("streaming.backpressure.initialRate", "1000");
    ssc = new StreamingContext(c, Durations.milliseconds(500));
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ReceiverInputDStream<Integer> input = ssc.receiverStream(new FloodReceiver(Mode.SINGLE, 1, null));
    input.foreachRDD(rdd -> rdd.count());
    ssc.start();
    assertThat(input.rateLimit()).isEqualTo(1000);

    eventually().until(() -> listener.completedBatches().size() >= 2);
    // batches 1 and 2 are received before any estimate (batch 1 calibrates, batch 2 estimates):
    // at most 1000/s over one 500 ms batch, plus a block interval of permits (50) and jitter
    List<Long> firstTwo = listener.completedBatches().stream().limit(2).map(BatchInfo::numRecords).toList();
    assertThat(firstTwo).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(620));
    assertThat(firstTwo.get(1)).isPositive();
  }

  /** What the estimator's calibration gives for a batch: its processing rate, at least minRate. */
  private static double processingRate(BatchInfo batch, long records) {
    return Math.max((double) records / batch.processingDelay().orElseThrow() * 1000, MIN_RATE);
  }

  private static BatchInfo completed(RecordingListener listener, Time time) {
    eventually().until(() -> listener.completedBatches().stream().anyMatch(b -> b.batchTime().equals(time)));
    return listener.completedBatches().stream().filter(b -> b.batchTime().equals(time)).findFirst().orElseThrow();
  }

  @Test
  void withoutAnInitialRateADirectStreamTakesTheStartRateIsHeldWhileItsFirstBatchRunsThenTakesItsProcessingRate() {
    StreamingConf c = conf("local[2]").set("streaming.backpressure.enabled", "true");
    try (StreamingTestDriver driver = new StreamingTestDriver(c, Durations.milliseconds(100))) {
      RateUpdates updates = new RateUpdates();
      RecordingListener listener = new RecordingListener();
      driver.context().addStreamingListener(updates);
      driver.context().addStreamingListener(listener);
      EndlessDirectStream input = new EndlessDirectStream(driver.context());
      CountDownLatch firstBatchMayEnd = new CountDownLatch(1);
      input.foreachRDD(rdd -> {
        rdd.count();
        firstBatchMayEnd.await();
        Thread.sleep(200); // 100,000 records in more than 200 ms: the next batch takes under 50,000
      });
      driver.start();
      assertThat(input.rateLimit()).isEqualTo(START);

      CompletableFuture<Time> running = CompletableFuture.supplyAsync(driver::advance);
      eventually().until(() -> input.rateLimit() == MIN_RATE); // held while the first batch runs
      firstBatchMayEnd.countDown();
      Time first = running.join();
      long firstRecords = (long) (START / 10); // the start rate over 100 ms, not the two million waiting
      assertThat(input.taken).containsExactly(firstRecords);

      double measured = processingRate(completed(listener, first), firstRecords);
      eventually().until(() -> updates.events.size() == 2);
      assertThat(updates.events).containsExactly(
          new StreamingListenerRateUpdated(input.inputId(), MIN_RATE, first),
          new StreamingListenerRateUpdated(input.inputId(), measured, first));
      assertThat(input.rateLimit()).isEqualTo(measured);

      driver.advance();
      // over 100 ms, half each, computed as recordsPerPartition does
      assertThat(input.taken.get(1)).isEqualTo(2 * (long) (0.1 * (0.5 * measured) + 1e-9));
    }
  }

  @Test
  void withoutAnInitialRateAReceiverIsHeldWhileItsFirstBatchRunsThenTakesItsProcessingRate() {
    StreamingConf c = conf("local[2]").set("streaming.backpressure.enabled", "true");
    try (StreamingTestDriver driver = new StreamingTestDriver(c, Durations.seconds(1))) {
      RecordingListener listener = new RecordingListener();
      driver.context().addStreamingListener(listener);
      ManualReceiver receiver = new ManualReceiver();
      ReceiverInputDStream<Integer> input = driver.context().receiverStream(receiver);
      CountDownLatch firstBatchMayEnd = new CountDownLatch(1);
      input.foreachRDD(rdd -> {
        rdd.count();
        firstBatchMayEnd.await();
      });
      driver.start();
      eventually().until(receiver::isStarted);
      DoubleSupplier limiter = () -> driver.context().runtime().rateControl().limiterFor(input.inputId()).rate();
      assertThat(limiter.getAsDouble()).isEqualTo(START);

      receiver.store(range(1000));
      CompletableFuture<Time> running = CompletableFuture.supplyAsync(driver::advance);
      eventually().until(() -> limiter.getAsDouble() == MIN_RATE);
      assertThat(input.rateLimit()).isEqualTo(MIN_RATE);
      firstBatchMayEnd.countDown();
      Time first = running.join();

      double measured = processingRate(completed(listener, first), 1000);
      eventually().until(() -> limiter.getAsDouble() == measured);
      assertThat(input.rateLimit()).isEqualTo(measured);
    }
  }

  @Test
  void byDefaultAFloodingReceiversFirstBatchIsBoundedByTheStartRate() {
    ssc = new StreamingContext(conf("local[2]"), Durations.milliseconds(500)); // no rate setting at all
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ReceiverInputDStream<Integer> input = ssc.receiverStream(new FloodReceiver(Mode.SINGLE, 1, null));
    input.foreachRDD(rdd -> rdd.count());
    long started = System.currentTimeMillis();
    ssc.start();
    assertThat(input.rateLimit()).isEqualTo(START);

    eventually().until(() -> listener.completedBatches().stream().anyMatch(b -> b.numRecords() > 0));
    BatchInfo first = listener.completedBatches().stream().filter(b -> b.numRecords() > 0).findFirst().orElseThrow();
    // every record was paid for at the start rate since the start (its limiter began after `started`), plus a
    // block interval (50 ms) of saved permits and one chunk of 256 single-record permits bought ahead
    long elapsedMs = first.processingStartTime().orElseThrow() - started;
    assertThat(first.numRecords()).isPositive().isLessThanOrEqualTo((long) (START * (elapsedMs + 50) / 1000) + 256);
  }

  @Test
  void initialRateZeroOrBackpressureOffLeaveInputsUnboundedButMaxRecordsPerBatchStillBoundsDirectStreams() {
    for (StreamingConf c : List.of(
        conf("local[2]").set("streaming.backpressure.enabled", "true").set("streaming.backpressure.initialRate", "0"),
        conf("local[2]").set("streaming.backpressure.enabled", "false"))) {
      try (StreamingTestDriver driver = new StreamingTestDriver(c.set("streaming.direct.maxRecordsPerBatch", "1000"),
          Durations.seconds(1))) {
        EndlessDirectStream input = new EndlessDirectStream(driver.context());
        input.foreachRDD(rdd -> rdd.count());
        driver.start();
        assertThat(input.rateLimit()).isInfinite();
        driver.advance(2);
        assertThat(input.taken).containsExactly(1000L, 1000L);
      }
    }
  }

  /** Rate control on its own, fed batch events directly, so each step of the start is exact. */
  @Test
  void theStartIsHeldPerBatchWithRecordsAndABatchTooQuickToMeasureReopensIt() {
    StreamingConf c = new StreamingConf().setMaster("local[2]");
    ssc = new StreamingContext(c, Durations.seconds(1));
    EndlessDirectStream input = new EndlessDirectStream(ssc);
    int id = input.inputId();
    ListenerBus bus = new ListenerBus();
    RateUpdates updates = new RateUpdates();
    bus.add(updates);
    bus.start();
    RateControl control = new RateControl(c, bus, 1000);
    try {
      control.start(List.of(input));
      assertThat(input.rateLimit()).isEqualTo(START);

      control.onBatchSubmitted(new StreamingListenerBatchSubmitted(batch(1000, id, 0, -1))); // no records: no hold
      control.onBatchSubmitted(new StreamingListenerBatchSubmitted(batch(2000, id, 50_000, -1)));
      control.onBatchCompleted(new StreamingListenerBatchCompleted(batch(1000, id, 0, 3))); // empty: still held
      control.onBatchCompleted(new StreamingListenerBatchCompleted(batch(2000, id, 50_000, 0))); // 0 ms: reopens
      control.onBatchSubmitted(new StreamingListenerBatchSubmitted(batch(3000, id, 80_000, -1)));
      control.onBatchCompleted(new StreamingListenerBatchCompleted(batch(3000, id, 80_000, 400))); // 200k/s
      control.onBatchSubmitted(new StreamingListenerBatchSubmitted(batch(4000, id, 150_000, -1)));
      control.onBatchCompleted(new StreamingListenerBatchCompleted(batch(4000, id, 150_000, 500)));

      PIDRateEstimator same = new PIDRateEstimator(1000, 1.0, 0.2, 0.0, MIN_RATE);
      same.compute(3000 + 400, 80_000, 400, 0);
      double estimate = same.compute(4000 + 500, 150_000, 500, 0).orElseThrow();
      eventually().until(() -> updates.events.size() == 5);
      assertThat(updates.events).containsExactly(
          new StreamingListenerRateUpdated(id, MIN_RATE, new Time(2000)),
          new StreamingListenerRateUpdated(id, START, new Time(2000)),
          new StreamingListenerRateUpdated(id, MIN_RATE, new Time(3000)),
          new StreamingListenerRateUpdated(id, 200_000, new Time(3000)),
          new StreamingListenerRateUpdated(id, estimate, new Time(4000)));
      assertThat(input.rateLimit()).isEqualTo(estimate);
    } finally {
      control.stop();
      bus.stop();
    }
  }

  /** A batch at {@code time} with {@code records} of input {@code id}; completed after {@code processingMs} (≥ 0). */
  private static BatchInfo batch(long time, int id, long records, long processingMs) {
    return new BatchInfo(new Time(time), Map.of(id, new StreamInputInfo(id, records)), time,
        processingMs < 0 ? Optional.empty() : Optional.of(time),
        processingMs < 0 ? Optional.empty() : Optional.of(time + processingMs), Map.of());
  }

  @Test
  void maxRecordsPerBatchBoundsADirectBatchSharedByLagAndDefaultsToOneRecordPer100BytesOfTheMemoryBound() {
    Map<String, Long> lags = new LinkedHashMap<>();
    lags.put("a", 300L);
    lags.put("b", 100L);
    lags.put("c", 0L);

    ssc = new StreamingContext(new StreamingConf().setMaster("local[2]")
        .set("streaming.direct.maxRecordsPerBatch", "150"), Durations.seconds(2));
    EndlessDirectStream input = new EndlessDirectStream(ssc);
    assertThat(input.maxRecordsPerBatch()).isEqualTo(150);
    // no rate: 150 records over 2 s is 75/s, shared 3:1 by lag (112.5 and 37.5, rounded down)
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0)).containsExactly(
        Map.entry("a", 112L), Map.entry("b", 37L), Map.entry("c", 0L));
    input.updateRateLimit(10); // a lower rate wins: 20 records per batch
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0)).containsExactly(
        Map.entry("a", 15L), Map.entry("b", 5L), Map.entry("c", 0L));
    stopQuietly(ssc);

    ssc = new StreamingContext(new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.maxBufferedBytes", "10k"), Durations.seconds(1));
    input = new EndlessDirectStream(ssc);
    assertThat(input.maxRecordsPerBatch()).isEqualTo(10240 / 100);
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0).values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(101); // 102 records: 76.5 + 25.5, each rounded down
    stopQuietly(ssc);

    ssc = new StreamingContext(new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.maxBufferedBytes", "10k")
        .set("streaming.direct.maxRecordsPerBatch", "0"), Durations.seconds(1));
    input = new EndlessDirectStream(ssc);
    assertThat(input.recordsPerPartition(lags, p -> 0, p -> 0)).containsExactly( // 0: no bound
        Map.entry("a", 300L), Map.entry("b", 100L), Map.entry("c", 0L));
    stopQuietly(ssc);

    ssc = new StreamingContext(new StreamingConf().setMaster("local[2]")
        .set("streaming.direct.maxRecordsPerBatch", "-1"), Durations.seconds(1));
    EndlessDirectStream bad = new EndlessDirectStream(ssc);
    assertThatThrownBy(() -> bad.recordsPerPartition(lags))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streaming.direct.maxRecordsPerBatch")
        .hasMessageContaining("-1");
  }
}
