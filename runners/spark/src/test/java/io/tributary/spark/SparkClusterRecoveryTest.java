package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateful word count whose driver runs on the cluster in a child JVM, killed with SIGKILL
 * mid-run and restarted with getOrCreate: the state is read back from the checkpoint by the
 * executors, and the final counts equal those of the input counted once.
 */
@Tag("spark-cluster")
@Timeout(300)
class SparkClusterRecoveryTest {
  @TempDir Path checkpoint;
  @TempDir Path input;
  @TempDir Path staging;
  @TempDir Path output;
  private Process child;

  @AfterEach
  void killChild() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    Path log = staging.resolve("driver.log");
    if (Files.exists(log)) {
      Files.copy(log, Path.of("target", "spark-logs", "recovery-driver.log"), StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private Process startDriver() throws Exception {
    ProcessBuilder builder = new ProcessBuilder(SparkCluster.get().driverCommand("recovery-test",
        ClusterWordCountApp.class, checkpoint.toString(), input.toString(), output.toString()));
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(staging.resolve("driver.log").toFile()));
    return builder.start();
  }

  private String driverLog() throws Exception {
    return Files.readString(staging.resolve("driver.log"));
  }

  private void moveIn(int index, List<String> words) throws Exception {
    Path file = staging.resolve("part-" + index + ".txt");
    Files.write(file, List.of(String.join(" ", words.subList(0, words.size() / 2)),
        String.join(" ", words.subList(words.size() / 2, words.size()))), StandardCharsets.UTF_8);
    Files.move(file, input.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }

  private Optional<Map<String, Long>> latestCounts() throws Exception {
    Optional<Path> latest;
    try (Stream<Path> files = Files.list(output)) {
      latest = files.filter(p -> p.getFileName().toString().startsWith("counts-"))
          .max(Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(7))));
    }
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> counts = new TreeMap<>();
    for (String line : Files.readAllLines(latest.get(), StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      counts.put(parts[0], Long.parseLong(parts[1]));
    }
    return Optional.of(counts);
  }

  private long outputs() throws Exception {
    try (Stream<Path> files = Files.list(output)) {
      return files.filter(p -> p.getFileName().toString().startsWith("counts-")).count();
    }
  }

  @Test
  void stateSurvivesADriverKilledWithSigkillAndRestartedWithGetOrCreate() throws Exception {
    Random random = new Random(5);
    Map<String, Long> expected = new TreeMap<>();
    child = startDriver();
    await().atMost(Duration.ofSeconds(120)).until(() -> driverLog().contains("STARTED"));
    for (int i = 0; i < 8; i++) {
      List<String> words = new ArrayList<>();
      for (int w = 0; w < 40; w++) {
        words.add("w" + random.nextInt(25));
      }
      words.forEach(w -> expected.merge(w, 1L, Long::sum));
      moveIn(i, words);
      Thread.sleep(300); // paces the input over several batches; correctness does not depend on it
      if (i == 4) {
        long before = outputs();
        // past at least one state checkpoint (every 3 s), so the restart reads state back from it
        await().atMost(Duration.ofSeconds(120)).until(() -> outputs() >= before + 4);
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        child = startDriver();
      }
    }
    await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(250))
        .untilAsserted(() -> assertThat(latestCounts()).contains(expected));
    assertThat(driverLog()).contains("STARTED on spark://127.0.0.1:");
  }
}
