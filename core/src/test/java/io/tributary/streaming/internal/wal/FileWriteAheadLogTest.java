package io.tributary.streaming.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.streaming.CapturedLog;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileWriteAheadLogTest {
  private static final java.util.Map<String, String> SETTINGS = java.util.Map.of();

  @TempDir Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> readAll() {
    List<String> records = new ArrayList<>();
    FileWriteAheadLog.readAll(SETTINGS, dir.toString())
        .forEachRemaining(b -> records.add(new String(b, StandardCharsets.UTF_8)));
    return records;
  }

  private List<String> segmentNames() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aWrittenRecordIsReadBackByItsHandleAndInTheFullScan() {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      WalHandle first = log.write(bytes("first"), 1_000);
      WalHandle second = log.write(bytes("second"), 2_000);

      assertThat(new String(FileWriteAheadLog.read(SETTINGS, second), StandardCharsets.UTF_8)).isEqualTo("second");
      assertThat(new String(FileWriteAheadLog.read(SETTINGS, first), StandardCharsets.UTF_8)).isEqualTo("first");
      assertThat(readAll()).containsExactly("first", "second");
    }
  }

  @Test
  void segmentsRollByRecordTimeAndCleaningDeletesTheOldOnes() throws Exception {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 10_000, false)) {
      log.write(bytes("a"), 1_000);
      log.write(bytes("b"), 12_000);
      log.write(bytes("c"), 25_000);
      assertThat(segmentNames()).containsExactly("log-0-10000", "log-10000-20000", "log-20000-30000");

      log.clean(20_000);

      assertThat(segmentNames()).containsExactly("log-20000-30000");
      assertThat(readAll()).containsExactly("c");
    }
  }

  @Test
  void aTornLastRecordEndsTheScanCleanly() throws Exception {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      log.write(bytes("kept"), 1_000);
      log.write(bytes("cut short by a crash"), 1_000);
    }
    Path segment = dir.resolve("log-0-60000");
    try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
      file.setLength(file.length() - 5);
    }

    assertThat(readAll()).containsExactly("kept");
  }

  @Test
  void aLastRecordFailingItsChecksumEndsTheScanCleanly() throws Exception {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      log.write(bytes("kept"), 1_000);
      log.write(bytes("garbled"), 1_000);
    }
    Path segment = dir.resolve("log-0-60000");
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 1] ^= 0x01;
    Files.write(segment, content);

    assertThat(readAll()).containsExactly("kept");
  }

  @Test
  void readingAGarbledRecordByHandleFailsNamingIt() throws Exception {
    WalHandle handle;
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      handle = log.write(bytes("garbled"), 1_000);
    }
    Path segment = dir.resolve("log-0-60000");
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 1] ^= 0x01;
    Files.write(segment, content);

    assertThatThrownBy(() -> FileWriteAheadLog.read(SETTINGS, handle))
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("log-0-60000");
  }

  private Path segmentOf(String... records) throws Exception {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      for (String record : records) {
        log.write(bytes(record), 1_000);
      }
    }
    return dir.resolve("log-0-60000");
  }

  @Test
  void anImpossibleLengthMidSegmentIsSkippedWithoutAllocatingIt() throws Exception {
    Path segment = segmentOf("one", "two", "three");
    WalFiles.setLength(segment, WalFiles.frameOffsets(segment).get(1), 0x7fffff00);

    try (CapturedLog log = new CapturedLog()) {
      assertThat(readAll()).containsExactly("one", "three");
      assertThat(log.text())
          .contains("log-0-60000 is damaged: skipped 11 byte(s) at offset 11 (impossible length 2147483392)")
          .doesNotContain("torn");
    }
  }

  @Test
  void aLengthBeyondTheSegmentEndIsATornTailNotAnAllocation() throws Exception {
    Path segment = segmentOf("one", "two");
    WalFiles.setLength(segment, WalFiles.frameOffsets(segment).get(1), 1_000_000);

    try (CapturedLog log = new CapturedLog()) {
      assertThat(readAll()).containsExactly("one");
      assertThat(log.text()).contains("log-0-60000 ends with a torn record at offset 11 (cut short: length 1000000");
    }
  }

  @Test
  void aCorruptRecordMidSegmentLosesOnlyItself() throws Exception {
    List<String> written = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      written.add("record " + i);
    }
    Path segment = segmentOf(written.toArray(String[]::new));
    WalFiles.flipPayloadByte(segment, WalFiles.frameOffsets(segment).get(50));

    try (CapturedLog log = new CapturedLog()) {
      List<String> expected = new ArrayList<>(written);
      expected.remove(50);
      assertThat(readAll()).containsExactlyElementsOf(expected);
      assertThat(log.text())
          .contains(segment.getFileName() + " is damaged: skipped 17 byte(s) at offset 840 (checksum mismatch)")
          .contains("Check the storage")
          .doesNotContain("torn");
    }
  }

  @Test
  void filesNotNamedLikeSegmentsAreIgnoredWithAWarningNamingThem() throws Exception {
    segmentOf("kept");
    Files.writeString(dir.resolve("log-garbage"), "garbage");
    Files.writeString(dir.resolve("log-123456789012345678901234-1"), "overflows a long");

    try (CapturedLog log = new CapturedLog();
        FileWriteAheadLog wal = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      assertThat(readAll()).containsExactly("kept");
      wal.clean(Long.MAX_VALUE);
      assertThat(log.text())
          .contains("Ignoring file:" + dir.resolve("log-garbage") + ": not a write-ahead log segment")
          .contains("Ignoring file:" + dir.resolve("log-123456789012345678901234-1"));
    }
    assertThat(segmentNames()).containsExactly("log-123456789012345678901234-1", "log-garbage");
  }

  @Test
  void bytesCutOutOfARecordLoseItAloneWhenReadByHandle() throws Exception {
    List<WalHandle> handles = new ArrayList<>();
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      for (String record : List.of("first record", "second record", "third record")) {
        handles.add(log.write(bytes(record), 1_000));
      }
    }
    WalFiles.cutFromPayload(dir.resolve("log-0-60000"), handles.get(1).offset(), 7);

    assertThat(new String(FileWriteAheadLog.read(SETTINGS, handles.get(0)), StandardCharsets.UTF_8)).isEqualTo("first record");
    assertThatThrownBy(() -> FileWriteAheadLog.read(SETTINGS, handles.get(1)))
        .isInstanceOf(UnreadableRecordException.class)
        .hasMessageContaining("offset 20 of " + dir.resolve("log-0-60000"))
        .hasMessageContaining("checksum mismatch");
    assertThat(new String(FileWriteAheadLog.read(SETTINGS, handles.get(2)), StandardCharsets.UTF_8))
        .as("found 7 bytes earlier than written")
        .isEqualTo("third record");
  }

  @Test
  void aRecordWhoseSegmentIsGoneIsUnreadable() throws Exception {
    WalHandle handle;
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      handle = log.write(bytes("gone"), 1_000);
    }
    Files.delete(dir.resolve("log-0-60000"));

    assertThatThrownBy(() -> FileWriteAheadLog.read(SETTINGS, handle))
        .isInstanceOf(UnreadableRecordException.class)
        .hasMessageContaining("log-0-60000")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aRestartWritesANewSegmentInsteadOfAppendingToTheOldOne() {
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      log.write(bytes("before"), 1_000);
    }
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      log.write(bytes("after"), 2_000);
    }

    assertThat(readAll()).containsExactly("before", "after");
  }

  @Test
  void concurrentWritersShareFlushes() throws Exception {
    int writers = 8;
    int perWriter = 200;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false)) {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        done.add(pool.submit(() -> {
          for (int i = 0; i < perWriter; i++) {
            log.write(bytes(writer + ":" + i), 1_000);
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      assertThat(log.flushCount()).isLessThan(writers * perWriter);
    } finally {
      pool.shutdown();
    }
    assertThat(readAll()).hasSize(writers * perWriter);
  }

  @Test
  void writingAfterCloseFailsClearly() {
    FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir.toString(), 60_000, false);
    log.close();

    assertThatThrownBy(() -> log.write(bytes("late"), 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  @Timeout(60)
  void writesRacingACloseEachEitherReturnAHandleOrFailClearlyAndNoneHangs() throws Exception {
    for (int round = 0; round < 50; round++) {
      FileWriteAheadLog log = new FileWriteAheadLog(SETTINGS, dir + "/race" + round, 60_000, false);
      ExecutorService writers = Executors.newFixedThreadPool(4);
      List<Future<WalHandle>> writes = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        long time = i;
        writes.add(writers.submit(() -> log.write(new byte[] {1, 2, 3}, time)));
      }
      log.close();
      int written = 0;
      for (Future<WalHandle> write : writes) {
        try {
          assertThat(write.get(10, TimeUnit.SECONDS)).isNotNull();
          written++;
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        }
      }
      writers.shutdownNow();
      List<byte[]> read = new ArrayList<>();
      FileWriteAheadLog.readAll(SETTINGS, dir + "/race" + round).forEachRemaining(read::add);
      assertThat(read).as("every write that returned is in the log").hasSize(written);
    }
  }
}
