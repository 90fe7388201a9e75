package io.tributary.twitter;

import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A test driver on a manual clock plus what the listeners heard about the receiver. */
final class Harness implements AutoCloseable {
  final StreamingTestDriver driver;
  /** Messages and stack traces of every receiver error and stop, as the listeners got them. */
  final List<String> errors = new CopyOnWriteArrayList<>();
  final List<String> errorTraces = new CopyOnWriteArrayList<>();
  final List<String> stops = new CopyOnWriteArrayList<>();
  final AtomicInteger starts = new AtomicInteger();

  Harness() {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("twitter-test")
        .set("streaming.blockInterval", "50ms").set("streaming.receiverRestartDelay", "200ms");
    driver = new StreamingTestDriver(conf, Durations.milliseconds(200));
    driver.context().addStreamingListener(new StreamingListener() {
      @Override
      public void onReceiverError(StreamingListenerReceiverError e) {
        errors.add(e.receiverInfo().lastErrorMessage());
        errorTraces.add(e.receiverInfo().lastError());
      }

      @Override
      public void onReceiverStarted(StreamingListenerReceiverStarted e) {
        starts.incrementAndGet();
      }

      @Override
      public void onReceiverStopped(StreamingListenerReceiverStopped e) {
        stops.add(e.receiverInfo().lastErrorMessage());
        errorTraces.add(e.receiverInfo().lastError());
      }
    });
  }

  /** Runs batches until {@code out} holds at least {@code count} records. */
  <T> void awaitRecords(TestOutput<T> out, int count) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      driver.advance();
      return out.all().size() >= count;
    });
  }

  @Override
  public void close() {
    driver.close();
  }
}
