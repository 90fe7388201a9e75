package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.receiver.ReliableStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The application {@link ReliableReceiverCrashTest} runs in a child JVM and kills: a reliable
 * receiver reads numbered records from a server that replays everything not acknowledged, the
 * write-ahead log is on, and every batch writes its records to {@code <output>/batch-<ms>}.
 */
public final class ReliableReceiverApp {
  private ReliableReceiverApp() {}

  /** Reads "seq" lines; acknowledges "ACK seq" (cumulative) once the block holding them is stored. */
  static final class AckingReceiver extends Receiver<Long> {
    private final int port;
    private transient volatile Socket socket;
    private transient Thread thread;

    AckingReceiver(int port) {
      super(StorageLevel.MEMORY_ONLY);
      this.port = port;
    }

    @Override
    public void onStart() {
      thread = new Thread(this::receive, "acking-receiver");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void onStop() {
      try {
        Socket s = socket;
        if (s != null) {
          s.close();
        }
        thread.join(5_000);
      } catch (IOException | InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void receive() {
      try (Socket s = new Socket("127.0.0.1", port)) {
        socket = s;
        OutputStream acks = s.getOutputStream();
        try (ReliableStore<Long, Long> reliable = new ReliableStore<>(this, 100, java.time.Duration.ofMillis(100),
            seqs -> {
              try {
                synchronized (acks) {
                  acks.write(("ACK " + seqs.get(seqs.size() - 1) + "\n").getBytes(StandardCharsets.UTF_8));
                  acks.flush();
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            })) {
          BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
          for (String line; !isStopped() && (line = in.readLine()) != null; ) {
            long seq = Long.parseLong(line);
            reliable.add(seq, seq);
          }
        }
        if (!isStopped()) {
          restart("server closed the connection");
        }
      } catch (IOException | RuntimeException e) {
        if (!isStopped()) {
          restart("connection failed", e);
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    int port = Integer.parseInt(args[1]);
    Path output = Path.of(args[2]);
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingConf conf = new StreamingConf().setMaster("local[2]")
          .set("streaming.receiver.writeAheadLog.enable", "true")
          .set("streaming.receiverRestartDelay", "100ms");
      StreamingContext created = new StreamingContext(conf, Durations.milliseconds(300));
      created.checkpoint(checkpoint);
      created.receiverStream(new AckingReceiver(port)).foreachRDD((rdd, time) -> {
        List<String> lines = new ArrayList<>();
        for (Long seq : rdd.collect()) {
          lines.add(Long.toString(seq));
        }
        Path temp = output.resolve(".batch-" + time.milliseconds());
        Files.write(temp, lines);
        Files.move(temp, output.resolve("batch-" + time.milliseconds()), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      });
      return created;
    });
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }
}
