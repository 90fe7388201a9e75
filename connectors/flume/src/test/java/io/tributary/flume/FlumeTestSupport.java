package io.tributary.flume;

import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Drivers, waits and listeners shared by the Flume tests. */
final class FlumeTestSupport {
  private FlumeTestSupport() {}

  static StreamingConf conf() {
    return new StreamingConf().setMaster("local[2]").setAppName("flume-test")
        .set("streaming.receiverRestartDelay", "100ms")
        .set("streaming.blockInterval", "100ms")
        .set("streaming.flume.reconnectDelay", "200ms");
  }

  /** A manual-clock driver with 200 ms batches. */
  static StreamingTestDriver driver(StreamingConf conf) {
    return new StreamingTestDriver(conf, Durations.milliseconds(200));
  }

  /** Runs batches until {@code done} holds for the output collected so far. */
  static <T> List<T> runUntil(StreamingTestDriver driver, TestOutput<T> out, Duration timeout, Predicate<List<T>> done) {
    await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).until(() -> {
      driver.advance();
      return done.test(out.all());
    });
    return out.all();
  }

  /** Collects the receivers' error reports. */
  static final class Errors implements StreamingListener {
    final List<String> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onReceiverError(StreamingListenerReceiverError e) {
      messages.add(e.receiverInfo().lastErrorMessage());
    }
  }
}
