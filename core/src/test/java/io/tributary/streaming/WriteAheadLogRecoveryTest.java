package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.testing.ManualClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Received blocks survive a crash through the write-ahead log (one JVM, manual clock). */
class WriteAheadLogRecoveryTest {
  static final BlockingQueue<List<Integer>> TO_STORE = new LinkedBlockingQueue<>();
  static final Semaphore STORED = new Semaphore(0);
  static final Map<Long, List<Integer>> OUTPUT = new ConcurrentSkipListMap<>();
  static volatile boolean blockOutput;

  /** Stores each list the test queues as one block, through the reliable path. */
  static final class BlockReceiver extends Receiver<Integer> {
    private transient Thread thread;

    BlockReceiver() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      thread = new Thread(() -> {
        try {
          while (!isStopped()) {
            List<Integer> block = TO_STORE.poll(50, TimeUnit.MILLISECONDS);
            if (block != null) {
              store(block);
              STORED.release();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
    }

    @Override
    public void onStop() {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @TempDir Path checkpoints;
  private long base;
  private StreamingContext ssc;

  @BeforeEach
  void setUp() {
    TO_STORE.clear();
    STORED.drainPermits();
    OUTPUT.clear();
    blockOutput = false;
    base = 1_000_000;
  }

  @AfterEach
  void tearDown() {
    blockOutput = false;
    if (ssc != null) {
      ssc.stop();
    }
  }

  private StreamingContext app(ManualClock clock, boolean writeAheadLog) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.writeAheadLog.enable", Boolean.toString(writeAheadLog));
    StreamingContext created = new StreamingContext(conf, Durations.seconds(1), clock);
    created.checkpoint(checkpoints.toString());
    DStream<Integer> numbers = created.receiverStream(new BlockReceiver());
    numbers.foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(), rdd.collect().stream().sorted().toList()));
    numbers.foreachRDD(rdd -> {
      while (blockOutput) {
        Thread.sleep(20); // a batch that never completes before the crash
      }
    });
    return created;
  }

  private void storeBlocks(List<List<Integer>> blocks) throws InterruptedException {
    TO_STORE.addAll(blocks);
    assertThat(STORED.tryAcquire(blocks.size(), 20, TimeUnit.SECONDS)).isTrue();
  }

  private StreamingContext recover(long at, boolean writeAheadLog) {
    ManualClock later = new ManualClock(at);
    return StreamingContext.getOrCreate(checkpoints.toString(), () -> app(later, writeAheadLog));
  }

  @Test
  void blocksStoredButNotYetInABatchAreProcessedAfterACrash() throws Exception {
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(new ManualClock(base), true));
    ssc.start();
    storeBlocks(List.of(List.of(1, 2, 3), List.of(4, 5)));
    ssc.stop(); // crash: nothing was processed

    ssc = recover(base + 1_200, true);
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 1_000), 30_000)).isTrue();

    assertThat(OUTPUT).containsExactly(Map.entry(base + 1_000, List.of(1, 2, 3, 4, 5)));
  }

  @Test
  void aBatchPendingAtTheCrashRunsAgainWithItsBlocksReadFromTheLog() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(clock, true));
    ssc.start();
    storeBlocks(List.of(List.of(7, 8), List.of(9)));
    blockOutput = true;
    clock.setTime(base + 1_000);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> OUTPUT.containsKey(base + 1_000));
    ssc.stop(); // crash while the batch's second output is still running
    blockOutput = false;
    OUTPUT.clear();

    ssc = recover(base + 1_100, true);
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 1_000), 30_000)).isTrue();

    assertThat(OUTPUT).containsExactly(Map.entry(base + 1_000, List.of(7, 8, 9)));
  }

  @Test
  void withoutTheLogReceivedDataIsLostInACrash() throws Exception {
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(new ManualClock(base), false));
    ssc.start();
    storeBlocks(List.of(List.of(1, 2, 3)));
    ssc.stop();

    ssc = recover(base + 1_200, false);
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 1_000), 30_000)).isTrue();

    assertThat(OUTPUT).containsExactly(Map.entry(base + 1_000, List.of()));
  }

  @Test
  void theLogNeedsACheckpointDirectory() {
    StreamingConf conf = new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.writeAheadLog.enable", "true");
    ssc = new StreamingContext(conf, Durations.seconds(1), new ManualClock(base));
    ssc.receiverStream(new BlockReceiver()).print();

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ssc.start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("streaming.receiver.writeAheadLog.enable")
        .hasMessageContaining("ssc.checkpoint(directory)");
  }
}
