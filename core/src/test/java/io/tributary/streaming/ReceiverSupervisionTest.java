package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.realTimeContext;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.ReceiverInfo;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReceiverSupervisionTest {
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  /** Stores 0..n-1 one by one from a thread of its own. */
  static final class CountingReceiver extends Receiver<Integer> {
    private final int n;
    final AtomicInteger stored = new AtomicInteger();

    CountingReceiver(int n) {
      super(StorageLevel.MEMORY_ONLY);
      this.n = n;
    }

    @Override
    public void onStart() {
      Thread t = new Thread(() -> {
        for (int i = 0; i < n && !isStopped(); i++) {
          store(i);
          stored.incrementAndGet();
        }
      }, "counting-receiver");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  /** Does nothing by itself: the test calls its store, restart and stop methods. */
  static final class ManualReceiver extends Receiver<Integer> {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    ManualReceiver() {
      super(StorageLevel.MEMORY_ONLY_SER);
    }

    @Override
    public void onStart() {
      starts.incrementAndGet();
    }

    @Override
    public void onStop() {
      stops.incrementAndGet();
    }
  }

  /** Fails in onStart the first {@code failures} times, then stores one record per start. */
  static final class FlakyStartReceiver extends Receiver<String> {
    private final int failures;
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();

    FlakyStartReceiver(int failures) {
      super(StorageLevel.MEMORY_ONLY);
      this.failures = failures;
    }

    @Override
    public void onStart() {
      int attempt = starts.incrementAndGet();
      if (attempt <= failures) {
        throw new IllegalStateException("source not ready, attempt " + attempt);
      }
      store(List.of("started on attempt " + attempt));
    }

    @Override
    public void onStop() {
      stops.incrementAndGet();
    }
  }

  private static List<Integer> range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).boxed().toList();
  }

  @Test
  void everyRecordStoredOneByOneArrives() {
    ssc = realTimeContext("local[2]");
    CountingReceiver receiver = new CountingReceiver(50_000);
    AtomicLong count = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    ssc.receiverStream(receiver).foreachRDD(rdd -> {
      for (int i : rdd.collect()) {
        count.incrementAndGet();
        sum.addAndGet(i);
      }
    });
    ssc.start();

    eventually().untilAsserted(() -> assertThat(count.get()).isEqualTo(50_000));
    assertThat(sum.get()).isEqualTo(50_000L * 49_999 / 2);
    assertThat(receiver.stored.get()).isEqualTo(50_000);
  }

  @Test
  void twoReceiversOnASingleTaskThreadBothDeliverEverything() {
    ssc = realTimeContext("local[1]");
    CountingReceiver first = new CountingReceiver(10_000);
    CountingReceiver second = new CountingReceiver(5_000);
    AtomicLong count = new AtomicLong();
    ssc.union(ssc.receiverStream(first), ssc.receiverStream(second)).foreachRDD(rdd -> count.addAndGet(rdd.count()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(count.get()).isEqualTo(15_000));
    assertThat(first.streamId()).isNotEqualTo(second.streamId());
  }

  @Test
  void storeOfAListReturnsOnceTheBlockIsStoredAndItsRecordsAreInTheNextBatch() {
    try (StreamingTestDriver driver = new StreamingTestDriver(conf("local[2]"), Durations.seconds(1))) {
      ManualReceiver receiver = new ManualReceiver();
      TestOutput<Integer> out = driver.collect(driver.context().receiverStream(receiver));
      driver.start();
      eventually().until(receiver::isStarted);

      receiver.store(List.of(1, 2, 3));
      assertThat(driver.context().runtime().blockTracker().hasUnallocatedBlocks()).isTrue();
      assertThat(driver.context().runtime().blockStore().size()).isEqualTo(1);
      driver.advance();
      receiver.store(List.of(4));
      receiver.store(List.of(5, 6).iterator());
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactly(1, 2, 3);
      assertThat(out.batch(1)).containsExactly(4, 5, 6);
      assertThat(out.batch(2)).isEmpty();
      assertThat(driver.context().runtime().blockTracker().hasUnallocatedBlocks()).isFalse();
    }
  }

  @Test
  void singleRecordsStoredBeforeABatchTimeAreInThatBatchWithoutWaitingForTheBlockInterval() {
    StreamingConf conf = conf("local[2]").set("streaming.blockInterval", "1h");
    try (StreamingTestDriver driver = new StreamingTestDriver(conf, Durations.seconds(1))) {
      ManualReceiver receiver = new ManualReceiver();
      TestOutput<Integer> out = driver.collect(driver.context().receiverStream(receiver));
      driver.start();
      eventually().until(receiver::isStarted);

      receiver.store(1);
      receiver.store(2);
      driver.advance();
      receiver.store(3);
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactly(1, 2);
      assertThat(out.batch(1)).containsExactly(3);
      assertThat(out.batch(2)).isEmpty();
    }
  }

  @Test
  void storingBeforeTheContextStartedTheReceiverFailsWithAClearMessage() {
    ManualReceiver receiver = new ManualReceiver();
    assertThatThrownBy(() -> receiver.store(1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ManualReceiver is not running")
        .hasMessageContaining("once the StreamingContext has started it");
  }

  @Test
  void aReceiverWhoseOnStartThrowsIsRestartedAndTheErrorIsReported() {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    FlakyStartReceiver receiver = new FlakyStartReceiver(2);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    ssc.receiverStream(receiver).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(received).containsExactly("started on attempt 3"));
    assertThat(receiver.starts.get()).isEqualTo(3);
    assertThat(receiver.stops.get()).isEqualTo(2);
    eventually().untilAsserted(() -> {
      List<ReceiverInfo> errors = listener.of(StreamingListenerReceiverError.class).stream()
          .map(StreamingListenerReceiverError::receiverInfo).toList();
      assertThat(errors).hasSize(2).allSatisfy(info -> {
        assertThat(info.lastErrorMessage()).contains("Error starting receiver 0");
        assertThat(info.lastError()).contains("source not ready");
        assertThat(info.lastErrorTime()).isPositive();
        assertThat(info.name()).isEqualTo("FlakyStartReceiver");
      });
      assertThat(listener.of(StreamingListenerReceiverStarted.class)).hasSize(1);
    });
  }

  @Test
  void aReceiverThatCallsRestartIsStoppedAndStartedAgain() {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ManualReceiver receiver = new ManualReceiver();
    Queue<Integer> received = new ConcurrentLinkedQueue<>();
    ssc.receiverStream(receiver).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();
    eventually().until(receiver::isStarted);

    receiver.store(List.of(1));
    receiver.restart("connection lost, reconnecting");

    eventually().untilAsserted(() -> {
      assertThat(receiver.starts.get()).isEqualTo(2);
      assertThat(receiver.isStarted()).isTrue();
    });
    assertThat(receiver.stops.get()).isEqualTo(1);
    receiver.store(List.of(2));
    eventually().untilAsserted(() -> assertThat(received).containsExactly(1, 2));
    eventually().untilAsserted(() -> {
      assertThat(listener.receiverErrorMessages()).containsExactly("connection lost, reconnecting");
      assertThat(listener.of(StreamingListenerReceiverStarted.class)).hasSize(2);
    });
  }

  @Test
  void reportErrorTellsTheListenersAndTheReceiverKeepsRunning() {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ManualReceiver receiver = new ManualReceiver();
    Queue<Integer> received = new ConcurrentLinkedQueue<>();
    ssc.receiverStream(receiver).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();
    eventually().until(receiver::isStarted);

    receiver.reportError("one bad record skipped", new IllegalArgumentException("bad record"));
    receiver.store(List.of(7));

    eventually().untilAsserted(() -> assertThat(received).containsExactly(7));
    eventually().untilAsserted(() -> assertThat(listener.of(StreamingListenerReceiverError.class))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.receiverInfo().lastErrorMessage()).isEqualTo("one bad record skipped");
          assertThat(e.receiverInfo().lastError()).contains("bad record");
          assertThat(e.receiverInfo().active()).isTrue();
        }));
    assertThat(receiver.starts.get()).isEqualTo(1);
    assertThat(receiver.stops.get()).isZero();
  }

  @Test
  void aReceiverThatStopsItselfPostsReceiverStoppedAndTheContextKeepsRunning() {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ManualReceiver receiver = new ManualReceiver();
    Queue<Integer> received = new ConcurrentLinkedQueue<>();
    AtomicInteger batches = new AtomicInteger();
    ssc.receiverStream(receiver).foreachRDD(rdd -> {
      received.addAll(rdd.collect());
      batches.incrementAndGet();
    });
    ssc.start();
    eventually().until(receiver::isStarted);

    receiver.store(List.of(1, 2));
    receiver.stop("source exhausted");

    eventually().untilAsserted(() -> assertThat(listener.of(StreamingListenerReceiverStopped.class))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.receiverInfo().active()).isFalse();
          assertThat(e.receiverInfo().lastErrorMessage()).as("why it stopped").isEqualTo("source exhausted");
        }));
    assertThat(receiver.isStopped()).isTrue();
    assertThat(receiver.stops.get()).isEqualTo(1);
    int seen = batches.get();
    eventually().until(() -> batches.get() >= seen + 3);
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
    assertThat(received).containsExactly(1, 2);

    ssc.stop(true);
    assertThat(listener.of(StreamingListenerReceiverStopped.class)).hasSize(1);
  }
}
