package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerRateUpdated;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A source far faster than the pipeline, with backpressure on: the rate settles at what the
 * pipeline can process, scheduling delay stops growing, the records held stay bounded, and a
 * graceful stop processes every record stored.
 */
class BackpressureOverloadTest {
  private static final long BATCH_MS = 250;
  private static final int BATCHES = 32;
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  /** Stores 0, 1, 2, ... one by one as fast as it can; counts what each store accepted. */
  static final class FirehoseReceiver extends Receiver<Integer> {
    final AtomicLong stored = new AtomicLong();
    final AtomicLong storedSum = new AtomicLong();
    volatile Thread thread;

    FirehoseReceiver() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      thread = new Thread(() -> {
        try {
          for (int i = 0; !isStopped(); i++) {
            store(i);
            stored.incrementAndGet();
            storedSum.addAndGet(i);
          }
        } catch (IllegalStateException stopped) {
          // refused after the stop: not stored, not counted
        }
      }, "firehose");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void onStop() {}
  }

  @Test
  void schedulingDelaySettlesMemoryStaysBoundedAndNoRecordIsLost() throws InterruptedException {
    StreamingConf c = conf("local[2]")
        .set("streaming.backpressure.enabled", "true")
        .set("streaming.backpressure.initialRate", "2000")
        .set("streaming.gracefulStopTimeout", "30s");
    ssc = new StreamingContext(c, Durations.milliseconds(BATCH_MS));
    FirehoseReceiver receiver = new FirehoseReceiver();
    AtomicLong processed = new AtomicLong();
    AtomicLong processedSum = new AtomicLong();
    List<BatchInfo> batches = new CopyOnWriteArrayList<>();
    List<Long> backlog = new CopyOnWriteArrayList<>(); // stored, not yet processed: what the heap holds
    List<StreamingListenerRateUpdated> rates = new CopyOnWriteArrayList<>();
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        batches.add(e.batchInfo());
        backlog.add(receiver.stored.get() - processed.get());
      }

      @Override
      public void onRateUpdated(StreamingListenerRateUpdated e) {
        rates.add(e);
      }
    });
    ssc.receiverStream(receiver)
        .map(x -> {
          LockSupport.parkNanos(100_000); // a slow per-record function: ~0.1-0.2 ms a record
          return x;
        })
        .foreachRDD(rdd -> {
          for (int x : rdd.collect()) {
            processed.incrementAndGet();
            processedSum.addAndGet(x);
          }
        });
    ssc.start();

    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .pollInterval(java.time.Duration.ofMillis(50))
        .until(() -> batches.size() >= BATCHES);
    List<BatchInfo> run = batches.stream().sorted(Comparator.comparing(b -> b.batchTime().milliseconds())).toList();
    List<Long> held = List.copyOf(backlog);
    ssc.stop(true);
    receiver.thread.join(10_000);

    for (BatchInfo b : run) {
      System.out.printf("batch %d: %d records, scheduling %d ms, processing %d ms%n",
          b.batchTime().milliseconds(), b.numRecords(), b.schedulingDelay().orElse(-1L), b.processingDelay().orElse(-1L));
    }
    System.out.println("rates: " + rates.stream().map(r -> Math.round(r.rate())).toList());
    System.out.println("backlog: " + held + ", stored " + receiver.stored.get());

    // the rate came down from unlimited to what the pipeline can take
    assertThat(rates).isNotEmpty();
    // scheduling delay settles: the last quarter of the batches all start within 4 batch intervals
    List<Long> delays = run.stream().map(b -> b.schedulingDelay().orElseThrow()).toList();
    List<Long> last = delays.subList(delays.size() - BATCHES / 4, delays.size());
    assertThat(last).allSatisfy(d -> assertThat(d).isLessThan(4 * BATCH_MS));
    // memory stays bounded: what was stored and not yet processed stayed within a few batches' worth
    long maxBatch = run.stream().mapToLong(BatchInfo::numRecords).max().orElseThrow();
    assertThat(held.subList(held.size() / 2, held.size()))
        .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(6 * Math.max(maxBatch, 1)));
    // no record lost: everything stored was processed by the graceful stop
    assertThat(processed.get()).isEqualTo(receiver.stored.get());
    assertThat(processedSum.get()).isEqualTo(receiver.storedSum.get());
  }
}
