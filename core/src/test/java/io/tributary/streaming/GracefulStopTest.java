package io.tributary.streaming;

import io.tributary.Durations;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.realTimeContext;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.receiver.Receiver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class GracefulStopTest {
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  /** Stores {@code n} records as fast as it can, one by one or in blocks, counting what it stored. */
  static final class FastReceiver extends Receiver<Long> {
    private final long n;
    private final int blockSize;
    volatile long pauseMs;
    final AtomicLong stored = new AtomicLong();
    final AtomicBoolean finished = new AtomicBoolean();

    FastReceiver(long n, int blockSize) {
      super(StorageLevel.MEMORY_ONLY_SER);
      this.n = n;
      this.blockSize = blockSize;
    }

    @Override
    public void onStart() {
      Thread t = new Thread(this::run, "fast-receiver");
      t.setDaemon(true);
      t.start();
    }

    private void run() {
      try {
        produce();
      } catch (IllegalStateException stoppedWhileStoring) {
        // a store racing with the stop is refused; it was not counted
      } finally {
        finished.set(true);
      }
    }

    private void produce() {
      long i = 0;
      while (i < n && !isStopped()) {
        if (blockSize <= 1) {
          store(i++);
          stored.incrementAndGet();
        } else {
          List<Long> block = new ArrayList<>(blockSize);
          for (int k = 0; k < blockSize && i < n; k++) {
            block.add(i++);
          }
          store(block);
          stored.addAndGet(block.size());
          pause();
        }
      }
    }

    /** Paces the source between blocks when {@code pauseMs} is set. */
    private void pause() {
      if (pauseMs > 0) {
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }

    @Override
    public void onStop() {}
  }

  private void assertGracefulStopProcessesEverything(FastReceiver receiver, long n) {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    AtomicLong processed = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    ssc.receiverStream(receiver).foreachRDD(rdd -> {
      processed.addAndGet(rdd.count());
      sum.addAndGet(rdd.fold(0L, Long::sum));
    });
    ssc.start();

    eventually().until(receiver.finished::get);
    ssc.stop(true);

    assertThat(receiver.stored.get()).isEqualTo(n);
    assertThat(processed.get()).isEqualTo(n);
    assertThat(sum.get()).isEqualTo(n * (n - 1) / 2);
    assertThat(listener.completedBatches().stream().mapToLong(b -> b.numRecords()).sum()).isEqualTo(n);
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
  }

  @RepeatedTest(3)
  void gracefulStopRightAfterTheLastSingleStoreProcessesEveryRecord() {
    assertGracefulStopProcessesEverything(new FastReceiver(200_000, 1), 200_000);
  }

  @Test
  void gracefulStopRightAfterTheLastBlockStoreProcessesEveryRecord() {
    assertGracefulStopProcessesEverything(new FastReceiver(100_000, 1_000), 100_000);
  }

  @Test
  void gracefulStopWhileTheReceiverIsStillStoringProcessesEverythingItStored() {
    FastReceiver receiver = new FastReceiver(Long.MAX_VALUE, 1);
    ssc = realTimeContext("local[2]");
    AtomicLong processed = new AtomicLong();
    ssc.receiverStream(receiver).foreachRDD(rdd -> processed.addAndGet(rdd.count()));
    ssc.start();

    eventually().until(() -> receiver.stored.get() > 100_000);
    ssc.stop(true);
    eventually().until(receiver.finished::get);

    assertThat(processed.get()).isEqualTo(receiver.stored.get());
  }

  @Test
  void gracefulStopWaitsForBatchesSlowerThanTheBatchIntervalWithinTheConfiguredTimeout() {
    FastReceiver receiver = new FastReceiver(20_000, 1_000);
    receiver.pauseMs = 40;
    ssc = new StreamingContext(
        StreamingTests.conf("local[2]")
            .set("streaming.gracefulStopTimeout", "30s")
            .set("streaming.backpressure.enabled", "false"), // batches must queue up, not be throttled
        Durations.milliseconds(100));
    AtomicLong processed = new AtomicLong();
    ssc.receiverStream(receiver).foreachRDD(rdd -> {
      Thread.sleep(150); // a sink slower than the batch interval: batches queue up
      processed.addAndGet(rdd.count());
    });
    ssc.start();

    eventually().until(receiver.finished::get);
    ssc.stop(true);

    assertThat(processed.get()).isEqualTo(20_000);
  }
}
