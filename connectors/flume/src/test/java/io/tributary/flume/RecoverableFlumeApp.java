package io.tributary.flume;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The application {@link FlumeKillAndRecoverTest} runs in a child JVM and kills: a Flume stream
 * (push or pull) with the write-ahead log on, recoverable with getOrCreate. Every batch writes the
 * bodies of its events to {@code <output>/batch-<batch ms>} (a batch run again replaces it). Arguments: push|pull, checkpoint directory, port (served, or the sink's), output
 * directory.
 */
public final class RecoverableFlumeApp {
  private RecoverableFlumeApp() {}

  public static void main(String[] args) throws Exception {
    boolean push = args[0].equals("push");
    String checkpoint = args[1];
    int port = Integer.parseInt(args[2]);
    Path output = Path.of(args[3]);
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]")
          .setAppName("recoverable-flume")
          .set("streaming.receiver.writeAheadLog.enable", "true")
          .set("streaming.receiverRestartDelay", "200ms")
          .set("streaming.flume.reconnectDelay", "200ms"), Durations.milliseconds(300));
      created.checkpoint(checkpoint);
      ReceiverInputDStream<FlumeEvent> events = push
          ? FlumeUtils.createStream(created, "127.0.0.1", port, StorageLevel.MEMORY_AND_DISK_SER)
          : FlumeUtils.createPollingStream(created, List.of(new InetSocketAddress("127.0.0.1", port)),
              StorageLevel.MEMORY_AND_DISK_SER, 100, 2);
      // one file per batch time, replaced whole (never seen half written) when a batch runs again
      events.map(FlumeEvent::bodyAsString).foreachRDD((rdd, time) -> {
        Path file = output.resolve("batch-" + time.milliseconds());
        Path part = Files.write(output.resolve(".part-" + time.milliseconds()), rdd.collect(), StandardCharsets.UTF_8);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      });
      return created;
    });
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }
}
