package io.tributary.flume;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Flume agent ({@code org.apache.flume.node.Application}, properties file) in a child JVM
 * on the test class path: one avro source the test feeds ({@link #sourcePort()}), one channel
 * (memory or file), one sink. {@link #kill()} is SIGKILL; {@link #start()} again restarts it with
 * the same configuration, ports and file channel directories.
 */
final class FlumeAgentProcess implements AutoCloseable {
  private final Path dir;
  private final Map<String, String> properties = new LinkedHashMap<>();
  private final int sourcePort = freePort();
  private final List<Integer> waitFor = new ArrayList<>();
  private Process process;

  private FlumeAgentProcess(Path dir, boolean fileChannel) {
    this.dir = dir;
    put("sources", "r1");
    put("channels", "c1");
    put("sinks", "k1");
    put("sources.r1.type", "avro");
    put("sources.r1.bind", "127.0.0.1");
    put("sources.r1.port", Integer.toString(sourcePort));
    put("sources.r1.channels", "c1");
    if (fileChannel) {
      put("channels.c1.type", "file");
      put("channels.c1.checkpointDir", dir.resolve("checkpoint").toString());
      put("channels.c1.dataDirs", dir.resolve("data").toString());
      put("channels.c1.checkpointInterval", "2000");
    } else {
      put("channels.c1.type", "memory");
      put("channels.c1.capacity", "100000");
      put("channels.c1.keep-alive", "0"); // an empty channel's take returns at once, not after 3 s
    }
    put("channels.c1.transactionCapacity", "1000");
    put("sinks.k1.channel", "c1");
    waitFor.add(sourcePort);
  }

  /** An agent whose avro sink sends to our push receiver at {@code port}. */
  static FlumeAgentProcess avroSink(Path dir, boolean fileChannel, int port, int batchSize) {
    FlumeAgentProcess a = new FlumeAgentProcess(dir, fileChannel);
    a.put("sinks.k1.type", "avro");
    a.put("sinks.k1.hostname", "127.0.0.1");
    a.put("sinks.k1.port", Integer.toString(port));
    a.put("sinks.k1.batch-size", Integer.toString(batchSize));
    a.put("sinks.k1.connect-timeout", "2000");
    a.put("sinks.k1.request-timeout", "5000");
    return a;
  }

  /** An agent running our TributarySink on {@link #sinkPort()} with {@code timeout} seconds. */
  static FlumeAgentProcess tributarySink(Path dir, boolean fileChannel, int timeoutSeconds) {
    FlumeAgentProcess a = new FlumeAgentProcess(dir, fileChannel);
    int port = freePort();
    a.put("sinks.k1.type", "io.tributary.flume.sink.TributarySink");
    a.put("sinks.k1.hostname", "127.0.0.1");
    a.put("sinks.k1.port", Integer.toString(port));
    a.put("sinks.k1.threads", "8");
    a.put("sinks.k1.timeout", Integer.toString(timeoutSeconds));
    a.put("sinks.k1.backoff", "100");
    a.waitFor.add(port);
    return a;
  }

  FlumeAgentProcess put(String key, String value) {
    properties.put("a1." + key, value);
    return this;
  }

  /** Starts without waiting for the sink's port (a sink that is expected to fail). */
  FlumeAgentProcess withoutWaitingForTheSink() {
    waitFor.retainAll(List.of(sourcePort));
    return this;
  }

  int sourcePort() {
    return sourcePort;
  }

  int sinkPort() {
    return Integer.parseInt(properties.get("a1.sinks.k1.port"));
  }

  InetSocketAddress sinkAddress() {
    return new InetSocketAddress("127.0.0.1", sinkPort());
  }

  Path log() {
    return dir.resolve("agent.log");
  }

  /** Starts the agent and waits until its ports accept connections. */
  FlumeAgentProcess start() throws IOException {
    Files.createDirectories(dir);
    Path conf = dir.resolve("agent.properties");
    StringBuilder text = new StringBuilder();
    properties.forEach((k, v) -> text.append(k).append(" = ").append(v).append('\n'));
    Files.writeString(conf, text);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        "org.apache.flume.node.Application", "-n", "a1", "-f", conf.toString(), "--no-reload-conf");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    process = builder.start();
    for (int port : waitFor) {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("the Flume agent exited: " + Files.readString(log()));
        }
        return accepts(port);
      });
    }
    return this;
  }

  /** SIGKILL: no shutdown hook, no channel checkpoint. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** Kills the agent; its log goes on to target/agent-logs (the directory is usually temporary). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill();
    }
    try {
      if (Files.exists(log())) {
        Path keep = Path.of("target", "agent-logs");
        Files.createDirectories(keep);
        Files.copy(log(), keep.resolve(dir.getFileName() + "-" + System.nanoTime() + ".log"));
      }
    } catch (IOException e) {
      // only a diagnostic
    }
  }

  static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
