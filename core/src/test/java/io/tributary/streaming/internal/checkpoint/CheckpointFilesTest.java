package io.tributary.streaming.internal.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.streaming.CapturedLog;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {
  private static final java.util.Map<String, String> SETTINGS = java.util.Map.of();

  @TempDir Path dir;

  private static Checkpoint checkpointAt(long time) {
    TreeMap<Long, Serializable> entries = new TreeMap<>();
    entries.put(time, new Checkpoint.CheckpointedRdd("file:/tmp/rdd-" + time, 4, new HashPartitioner(4)));
    return new Checkpoint(
        time, 0, 1000, Map.of("master", "local[2]"), List.of(time - 1000, time),
        Map.of("counts", new Checkpoint.StreamData("StateDStream", true, entries)));
  }

  private CheckpointFiles files(int keep) {
    return new CheckpointFiles(SETTINGS, dir.toString(), keep);
  }

  @Test
  void readsBackExactlyWhatWasWritten() {
    files(10).write(checkpointAt(5000));

    Checkpoint read = files(10).readLatest().orElseThrow();

    assertThat(read.checkpointTime()).isEqualTo(5000);
    assertThat(read.zeroTime()).isZero();
    assertThat(read.batchMillis()).isEqualTo(1000);
    assertThat(read.conf()).containsExactly(Map.entry("master", "local[2]"));
    assertThat(read.pendingTimes()).containsExactly(4000L, 5000L);
    Checkpoint.StreamData counts = read.streams().get("counts");
    assertThat(counts.kind()).isEqualTo("StateDStream");
    assertThat(counts.stateful()).isTrue();
    assertThat(counts.entries())
        .containsExactly(Map.entry(5000L, new Checkpoint.CheckpointedRdd("file:/tmp/rdd-5000", 4, new HashPartitioner(4))));
  }

  @Test
  void anEmptyDirectoryHasNoCheckpoint() {
    assertThat(files(10).readLatest()).isEmpty();
    assertThat(new CheckpointFiles(SETTINGS, dir.resolve("missing").toString(), 10).readLatest()).isEmpty();
  }

  @Test
  void theNewestCheckpointWins() {
    files(10).write(checkpointAt(1000));
    files(10).write(checkpointAt(3000));
    files(10).write(checkpointAt(2000));

    assertThat(files(10).readLatest().orElseThrow().checkpointTime()).isEqualTo(3000);
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws Exception {
    files(10).write(checkpointAt(1000));
    files(10).write(checkpointAt(2000));
    Path newest = dir.resolve("checkpoint-2000");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length / 2] ^= 0x5a;
    Files.write(newest, bytes);

    assertThat(files(10).readLatest().orElseThrow().checkpointTime()).isEqualTo(1000);
  }

  @Test
  void aTruncatedNewestCheckpointFallsBackToThePreviousOne() throws Exception {
    files(10).write(checkpointAt(1000));
    files(10).write(checkpointAt(2000));
    Path newest = dir.resolve("checkpoint-2000");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length - 20));

    assertThat(files(10).readLatest().orElseThrow().checkpointTime()).isEqualTo(1000);
  }

  @Test
  void noReadableCheckpointAtAllIsAnErrorNamingTheDirectory() throws Exception {
    Files.writeString(dir.resolve("checkpoint-1000"), "not a checkpoint");

    assertThatThrownBy(() -> files(10).readLatest())
        .isInstanceOf(IllegalStateException.class)
        .isInstanceOf(CheckpointFiles.NoReadableCheckpointException.class)
        .hasMessageContaining("None of the 1 checkpoint files")
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("checkpoint-1000: ");
  }

  @Test
  void filesNamedCheckpointWithoutATimeAreIgnoredWithAWarningNamingThem() throws Exception {
    files(10).write(checkpointAt(1000));
    Files.writeString(dir.resolve("checkpoint-"), "stray");
    Files.writeString(dir.resolve("checkpoint-123456789012345678901234"), "overflows a long");
    Files.writeString(dir.resolve("checkpoint-2000.bak"), "a copy");

    try (CapturedLog log = new CapturedLog()) {
      assertThat(files(10).readLatest().orElseThrow().checkpointTime()).isEqualTo(1000);
      files(1).write(checkpointAt(3000)); // pruning ignores them too
      assertThat(log.text())
          .contains("Ignoring file:" + dir.resolve("checkpoint-") + ": not a checkpoint file")
          .contains("Ignoring file:" + dir.resolve("checkpoint-123456789012345678901234") + ": not a checkpoint file")
          .contains("Ignoring file:" + dir.resolve("checkpoint-2000.bak") + ": not a checkpoint file");
    }
    assertThat(files(10).readLatest().orElseThrow().checkpointTime()).isEqualTo(3000);
  }

  @Test
  void onlyTheNewestFilesAreKept() throws Exception {
    for (long t = 1000; t <= 6000; t += 1000) {
      files(3).write(checkpointAt(t));
    }

    try (Stream<Path> listed = Files.list(dir)) {
      assertThat(listed.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("checkpoint-4000", "checkpoint-5000", "checkpoint-6000");
    }
  }
}
