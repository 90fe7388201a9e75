package io.tributary.kinesis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * A Kinesis stream with the write-ahead log on, in a real child JVM killed with SIGKILL while
 * records keep arriving, then restarted with getOrCreate: every sequence number put is in the
 * output (stored blocks come back from the log, the rest is read again from the lease table's
 * checkpoints), and the restart resumed from the checkpoints instead of reading the shards again.
 */
@ExtendWith(KinesisEmulators.class)
class KinesisKillAndRecoverTest {
  private static final String STREAM = "recover";
  private static final String APP = "app-recover";

  @TempDir Path checkpoint;
  @TempDir Path logs;
  @TempDir Path output;
  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void startAndAwaitStarted() throws Exception {
    long before = countStarted();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-Daws.cborEnabled=false",
        "-cp", System.getProperty("java.class.path"), RecoverableKinesisApp.class.getName(), checkpoint.toString(),
        KinesisEmulators.kinesisEndpoint(), KinesisEmulators.dynamoEndpoint(), STREAM, APP, output.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("child.log").toFile()));
    child = builder.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> countStarted() > before);
  }

  private long countStarted() throws Exception {
    Path log = logs.resolve("child.log");
    return Files.exists(log) ? Files.readAllLines(log).stream().filter("STARTED"::equals).count() : 0;
  }

  /** "shard/sequence" of every record of every batch file, once per batch that holds it. */
  private List<String> outputIds() throws Exception {
    List<String> ids = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("batch-")).toList()) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          ids.add(line.substring(0, line.lastIndexOf('/')));
        }
      }
    }
    return ids;
  }

  private static List<String> putChunk(int chunk) {
    List<PutRecordsRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      entries.add(KinesisEmulators.entry("k-" + chunk + "-" + i, ("record " + chunk + "-" + i).getBytes(StandardCharsets.UTF_8)));
    }
    return KinesisEmulators.put(STREAM, entries);
  }

  @Test
  void sigkillAndRestartResumeFromTheCheckpointAndLoseNothing() throws Exception {
    KinesisEmulators.createStream(STREAM, 3);
    List<String> put = new ArrayList<>();
    startAndAwaitStarted();
    int chunks = 16;
    int putBeforeKill = 0;
    for (int chunk = 0; chunk < chunks; chunk++) {
      put.addAll(putChunk(chunk));
      Thread.sleep(150);
      if (chunk == 7) {
        // read, stored and checkpointed something on every shard; records keep coming
        await().atMost(KinesisEmulators.firstRecordsBudget()).pollInterval(Duration.ofMillis(300))
            .until(() -> !outputIds().isEmpty() && KinesisStreamTest.checkpoints(APP).values().stream()
                .filter(c -> c.matches("\\d+")).count() == 3);
        put.addAll(putChunk(100)); // arrives while the application dies
        putBeforeKill = put.size();
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no graceful KCL shutdown, no final checkpoint
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        startAndAwaitStarted();
      }
    }

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
        .until(() -> new HashSet<>(outputIds()).containsAll(put));
    List<String> ids = outputIds();
    Set<String> distinct = new HashSet<>(ids);
    assertThat(distinct).hasSameSizeAs(put).containsExactlyInAnyOrderElementsOf(put);
    int readTwice = ids.size() - distinct.size();
    assertThat(readTwice).as("records read again after the restart (at least once), fewer than all before the kill")
        .isLessThan(putBeforeKill);
    System.out.println("kill-and-recover: " + put.size() + " records put, " + putBeforeKill + " before the kill, "
        + readTwice + " read twice");
  }
}
