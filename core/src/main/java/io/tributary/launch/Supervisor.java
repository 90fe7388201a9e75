package io.tributary.launch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a streaming application running without a cluster manager: runs its main class in a child
 * JVM and starts it again when it dies (a crash, {@code kill -9}, an {@code OutOfMemoryError}), with
 * a growing pause between quick failures. The application recovers its state itself: it must build
 * its context with {@code StreamingContext.getOrCreate(checkpoint, factory)}, so each restart goes on
 * from the last checkpoint (and, with the write-ahead log, from every block received).
 *
 * <pre>
 * java -cp app.jar io.tributary.launch.Supervisor [options] com.example.MyApp [app args...]
 *
 *   --jvm-option OPT     a JVM option for the application (repeat it: --jvm-option -Xmx2g)
 *   --min-backoff D      pause before the first restart after a quick failure (default 1s)
 *   --max-backoff D      longest pause; the pause doubles after each quick failure (default 1m)
 *   --stable-after D     a run that lasted this long was not a quick failure (default 1m)
 *   --max-failures N     give up after N quick failures in a row (default 10; 0 = never give up)
 * </pre>
 *
 * Durations are written as in configuration ({@code 500ms}, {@code 10s}, {@code 2min}, {@code 1h}).
 * The child inherits the supervisor's
 * standard streams, working directory, environment and class path. An exit with status 0 ends the
 * supervisor with 0 (the application finished); any other end is a failure and is restarted. When
 * the supervisor itself is stopped (SIGTERM, Ctrl-C), it stops the child the same way (its shutdown
 * hooks run, e.g. a graceful stop) and waits for it, up to 60 s, before killing it. Giving up exits
 * with the child's last status.
 */
public final class Supervisor {
  private final List<String> command;
  private final Duration minBackoff;
  private final Duration maxBackoff;
  private final Duration stableAfter;
  private final int maxFailures;
  private volatile Process child;
  private volatile boolean stopping;

  private Supervisor(List<String> command, Duration minBackoff, Duration maxBackoff, Duration stableAfter, int maxFailures) {
    this.command = command;
    this.minBackoff = minBackoff;
    this.maxBackoff = maxBackoff;
    this.stableAfter = stableAfter;
    this.maxFailures = maxFailures;
  }

  /** Parses the options above, supervises the application, and exits with its final status. */
  public static void main(String[] args) throws Exception {
    Supervisor supervisor;
    try {
      supervisor = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("tributary supervisor: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(supervisor.run());
  }

  static Supervisor parse(String[] args) {
    List<String> jvmOptions = new ArrayList<>();
    Duration minBackoff = Duration.ofSeconds(1);
    Duration maxBackoff = Duration.ofMinutes(1);
    Duration stableAfter = Duration.ofMinutes(1);
    int maxFailures = 10;
    int i = 0;
    for (; i < args.length && args[i].startsWith("--"); i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--jvm-option" -> jvmOptions.add(value);
        case "--min-backoff" -> minBackoff = duration(option, value);
        case "--max-backoff" -> maxBackoff = duration(option, value);
        case "--stable-after" -> stableAfter = duration(option, value);
        case "--max-failures" -> maxFailures = count(option, value);
        default -> throw new IllegalArgumentException("unknown option " + option + "; the options are "
            + "--jvm-option, --min-backoff, --max-backoff, --stable-after, --max-failures, then the main class");
      }
    }
    if (i >= args.length) {
      throw new IllegalArgumentException("no main class given: usage: Supervisor [options] <main class> [args...]");
    }
    if (maxBackoff.compareTo(minBackoff) < 0) {
      throw new IllegalArgumentException("--max-backoff " + maxBackoff + " is shorter than --min-backoff " + minBackoff);
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    for (; i < args.length; i++) {
      command.add(args[i]);
    }
    return new Supervisor(List.copyOf(command), minBackoff, maxBackoff, stableAfter, maxFailures);
  }

  /** Runs the child until it exits with 0, the supervisor is stopped, or it failed too often in a row. */
  int run() throws IOException, InterruptedException {
    Runtime.getRuntime().addShutdownHook(new Thread(this::stopChild, "tributary-supervisor-stop"));
    int quickFailures = 0;
    Duration backoff = minBackoff;
    for (int run = 1; ; run++) {
      long started = System.nanoTime();
      Process process = new ProcessBuilder(command).inheritIO().start();
      child = process;
      log("run " + run + ": started the application, pid " + process.pid());
      int status = process.waitFor();
      if (stopping) {
        return status;
      }
      Duration lasted = Duration.ofNanos(System.nanoTime() - started);
      if (status == 0) {
        log("the application exited normally after " + human(lasted));
        return 0;
      }
      boolean quick = lasted.compareTo(stableAfter) < 0;
      quickFailures = quick ? quickFailures + 1 : 0;
      if (!quick) {
        backoff = minBackoff;
      }
      if (maxFailures > 0 && quickFailures >= maxFailures) {
        log("the application failed " + quickFailures + " times in a row, each within " + human(stableAfter)
            + " of its start (last exit status " + status + "): giving up. Its own log says why; "
            + "raise --max-failures to keep trying");
        return status;
      }
      log("the application ended with status " + status + " after " + human(lasted) + "; restarting in "
          + human(backoff) + " (it recovers from its checkpoint through getOrCreate)");
      Thread.sleep(backoff.toMillis());
      if (quick) {
        backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
      }
    }
  }

  private void stopChild() {
    stopping = true;
    Process process = child;
    if (process == null || !process.isAlive()) {
      return;
    }
    log("stopping the application, pid " + process.pid());
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        log("the application did not stop within 60 s: killing it");
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void log(String message) {
    System.err.println("[tributary supervisor] " + message);
  }

  /** A duration option, read as configuration durations are ({@link io.tributary.Durations#parse}). */
  private static Duration duration(String option, String value) {
    try {
      return Duration.ofMillis(io.tributary.Durations.parse(value).milliseconds());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be a duration like 500ms, 10s, 2m or 1h, got '" + value
          + "': " + e.getMessage());
    }
  }

  private static int count(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be a whole number ≥ 0, got '" + value + "'");
  }

  private static String human(Duration d) {
    return d.toMillis() < 10_000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
  }
}
