package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka in, map, Kafka out with an exactly-once sink, in a real child JVM killed with SIGKILL
 * twice (in the middle of its transactions) while records keep arriving, and restarted with
 * getOrCreate: a read_committed reader of the output topic sees every input record's output
 * exactly once.
 */
@ExtendWith(EmbeddedKafka.class)
class KafkaExactlyOnceKillTest {
  private static final String IN = "eos-kill-in";
  private static final String OUT = "eos-kill-out";

  @TempDir Path checkpoint;
  @TempDir Path logs;
  private Process child;

  @AfterEach
  void killChild() throws InterruptedException {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void startAndAwaitStarted() throws Exception {
    long before = countLines("STARTED"::equals);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        ExactlyOnceKafkaApp.class.getName(), checkpoint.toString(), EmbeddedKafka.bootstrapServers(), IN, OUT);
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("child.log").toFile()));
    child = builder.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> countLines("STARTED"::equals) > before);
  }

  private long countLines(java.util.function.Predicate<String> which) throws Exception {
    Path log = logs.resolve("child.log");
    return Files.exists(log) ? Files.readAllLines(log).stream().filter(which).count() : 0;
  }

  /** Waits (at most 5 s) until the output holds records of a transaction not committed yet. */
  private static void awaitOpenTransaction() throws Exception {
    Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(OUT, 0), OffsetSpec.latest(),
        new TopicPartition(OUT, 1), OffsetSpec.latest());
    long deadline = System.currentTimeMillis() + 5_000;
    while (System.currentTimeMillis() < deadline) {
      var stable = EmbeddedKafka.admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all().get(10, TimeUnit.SECONDS);
      var end = EmbeddedKafka.admin().listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
          .all().get(10, TimeUnit.SECONDS);
      if (latest.keySet().stream().anyMatch(tp -> end.get(tp).offset() > stable.get(tp).offset())) {
        return;
      }
      Thread.sleep(2);
    }
  }

  private static List<String> committedOutput() {
    return KafkaSinkTest.readAll(OUT, "read_committed");
  }

  private static Map<String, Long> counts(List<String> values) {
    return values.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  @Test
  void aReadCommittedReaderSeesEveryRecordExactlyOnceAfterTwoKills() throws Exception {
    EmbeddedKafka.createTopic(IN, 3);
    EmbeddedKafka.createTopic(OUT, 2);
    Random random = new Random(17);
    List<String> expected = new ArrayList<>();
    startAndAwaitStarted();
    int chunks = 24;
    for (int i = 0; i < chunks; i++) {
      for (int p = 0; p < 3; p++) {
        List<String> values = new ArrayList<>();
        for (int j = 0; j < 60; j++) {
          values.add(i + "-" + p + "-" + j);
        }
        EmbeddedKafka.produce(IN, p, values);
        values.forEach(v -> expected.add("out:" + v));
      }
      Thread.sleep(100);
      if (i == 8 || i == 16) {
        int seen = committedOutput().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> committedOutput().size() > seen);
        Thread.sleep(random.nextInt(300));
        awaitOpenTransaction(); // kill while a transaction has records in the output (up to 5 s)
        child.destroyForcibly(); // SIGKILL: open transactions stay open, no final checkpoint
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        startAndAwaitStarted();
      }
    }

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> committedOutput().size() >= expected.size());
    Thread.sleep(1_500); // a duplicate would show up now
    List<String> output = committedOutput();
    List<String> all = KafkaSinkTest.readAll(OUT, "read_uncommitted");
    System.out.printf("Exactly-once kill test: %d expected, %d read_committed, %d read_uncommitted (aborted attempts "
        + "included); child log: %d batches skipped, %d partly written after recovery%n", expected.size(),
        output.size(), all.size(), countLines(l -> l.contains("already written by an earlier run")),
        countLines(l -> l.contains("partly written by an earlier run")));
    assertThat(counts(output)).isEqualTo(counts(expected));
    assertThat(all).containsAll(expected);
    assertThat(countLines(l -> l.contains("were never written by this sink"))).as("input offsets skipped").isZero();
  }
}
