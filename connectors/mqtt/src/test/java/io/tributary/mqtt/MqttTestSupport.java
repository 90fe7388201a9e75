package io.tributary.mqtt;

import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** Drivers, waits and listeners shared by the MQTT tests. */
final class MqttTestSupport {
  private MqttTestSupport() {}

  /** A manual-clock driver with 200 ms batches and 100 ms receiver restart delay. */
  static StreamingTestDriver driver() {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("mqtt-test")
        .set("streaming.receiverRestartDelay", "100ms")
        .set("streaming.blockInterval", "100ms");
    return new StreamingTestDriver(conf, Durations.milliseconds(200));
  }

  static MQTTReceiver<?> receiver(ReceiverInputDStream<?> stream) {
    return (MQTTReceiver<?>) stream.getReceiver();
  }

  /** Waits until the receivers of the streams are connected and subscribed. */
  static void awaitSubscribed(ReceiverInputDStream<?>... streams) {
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(10)).until(() -> {
      for (ReceiverInputDStream<?> s : streams) {
        if (!receiver(s).isSubscribed()) {
          return false;
        }
      }
      return true;
    });
  }

  /** Runs batches until {@code done} holds for the output collected so far. */
  static <T> List<T> runUntil(StreamingTestDriver driver, TestOutput<T> out, Duration timeout, Predicate<List<T>> done) {
    await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(25)).until(() -> {
      driver.advance();
      return done.test(out.all());
    });
    return out.all();
  }

  /** Runs batches until at least {@code n} records were output. */
  static <T> List<T> runUntilCount(StreamingTestDriver driver, TestOutput<T> out, int n) {
    return runUntil(driver, out, Duration.ofSeconds(20), all -> all.size() >= n);
  }

  /** Collects the receivers' error reports and stops. */
  static final class Events implements StreamingListener {
    final List<String> errors = new CopyOnWriteArrayList<>();
    final List<String> stops = new CopyOnWriteArrayList<>();

    @Override
    public void onReceiverError(StreamingListenerReceiverError e) {
      errors.add(e.receiverInfo().lastErrorMessage());
    }

    @Override
    public void onReceiverStopped(StreamingListenerReceiverStopped e) {
      stops.add(e.receiverInfo().lastErrorMessage());
    }
  }
}
