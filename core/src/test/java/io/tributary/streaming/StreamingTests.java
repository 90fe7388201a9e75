package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchStarted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.scheduler.StreamingListenerEvent;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationStarted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/** Shared pieces of the source and life-cycle tests: configuration, bounded waits, a recording listener. */
final class StreamingTests {
  private StreamingTests() {}

  /** Small block interval and restart delay, so real-time tests take a few hundred ms. */
  static StreamingConf conf(String master) {
    return new StreamingConf()
        .setMaster(master)
        .setAppName("test")
        .set("streaming.blockInterval", "50ms")
        .set("streaming.receiverRestartDelay", "50ms");
  }

  /** A real-time context with 100 ms batches. */
  static StreamingContext realTimeContext(String master) {
    return new StreamingContext(conf(master), Durations.milliseconds(100));
  }

  /** A bounded wait: 20 s at most, polling every 20 ms. */
  static ConditionFactory eventually() {
    return Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(20))
        .pollInterval(java.time.Duration.ofMillis(20));
  }

  /** A server socket on 127.0.0.1 and a free port. */
  static ServerSocket localServer() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  /** Stops {@code ssc} if it is not null; for finally blocks. */
  static void stopQuietly(StreamingContext ssc) {
    if (ssc != null) {
      ssc.stop(false);
    }
  }

  /** Records every event, in delivery order. */
  static final class RecordingListener implements StreamingListener {
    final List<StreamingListenerEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onStreamingStarted(StreamingListenerStreamingStarted e) {
      events.add(e);
    }

    @Override
    public void onReceiverStarted(StreamingListenerReceiverStarted e) {
      events.add(e);
    }

    @Override
    public void onReceiverError(StreamingListenerReceiverError e) {
      events.add(e);
    }

    @Override
    public void onReceiverStopped(StreamingListenerReceiverStopped e) {
      events.add(e);
    }

    @Override
    public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
      events.add(e);
    }

    @Override
    public void onBatchStarted(StreamingListenerBatchStarted e) {
      events.add(e);
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted e) {
      events.add(e);
    }

    @Override
    public void onOutputOperationStarted(StreamingListenerOutputOperationStarted e) {
      events.add(e);
    }

    @Override
    public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
      events.add(e);
    }

    @Override
    public void onRateUpdated(StreamingListenerRateUpdated e) {
      events.add(e);
    }

    <E extends StreamingListenerEvent> List<E> of(Class<E> type) {
      return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    List<String> receiverErrorMessages() {
      return of(StreamingListenerReceiverError.class).stream()
          .map(e -> e.receiverInfo().lastErrorMessage())
          .toList();
    }

    List<BatchInfo> completedBatches() {
      return of(StreamingListenerBatchCompleted.class).stream().map(StreamingListenerBatchCompleted::batchInfo).toList();
    }
  }
}
