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
import io.tributary.streaming.ReceiverRateLimitTest.FloodReceiver;
import io.tributary.streaming.ReceiverRateLimitTest.Mode;
import io.tributary.streaming.ReceiverSupervisionTest.ManualReceiver;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backpressure: rate estimates reach inputs, receivers and listeners; the first batch is bounded. */
class BackpressureTest {
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
    StreamingConf c = conf("local[2]")
        .set("streaming.backpressure.enabled", "true")
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
}
