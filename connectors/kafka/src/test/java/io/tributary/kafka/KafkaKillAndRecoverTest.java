package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A direct Kafka stream with checkpoints in a real child JVM, killed with SIGKILL twice while
 * records keep arriving, and restarted with getOrCreate: every record appears in exactly one
 * batch output, as in an uninterrupted run.
 */
@ExtendWith(EmbeddedKafka.class)
class KafkaKillAndRecoverTest {
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

  private Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        RecoverableKafkaApp.class.getName(), checkpoint.toString(), EmbeddedKafka.bootstrapServers(), "recover",
        output.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("child.log").toFile()));
    return builder.start();
  }

  private void startAndAwaitStarted() throws Exception {
    long before = countStarted();
    child = startChild();
    await().atMost(Duration.ofSeconds(60)).until(() -> countStarted() > before);
  }

  private long countStarted() throws Exception {
    Path log = logs.resolve("child.log");
    return Files.exists(log) ? Files.readAllLines(log).stream().filter("STARTED"::equals).count() : 0;
  }

  /** Every line of every batch file: each record once per batch that holds it. */
  private List<String> outputLines() throws Exception {
    List<String> lines = new ArrayList<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("batch-")).toList()) {
        lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  private static Map<String, Long> countsPerKey(List<String> values) {
    return values.stream().collect(Collectors.groupingBy(v -> v.substring(0, v.indexOf(':')), TreeMap::new,
        Collectors.counting()));
  }

  @Test
  void everyRecordIsInExactlyOneBatchOutputAfterTwoKills() throws Exception {
    EmbeddedKafka.createTopic("recover", 3);
    Random random = new Random(11);
    List<String> produced = new ArrayList<>();
    startAndAwaitStarted();
    int chunks = 24;
    for (int i = 0; i < chunks; i++) {
      for (int p = 0; p < 3; p++) {
        List<String> values = new ArrayList<>();
        for (int j = 0; j < 60; j++) {
          values.add("w" + random.nextInt(20) + ":" + i + "-" + p + "-" + j);
        }
        EmbeddedKafka.produce("recover", p, values);
        produced.addAll(values);
      }
      Thread.sleep(100);
      if (i == 8 || i == 16) {
        int seen = outputLines().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> outputLines().size() > seen);
        Thread.sleep(random.nextInt(600)); // kill at a varying point of the batch and checkpoint cycle
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        startAndAwaitStarted();
      }
    }

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
        .until(() -> outputLines().size() >= produced.size());
    Thread.sleep(1_000); // a duplicate would show up now
    List<String> lines = outputLines();
    assertThat(countsPerKey(lines)).isEqualTo(countsPerKey(produced));
    assertThat(lines).hasSameSizeAs(produced).containsExactlyInAnyOrderElementsOf(produced);
  }
}
