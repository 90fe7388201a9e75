package io.tributary.streaming.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.internal.hadoop.HadoopConf;
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
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class FileWriteAheadLogTest {
  private static final Configuration HADOOP = HadoopConf.newDefault();

  @TempDir Path dir;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private List<String> readAll() {
    List<String> records = new ArrayList<>();
    FileWriteAheadLog.readAll(HADOOP, dir.toString())
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
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
      WalHandle first = log.write(bytes("first"), 1_000);
      WalHandle second = log.write(bytes("second"), 2_000);

      assertThat(new String(FileWriteAheadLog.read(HADOOP, second), StandardCharsets.UTF_8)).isEqualTo("second");
      assertThat(new String(FileWriteAheadLog.read(HADOOP, first), StandardCharsets.UTF_8)).isEqualTo("first");
      assertThat(readAll()).containsExactly("first", "second");
    }
  }

  @Test
  void segmentsRollByRecordTimeAndCleaningDeletesTheOldOnes() throws Exception {
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 10_000, false)) {
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
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
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
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
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
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
      handle = log.write(bytes("garbled"), 1_000);
    }
    Path segment = dir.resolve("log-0-60000");
    byte[] content = Files.readAllBytes(segment);
    content[content.length - 1] ^= 0x01;
    Files.write(segment, content);

    assertThatThrownBy(() -> FileWriteAheadLog.read(HADOOP, handle))
        .hasMessageContaining("checksum mismatch")
        .hasMessageContaining("log-0-60000");
  }

  @Test
  void aRestartWritesANewSegmentInsteadOfAppendingToTheOldOne() {
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
      log.write(bytes("before"), 1_000);
    }
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
      log.write(bytes("after"), 2_000);
    }

    assertThat(readAll()).containsExactly("before", "after");
  }

  @Test
  void concurrentWritersShareFlushes() throws Exception {
    int writers = 8;
    int perWriter = 200;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try (FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false)) {
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
    FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir.toString(), 60_000, false);
    log.close();

    assertThatThrownBy(() -> log.write(bytes("late"), 1_000))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  @Timeout(60)
  void writesRacingACloseEachEitherReturnAHandleOrFailClearlyAndNoneHangs() throws Exception {
    for (int round = 0; round < 50; round++) {
      FileWriteAheadLog log = new FileWriteAheadLog(HADOOP, dir + "/race" + round, 60_000, false);
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
      FileWriteAheadLog.readAll(HADOOP, dir + "/race" + round).forEachRemaining(read::add);
      assertThat(read).as("every write that returned is in the log").hasSize(written);
    }
  }
}
