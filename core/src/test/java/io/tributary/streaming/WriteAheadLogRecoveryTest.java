package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.streaming.internal.wal.WalFiles;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.IntStream;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Received blocks survive a crash through the write-ahead log (one JVM, manual clock). */
class WriteAheadLogRecoveryTest {
  static final BlockingQueue<List<Integer>> TO_STORE = new LinkedBlockingQueue<>();
  static final Semaphore STORED = new Semaphore(0);
  static final Map<Long, List<Integer>> OUTPUT = new ConcurrentSkipListMap<>();
  static volatile boolean blockOutput;
  static final List<io.tributary.streaming.scheduler.BatchInfo> COMPLETED =
      new java.util.concurrent.CopyOnWriteArrayList<>();

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
    COMPLETED.clear();
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
    created.addStreamingListener(new io.tributary.streaming.scheduler.StreamingListener() {
      @Override
      public void onBatchCompleted(io.tributary.streaming.scheduler.StreamingListenerBatchCompleted completed) {
        COMPLETED.add(completed.batchInfo());
      }
    });
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
  void aGracefulStopWithTheLogOnProcessesEveryStoredBlock() throws Exception {
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(new ManualClock(base), true));
    ssc.start();
    storeBlocks(List.of(List.of(1, 2, 3), List.of(4, 5)));
    ssc.stop(true); // the stop's own batch allocates them, logged in the allocation log

    assertThat(ssc.awaitTerminationOrTimeout(0)).as("stopped without a failure").isTrue();
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
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> COMPLETED.stream().anyMatch(b -> b.batchTime().milliseconds() == base + 1_000));
    assertThat(COMPLETED).filteredOn(b -> b.batchTime().milliseconds() == base + 1_000)
        .as("the batch run again reports the records it read")
        .extracting(io.tributary.streaming.scheduler.BatchInfo::numRecords).containsExactly(3L);
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

  private static List<Integer> range(int from, int to) {
    return IntStream.range(from, to).boxed().toList();
  }

  /** Runs, stores {@code blocks} (none in a batch yet), and stops as a crash would. */
  private void runAndCrash(List<List<Integer>> blocks) throws Exception {
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(new ManualClock(base), true));
    ssc.start();
    storeBlocks(blocks);
    ssc.stop();
  }

  /** Recovers and returns what the first batch after the crash output. */
  private List<Integer> recoverFirstBatch() throws InterruptedException {
    ssc = recover(base + 1_200, true);
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 1_000), 30_000)).isTrue();
    return OUTPUT.get(base + 1_000);
  }

  @Test
  void aDamagedBlockAddedRecordAfterAProcessedBatchRecoversItsBlockAndNothingProcessed() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(clock, true));
    ssc.start();
    storeBlocks(List.of(range(0, 10), range(10, 20)));
    clock.setTime(base + 1_000);
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 1_000), 30_000)).isTrue();
    storeBlocks(List.of(range(20, 30), range(30, 40), range(40, 50)));
    ssc.stop(); // crash: the last three blocks are in no batch yet
    Path segment = WalFiles.onlySegment(checkpoints.resolve("receivedBlockMetadata"));
    List<Long> frames = WalFiles.frameOffsets(segment);
    WalFiles.flipPayloadByte(segment, frames.get(frames.size() - 2)); // "block added" of 30..39
    OUTPUT.clear();

    try (CapturedLog log = new CapturedLog()) {
      ssc = recover(base + 2_100, true);
      ssc.start();
      assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 2_000), 30_000)).isTrue();
      assertThat(OUTPUT).as("the processed batch is not read again; the damaged record's block is")
          .containsExactly(Map.entry(base + 2_000, range(20, 50)));
      assertThat(log.text()).containsOnlyOnce("Recovered block");
    }
  }

  @Test
  void strayFilesInTheCheckpointDirectoryAreIgnoredNamingThem() throws Exception {
    runAndCrash(List.of(List.of(1, 2, 3), List.of(4, 5)));
    Files.writeString(checkpoints.resolve("receivedBlockMetadata/log-garbage"), "stray");
    Files.writeString(checkpoints.resolve("checkpoint-"), "stray");
    Files.writeString(checkpoints.resolve("checkpoint-123456789012345678901234"), "stray");

    try (CapturedLog log = new CapturedLog()) {
      assertThat(recoverFirstBatch()).containsExactly(1, 2, 3, 4, 5);
      assertThat(log.text())
          .contains("Ignoring " + "file:" + checkpoints.resolve("receivedBlockMetadata/log-garbage"))
          .contains("Ignoring " + "file:" + checkpoints.resolve("checkpoint-") + ":")
          .contains("Ignoring " + "file:" + checkpoints.resolve("checkpoint-123456789012345678901234"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"impossible length", "checksum mismatch"})
  void aDamagedRecordMidwayInTheMetadataLogLosesOnlyItselfNotItsBlock(String damage) throws Exception {
    List<List<Integer>> blocks = List.of(range(0, 10), range(10, 20), range(20, 30), range(30, 40), range(40, 50));
    runAndCrash(blocks);
    Path segment = WalFiles.onlySegment(checkpoints.resolve("receivedBlockMetadata"));
    List<Long> frames = WalFiles.frameOffsets(segment);
    assertThat(frames).as("one record per block added").hasSize(5);
    if (damage.equals("impossible length")) {
      WalFiles.setLength(segment, frames.get(1), 0x7fffff00);
    } else {
      WalFiles.flipPayloadByte(segment, frames.get(1));
    }

    try (CapturedLog log = new CapturedLog()) {
      // the block whose "block added" record was damaged is found in the receiver's log, once
      assertThat(recoverFirstBatch()).containsExactlyElementsOf(range(0, 50));
      assertThat(log.text())
          .contains(segment.getFileName() + " is damaged: skipped " + (frames.get(2) - frames.get(1))
              + " byte(s) at offset " + frames.get(1) + " (" + damage)
          .containsOnlyOnce("Recovered block")
          .containsPattern("Recovered block input-\\d+--1 of input stream \\d+ \\(10 record\\(s\\)\\) from .*receivedData")
          .doesNotContain("torn");
    }
  }

  @Test
  void sevenBytesCutOutOfALoggedBlockLoseThatBlockAlone() throws Exception {
    runAndCrash(List.of(range(0, 2_000), range(2_000, 4_000), range(4_000, 6_000)));
    Path data;
    try (var streams = Files.list(checkpoints.resolve("receivedData"))) {
      data = WalFiles.onlySegment(streams.findFirst().orElseThrow());
    }
    WalFiles.cutFromPayload(data, WalFiles.frameOffsets(data).get(1), 7);

    try (CapturedLog log = new CapturedLog()) {
      List<Integer> expected = new ArrayList<>(range(0, 2_000));
      expected.addAll(range(4_000, 6_000));
      assertThat(recoverFirstBatch()).containsExactlyElementsOf(expected);
      assertThat(log.text())
          .containsPattern("Block input-\\d+-\\d+ of input stream \\d+ \\(2000 record\\(s\\)\\) is lost: "
              + "Cannot read the write-ahead log record at offset \\d+ of \\S*" + data.getFileName())
          .contains("The batch goes on without it");
    }
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
