package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero data loss, proven with SIGKILL: a reliable receiver with the write-ahead log on reads from
 * a server that replays whatever was not acknowledged; the application is killed three times at
 * random points and recovered with getOrCreate. Every record the server saw acknowledged is in the
 * output, and the only duplicates are records the server sent again.
 */
class ReliableReceiverCrashTest {
  private static final long RECORDS = 3_000;

  @TempDir Path checkpoint;
  @TempDir Path output;
  @TempDir Path logs;
  private Process child;
  private ReplayingServer server;

  /** Sends numbered lines from the first unacknowledged one, about 1,500 per second, to one client at a time. */
  static final class ReplayingServer implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final AtomicLong acked = new AtomicLong(-1);
    final AtomicLong resent = new AtomicLong();
    private final Thread thread = new Thread(this::serve, "replaying-server");

    ReplayingServer() throws IOException {
      thread.setDaemon(true);
      thread.start();
    }

    private void serve() {
      while (!socket.isClosed()) {
        try (Socket client = socket.accept()) {
          long from = acked.get() + 1;
          Thread reader = new Thread(() -> readAcks(client));
          reader.setDaemon(true);
          reader.start();
          OutputStream out = client.getOutputStream();
          long seq = from;
          try {
            for (; seq < RECORDS; seq++) {
              out.write((seq + "\n").getBytes(StandardCharsets.UTF_8));
              if (seq % 15 == 0) {
                out.flush();
                Thread.sleep(10);
              }
            }
            out.flush();
            while (acked.get() < RECORDS - 1 && !client.isClosed() && reader.isAlive()) {
              Thread.sleep(20);
            }
          } finally {
            resent.addAndGet(Math.max(0, seq - (acked.get() + 1)));
          }
        } catch (IOException | InterruptedException e) {
          // the client died; wait for the next one
        }
      }
    }

    private void readAcks(Socket client) {
      try {
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
          long seq = Long.parseLong(line.substring(4));
          acked.accumulateAndGet(seq, Math::max);
        }
      } catch (IOException e) {
        // connection gone
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  @AfterEach
  void tearDown() throws Exception {
    if (child != null) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private Process startChild() throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        ReliableReceiverApp.class.getName(), checkpoint.toString(),
        Integer.toString(server.socket.getLocalPort()), output.toString());
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve("child.log").toFile()));
    return builder.start();
  }

  private Map<Long, Integer> outputCounts() throws IOException {
    Map<Long, Integer> counts = new HashMap<>();
    try (Stream<Path> files = Files.list(output)) {
      for (Path file : files.filter(p -> p.getFileName().toString().startsWith("batch-")).toList()) {
        for (String line : Files.readAllLines(file)) {
          counts.merge(Long.parseLong(line), 1, Integer::sum);
        }
      }
    }
    return counts;
  }

  @Test
  void everyAcknowledgedRecordIsProcessedAcrossThreeKills() throws Exception {
    server = new ReplayingServer();
    Random random = new Random(11);
    child = startChild();
    for (int kill = 0; kill < 3; kill++) {
      long before = server.acked.get();
      await().atMost(Duration.ofSeconds(180)).until(() -> server.acked.get() > before + 200);
      Thread.sleep(random.nextInt(400)); // kill at a varying point
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
      child = startChild();
    }

    await().atMost(Duration.ofSeconds(180)).until(() -> server.acked.get() == RECORDS - 1);
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(outputCounts()).hasSize((int) RECORDS));

    Map<Long, Integer> counts = outputCounts();
    for (long seq = 0; seq < RECORDS; seq++) {
      assertThat(counts).as("record %d", seq).containsKey(seq);
    }
    long duplicates = counts.values().stream().mapToLong(c -> c - 1).sum();
    assertThat(duplicates).as("duplicates only come from records the server sent again")
        .isLessThanOrEqualTo(server.resent.get());
  }
}
