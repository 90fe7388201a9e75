package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateful word count in a real child JVM, killed with SIGKILL twice mid-run and restarted with
 * getOrCreate: its final counts equal those of the input counted once, as an uninterrupted run
 * would give.
 */
class KillAndRecoverTest {
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
  }

  private Process startChild(String... extraArgs) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        RecoverableWordCountApp.class.getName(), checkpoint.toString(), input.toString(), output.toString()));
    command.addAll(List.of(extraArgs));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(staging.resolve("child.log").toFile()));
    return builder.start();
  }

  private void killHard(Process process) throws InterruptedException {
    process.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  private static List<String> words(Random random, int n) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      words.add("w" + random.nextInt(40));
    }
    return words;
  }

  private void moveIn(int index, List<String> words) throws Exception {
    Path file = staging.resolve("part-" + index + ".txt");
    Files.write(file, List.of(String.join(" ", words.subList(0, words.size() / 2)),
        String.join(" ", words.subList(words.size() / 2, words.size()))), StandardCharsets.UTF_8);
    Files.move(file, input.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
  }



  /** True once a batch later than {@code wallMillis} wrote its counts. */
  private boolean outputAfter(long wallMillis) throws Exception {
    try (Stream<Path> files = Files.list(output)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("counts-"))
          .anyMatch(n -> Long.parseLong(n.substring(7)) > wallMillis);
    }
  }

  @Test
  void finalCountsAfterTwoKillsEqualTheInputCountedOnce() throws Exception {
    Random random = new Random(7);
    Map<String, Long> expected = new TreeMap<>();
    int files = 30;
    child = startChild();
    // files already there when the application first starts are not new: wait until it listened
    await().atMost(Duration.ofSeconds(60))
        .until(() -> Files.readString(staging.resolve("child.log")).contains("STARTED"));
    long started = System.currentTimeMillis();
    for (int i = 0; i < files; i++) {
      List<String> words = words(random, 50);
      words.forEach(w -> expected.merge(w, 1L, Long::sum));
      moveIn(i, words);
      Thread.sleep(120); // paces the input over many batches; correctness does not depend on it
      if (i == 10 || i == 20) {
        long since = started;
        await().atMost(Duration.ofSeconds(60)).until(() -> outputAfter(since));
        Thread.sleep(random.nextInt(700)); // kill at a varying point of the batch and checkpoint cycle
        killHard(child);
        child = startChild();
        started = System.currentTimeMillis();
      }
    }

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(RecoverableWordCountApp.latestCounts(output)).contains(expected));
  }

  @Test
  void aBatchKilledWhileItsOutputIsRetriedRunsAgainAfterRestartAndCountsOnce() throws Exception {
    Path outage = staging.resolve("sink-down");
    String log = staging.resolve("child.log").toString();
    Random random = new Random(11);
    Map<String, Long> expected = new TreeMap<>();
    child = startChild(outage.toString());
    await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(Path.of(log)).contains("STARTED"));
    List<String> first = words(random, 50);
    first.forEach(w -> expected.merge(w, 1L, Long::sum));
    moveIn(0, first);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(RecoverableWordCountApp.latestCounts(output)).isPresent());

    Files.createFile(outage); // the sink goes down: every batch's output now fails and is retried
    List<String> second = words(random, 50);
    second.forEach(w -> expected.merge(w, 1L, Long::sum));
    moveIn(1, second);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
        .until(() -> Files.readString(Path.of(log)).split("retrying in", -1).length > 5);
    killHard(child); // mid-retry
    assertThat(RecoverableWordCountApp.latestCounts(output)).isPresent().get().isNotEqualTo(expected);

    Files.delete(outage);
    child = startChild(outage.toString());
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
        .untilAsserted(() -> assertThat(RecoverableWordCountApp.latestCounts(output)).contains(expected));
  }
}
