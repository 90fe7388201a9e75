package io.tributary.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.streaming.RecoverableWordCountApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The supervisor in a real child JVM, supervising a real application JVM that the test kills. */
class SupervisorTest {
  private static final Pattern STARTED_PID = Pattern.compile("run (\\d+): started the application, pid (\\d+)");
  @TempDir Path work;
  private Process supervisor;

  @AfterEach
  void stop() throws Exception {
    if (supervisor != null) {
      supervisor.descendants().forEach(ProcessHandle::destroyForcibly);
      supervisor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private Process supervise(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Supervisor.class.getName()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("supervisor.log").toFile())).start();
  }

  private String log() throws Exception {
    Path log = work.resolve("supervisor.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private long occurrences(String text) throws Exception {
    return log().split(Pattern.quote(text), -1).length - 1;
  }

  /** The pid of the application the supervisor started last, once it has started {@code run} runs. */
  private long pidOfRun(int run) throws Exception {
    await().atMost(Duration.ofSeconds(60)).until(() -> log().contains("run " + run + ": started"));
    Matcher m = STARTED_PID.matcher(log());
    long pid = -1;
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) == run) {
        pid = Long.parseLong(m.group(2));
      }
    }
    return pid;
  }

  @Test
  void anApplicationKilledTwiceIsRestartedAndCountsEveryWordOnce() throws Exception {
    Path checkpoint = Files.createDirectories(work.resolve("checkpoint"));
    Path input = Files.createDirectories(work.resolve("input"));
    Path output = Files.createDirectories(work.resolve("output"));
    Path staging = Files.createDirectories(work.resolve("staging"));
    supervisor = supervise("--min-backoff", "100ms", "--max-backoff", "1s", "--jvm-option", "-Xmx512m",
        RecoverableWordCountApp.class.getName(), checkpoint.toString(), input.toString(), output.toString());
    Map<String, Long> expected = new TreeMap<>();
    for (int run = 1; run <= 3; run++) {
      long pid = pidOfRun(run);
      int started = run;
      await().atMost(Duration.ofSeconds(60)).until(() -> occurrences("STARTED") >= started);
      for (int f = 0; f < 3; f++) {
        List<String> words = List.of("run" + run, "file" + f, "all");
        words.forEach(w -> expected.merge(w, 1L, Long::sum));
        Path file = Files.writeString(staging.resolve("part-" + run + "-" + f + ".txt"), String.join(" ", words));
        Files.move(file, input.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
      }
      Map<String, Long> sofar = new TreeMap<>(expected);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
          .untilAsserted(() -> assertThat(RecoverableWordCountApp.latestCounts(output)).contains(sofar));
      if (run < 3) {
        ProcessHandle app = ProcessHandle.of(pid).orElseThrow();
        app.destroyForcibly(); // SIGKILL of the application, not of the supervisor
        assertThat(app.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
      }
    }
    assertThat(log()).contains("restarting in 100 ms").contains("run 3: started");
    assertThat(supervisor.isAlive()).isTrue();

    long lastApp = pidOfRun(3);
    supervisor.destroy(); // SIGTERM: the supervisor stops its application with it
    assertThat(supervisor.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(ProcessHandle.of(lastApp).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(log()).contains("stopping the application, pid " + lastApp);
  }

  @Test
  void anApplicationThatKeepsFailingAtOnceIsGivenUpOnWithItsStatus() throws Exception {
    supervisor = supervise("--min-backoff", "10ms", "--max-failures", "3", ExitWith.class.getName(), "7");
    assertThat(supervisor.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(supervisor.exitValue()).isEqualTo(7);
    assertThat(occurrences("RAN 7")).isEqualTo(3);
    assertThat(log()).contains("failed 3 times in a row").contains("giving up").contains("restarting in 20 ms");
  }

  @Test
  void anApplicationThatFinishesIsNotRestarted() throws Exception {
    supervisor = supervise(ExitWith.class.getName(), "0");
    assertThat(supervisor.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(supervisor.exitValue()).isZero();
    assertThat(occurrences("RAN 0")).isEqualTo(1);
    assertThat(log()).contains("exited normally");
  }

  @Test
  void badOptionsFailNamingTheOption() {
    assertThatThrownBy(() -> Supervisor.parse(new String[] {"--min-backof", "1s", "App"}))
        .hasMessageContaining("unknown option --min-backof");
    assertThatThrownBy(() -> Supervisor.parse(new String[] {"--max-backoff", "ten", "App"}))
        .hasMessageContaining("--max-backoff must be a duration like 500ms").hasMessageContaining("'ten'");
    assertThatThrownBy(() -> Supervisor.parse(new String[] {"--max-failures", "-1", "App"}))
        .hasMessageContaining("--max-failures must be a whole number");
    assertThatThrownBy(() -> Supervisor.parse(new String[] {"--min-backoff", "5s", "--max-backoff", "1s", "App"}))
        .hasMessageContaining("shorter than --min-backoff");
    assertThatThrownBy(() -> Supervisor.parse(new String[] {"--min-backoff", "1s"}))
        .hasMessageContaining("no main class given");
  }
}
