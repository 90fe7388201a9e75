package io.tributary.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A single-node KRaft Kafka broker in a child JVM ({@code kafka.Kafka server.properties}, the
 * configuration of {@link EmbeddedKafka}) that can be killed with SIGKILL and started again on the
 * same ports with the same log directory, keeping its data: a broker outage, for tests. The
 * storage is formatted once, when it is made; its output goes to {@code broker.log} in its
 * directory.
 */
final class KafkaBrokerProcess implements AutoCloseable {
  private final Path dir;
  private final Path config;
  private final String bootstrap;
  private final Admin admin;
  private Process process;

  /** Formats a broker's storage under {@code dir} (ports of 127.0.0.1 free now); not started yet. */
  KafkaBrokerProcess(Path dir) throws IOException {
    this.dir = dir;
    int port = EmbeddedKafka.freePort();
    Properties p = EmbeddedKafka.serverProperties(port, EmbeddedKafka.freePort(), dir.resolve("logs"));
    // a restarted node registers once the controller let its killed incarnation's session expire (9 s by default)
    p.put("broker.session.timeout.ms", "2000");
    p.put("broker.heartbeat.interval.ms", "500");
    config = dir.resolve("server.properties");
    EmbeddedKafka.format(p, config);
    bootstrap = "127.0.0.1:" + port;
    Properties a = new Properties();
    a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    a.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
    admin = Admin.create(a);
  }

  /** The broker's {@code host:port}, the same across restarts. */
  String bootstrapServers() {
    return bootstrap;
  }

  /** An admin client of the broker (reconnects after a restart; closed with the broker). */
  Admin admin() {
    return admin;
  }

  /** Starts the broker's JVM and waits (at most 90 s) until it answers; returns how long that took. */
  Duration start() throws Exception {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("The broker on " + bootstrap + " is running already");
    }
    long started = System.nanoTime();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        "kafka.Kafka", config.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()));
    process = builder.start();
    long deadline = System.currentTimeMillis() + 90_000;
    while (true) {
      if (!process.isAlive()) {
        throw new IllegalStateException("The broker on " + bootstrap + " exited with code " + process.exitValue()
            + ": see " + dir.resolve("broker.log"));
      }
      try {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return Duration.ofNanos(System.nanoTime() - started);
      } catch (Exception notYet) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("The broker on " + bootstrap + " did not answer within 90 s: see "
              + dir.resolve("broker.log"), notYet);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Kills the broker's JVM with SIGKILL (no controlled shutdown, open transactions stay open) and waits for its end. */
  void kill() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The broker on " + bootstrap + " did not end within 30 s of SIGKILL");
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    admin.close(Duration.ofSeconds(5));
    kill();
  }
}
