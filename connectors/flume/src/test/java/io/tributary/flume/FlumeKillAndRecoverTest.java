package io.tributary.flume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole chain with real processes: the test sends numbered events to a Flume agent (a child
 * JVM, file channel), the agent hands them to a Tributary application (another child JVM, write-ahead
 * log on) by push (avro sink) or pull (TributarySink). Mid-stream the application is SIGKILLed and
 * restarted with getOrCreate, then the agent is SIGKILLed and restarted: every event the agent
 * acknowledged to the test appears in the application's batch output (at least once).
 */
class FlumeKillAndRecoverTest {
  @TempDir Path checkpoint;
  @TempDir Path work;
  @TempDir Path output;
  private Process app;
  private FlumeAgentProcess agent;

  @AfterEach
  void killChildren() throws InterruptedException {
    if (app != null) {
      app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (agent != null) {
      agent.close();
    }
  }

  private void startApp(String mode, int port) throws Exception {
    long before = countStarted();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        RecoverableFlumeApp.class.getName(), mode, checkpoint.toString(), Integer.toString(port), output.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("app.log").toFile()));
    app = builder.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> countStarted() > before);
  }

  private long countStarted() throws Exception {
    Path log = work.resolve("app.log");
    return Files.exists(log) ? Files.readAllLines(log).stream().filter("STARTED"::equals).count() : 0;
  }

  private void killApp() throws InterruptedException {
    app.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
    assertThat(app.waitFor(10, TimeUnit.SECONDS)).isTrue();
  }

  /** Every line of every batch file: each event once per batch that holds it. */
  private List<String> outputLines() throws Exception {
    try (Stream<Path> files = Files.list(output)) {
      return files.filter(p -> p.getFileName().toString().startsWith("batch-")).flatMap(p -> {
        try {
          return Files.readAllLines(p, StandardCharsets.UTF_8).stream();
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"push", "pull"})
  void nothingAcknowledgedIsLostWhenTheApplicationAndThenTheAgentAreKilledMidStream(String mode) throws Exception {
    int appPort = FlumeAgentProcess.freePort();
    agent = mode.equals("push")
        ? FlumeAgentProcess.avroSink(work.resolve("agent"), true, appPort, 100)
        : FlumeAgentProcess.tributarySink(work.resolve("agent"), true, 3);
    int port = mode.equals("push") ? appPort : agent.sinkPort();
    startApp(mode, port);
    agent.start();
    try (Feeder feeder = new Feeder(agent.sourcePort(), mode, 100)) {
      feeder.startSending(4000, 40);
      await().atMost(Duration.ofSeconds(60)).until(() -> outputLines().size() >= 400);
      killApp();
      int ackedAtKill = feeder.acknowledged().size();
      startApp(mode, port);

      await().atMost(Duration.ofSeconds(60)).until(() -> feeder.acknowledged().size() >= ackedAtKill + 800);
      agent.kill(); // the file channel keeps what the agent acknowledged
      agent.start();

      feeder.awaitSent();
      Set<String> acknowledged = new HashSet<>(feeder.acknowledged());
      assertThat(acknowledged).hasSize(4000);
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300))
          .until(() -> new HashSet<>(outputLines()).containsAll(acknowledged));
      List<String> lines = outputLines();
      assertThat(new HashSet<>(lines)).isEqualTo(acknowledged); // nothing lost, nothing made up
      System.out.printf("%s: %d events, %d lines in the output (%d duplicates), %d failed sends to the agent%n",
          mode, acknowledged.size(), lines.size(), lines.size() - acknowledged.size(), feeder.failures());
    }
  }
}
