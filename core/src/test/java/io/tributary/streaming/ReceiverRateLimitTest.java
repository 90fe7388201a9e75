package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.StorageLevel;
import io.tributary.internal.serializer.Serializer;
import io.tributary.streaming.StreamingTests.RecordingListener;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code streaming.receiver.maxRate} holds on every store path, with per-stream overrides. */
class ReceiverRateLimitTest {
  private static final int WINDOW_BATCHES = 10; // 1 s batches: a 10 s window
  private static final int WARM_UP_BATCHES = 2;
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  enum Mode { SINGLE, LIST, BYTES }

  /** Stores 0, 1, 2, ... as fast as it can: one by one, in lists, or as serialized blocks. */
  static final class FloodReceiver extends Receiver<Integer> {
    private final Mode mode;
    private final int blockSize;
    private final transient Serializer serializer;

    FloodReceiver(Mode mode, int blockSize, Serializer serializer) {
      super(StorageLevel.MEMORY_ONLY);
      this.mode = mode;
      this.blockSize = blockSize;
      this.serializer = serializer;
    }

    @Override
    public void onStart() {
      Thread t = new Thread(this::flood, "flood-" + mode);
      t.setDaemon(true);
      t.start();
    }

    private void flood() {
      try {
        int next = 0;
        while (!isStopped()) {
          switch (mode) {
            case SINGLE -> store(next++);
            case LIST, BYTES -> {
              List<Integer> block = new ArrayList<>(blockSize);
              for (int i = 0; i < blockSize; i++) {
                block.add(next++);
              }
              if (mode == Mode.LIST) {
                store(block);
              } else {
                store(ByteBuffer.wrap(serializer.serialize(block.toArray())));
              }
            }
          }
        }
      } catch (IllegalStateException stopped) {
        // the context stopped while this thread was storing
      }
    }

    @Override
    public void onStop() {}
  }

  /** A server that floods its first client with lines of text until the test ends. */
  private static ServerSocket floodingLineServer() throws IOException {
    ServerSocket server = StreamingTests.localServer();
    Thread t = new Thread(() -> {
      try (server; Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
        byte[] lines = "a line of text\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        while (true) {
          out.write(lines);
        }
      } catch (IOException closed) {
        // the test ended
      }
    }, "flooding-line-server");
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void maxRateHoldsWithinFivePercentOverTenSecondsOnEveryStorePathWithPerStreamOverrides() throws IOException {
    StreamingConf conf = conf("local[2]")
        .set("spark.streaming.receiver.maxRate", "2000")
        .set("streaming.receiver.maxRate.listed", "1000") // by stream name
        .set("streaming.receiver.maxRate.2", "500")        // by input id
        .set("streaming.receiver.maxRate.3", "1500");
    ssc = new StreamingContext(conf, Durations.seconds(1));
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    Serializer serializer = ssc.runtime().serializer();
    ReceiverInputDStream<Integer> single = ssc.receiverStream(new FloodReceiver(Mode.SINGLE, 1, serializer));
    ReceiverInputDStream<Integer> listed = ssc.receiverStream(new FloodReceiver(Mode.LIST, 50, serializer));
    listed.name("listed");
    ReceiverInputDStream<Integer> bytes = ssc.receiverStream(new FloodReceiver(Mode.BYTES, 25, serializer));
    assertThat(bytes.inputId()).isEqualTo(2);
    ServerSocket server = floodingLineServer();
    ReceiverInputDStream<String> text = ssc.socketTextStream("127.0.0.1", server.getLocalPort());
    ssc.union(single, listed, bytes).foreachRDD(rdd -> rdd.count());
    text.foreachRDD(rdd -> rdd.count());
    ssc.start();
    assertThat(single.rateLimit()).isEqualTo(2000);
    assertThat(listed.rateLimit()).isEqualTo(1000);
    assertThat(bytes.rateLimit()).isEqualTo(500);

    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(40))
        .pollInterval(java.time.Duration.ofMillis(100))
        .until(() -> listener.completedBatches().size() >= WARM_UP_BATCHES + WINDOW_BATCHES);
    List<BatchInfo> window = listener.completedBatches().stream()
        .sorted(Comparator.comparing(b -> b.batchTime().milliseconds()))
        .skip(WARM_UP_BATCHES)
        .limit(WINDOW_BATCHES)
        .toList();
    assertThat(window.get(WINDOW_BATCHES - 1).batchTime().minus(window.get(0).batchTime()).milliseconds())
        .isEqualTo((WINDOW_BATCHES - 1) * 1000L);

    double seconds = WINDOW_BATCHES;
    double singleRate = records(window, single.inputId()) / seconds;
    double listedRate = records(window, listed.inputId()) / seconds;
    double bytesRate = records(window, bytes.inputId()) / seconds;
    double textRate = records(window, text.inputId()) / seconds;
    server.close();
    System.out.printf("Measured over %.0f s: store(record) %.1f/s (max 2000), store(List) %.1f/s (max 1000), "
        + "store(ByteBuffer) %.1f/s (max 500), socket text %.1f/s (max 1500)%n",
        seconds, singleRate, listedRate, bytesRate, textRate);
    assertThat(singleRate).as("store(record) at maxRate 2000").isCloseTo(2000, within(100.0));
    assertThat(listedRate).as("store(List) at maxRate.listed 1000").isCloseTo(1000, within(50.0));
    assertThat(bytesRate).as("store(ByteBuffer) at maxRate.2 500").isCloseTo(500, within(25.0));
    assertThat(textRate).as("socket text lines at maxRate.3 1500").isCloseTo(1500, within(75.0));
  }

  private static long records(List<BatchInfo> batches, int streamId) {
    return batches.stream()
        .map(b -> b.streamIdToInputInfo().get(streamId))
        .mapToLong(info -> info == null ? 0 : info.numRecords())
        .sum();
  }

  @Test
  void aRateThatIsNotANonNegativeNumberFailsTheStartNamingTheKey() {
    ssc = new StreamingContext(conf("local[2]").set("streaming.receiver.maxRate.0", "-5"), Durations.seconds(1));
    ssc.receiverStream(new FloodReceiver(Mode.SINGLE, 1, null)).foreachRDD(rdd -> rdd.count());
    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'streaming.receiver.maxRate.0'")
        .hasMessageContaining("≥ 0 (0 = unlimited), got -5");
    ssc = null;

    StreamingContext other =
        new StreamingContext(conf("local[2]").set("streaming.receiver.maxRate", "fast"), Durations.seconds(1));
    try {
      other.receiverStream(new FloodReceiver(Mode.SINGLE, 1, null)).foreachRDD(rdd -> rdd.count());
      assertThatThrownBy(other::start)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'streaming.receiver.maxRate' must be a number, got 'fast'");
    } finally {
      stopQuietly(other);
    }
  }
}
