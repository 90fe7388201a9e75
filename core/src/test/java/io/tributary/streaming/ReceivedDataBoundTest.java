package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.internal.serializer.KryoSerializer;
import io.tributary.streaming.internal.block.BlockStore;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.receiver.ReliableStore;
import io.tributary.streaming.testing.ManualClock;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * streaming.receiver.maxBufferedBytes: every store path waits once the received data held reaches
 * the bound, resumes when processed batches free their blocks, and a stop releases it.
 */
class ReceivedDataBoundTest {
  private static final long BOUND = 256 * 1024;
  private static final long BASE = 1_000_000_000_000L;

  enum Path { SINGLE, LIST, ITERATOR, BYTES, RELIABLE, TEXT }

  /** Stores 100-byte strings as fast as it can by one path; counts the records whose store returned. */
  static final class Flood extends Receiver<String> {
    static final AtomicLong STORED = new AtomicLong();
    static volatile Thread thread;
    private final Path path;

    Flood(Path path) {
      super(StorageLevel.MEMORY_ONLY);
      this.path = path;
    }

    @Override
    public void onStart() {
      thread = new Thread(this::flood, "flood");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void onStop() {}

    private void flood() {
      String record = "x".repeat(100);
      ReliableStore<String, Long> reliable =
          new ReliableStore<>(this, 100, Duration.ofMillis(5), tags -> STORED.addAndGet(tags.size()));
      KryoSerializer kryo = new KryoSerializer();
      try {
        for (long i = 0; !isStopped(); i++) {
          switch (path) {
            case SINGLE -> { store(record); STORED.incrementAndGet(); }
            case LIST -> { store(new ArrayList<>(java.util.Collections.nCopies(100, record))); STORED.addAndGet(100); }
            case ITERATOR -> { store(java.util.Collections.nCopies(100, record).iterator()); STORED.addAndGet(100); }
            case BYTES -> {
              Object[] block = new Object[100];
              Arrays.fill(block, record);
              store(ByteBuffer.wrap(kryo.serialize(block)));
              STORED.addAndGet(100);
            }
            case RELIABLE -> reliable.add(record, i);
            default -> throw new IllegalStateException();
          }
        }
      } catch (IllegalStateException stopped) {
        // the receiver stopped while storing
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void everyStorePathWaitsAtTheBoundAndResumesWhenBatchesComplete(Path path) throws Exception {
    Flood.STORED.set(0);
    Flood.thread = null;
    ManualClock clock = new ManualClock(BASE);
    StreamingConf conf = new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.maxBufferedBytes", String.valueOf(BOUND))
        .set("streaming.blockInterval", "10ms");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1), clock);
    AtomicLong processed = new AtomicLong();
    try (ServerSocket server = new ServerSocket(0)) {
      DStream<String> stream = path == Path.TEXT
          ? ssc.socketTextStream("localhost", server.getLocalPort())
          : ssc.receiverStream(new Flood(path));
      stream.foreachRDD(rdd -> processed.addAndGet(rdd.count()));
      ssc.start();
      Thread writer = null;
      if (path == Path.TEXT) {
        Socket client = server.accept();
        writer = new Thread(() -> {
          byte[] lines = ("x".repeat(99) + "\n").repeat(1000).getBytes(StandardCharsets.UTF_8);
          try (OutputStream out = client.getOutputStream()) {
            while (true) {
              out.write(lines);
            }
          } catch (Exception closed) {
            // the test ended
          }
        }, "text-writer");
        writer.setDaemon(true);
        writer.start();
      }
      BlockStore store = ssc.runtime().blockStore();
      if (path != Path.TEXT) {
        await().atMost(Duration.ofSeconds(20)).until(() -> Flood.thread != null);
      }
      Thread storing = Flood.thread;
      // the storing thread waits for room (text: the socket receiver's thread; the writer then stalls)
      await().atMost(Duration.ofSeconds(20)).until(() -> path == Path.TEXT ? stackHasReserve() : stackHasReserve(storing));
      long blocked = stored(path, ssc, processed);
      assertThat(store.bufferedBytes()).isLessThanOrEqualTo(BOUND + 64 * 1024);
      // batches complete; once a batch is no longer remembered its blocks are freed and storing goes on
      for (int batch = 1; batch <= 3; batch++) {
        clock.setTime(BASE + batch * 1000L);
        assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(BASE + batch * 1000L), 30_000)).isTrue();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> stored(path, ssc, processed) > blocked);
      assertThat(store.bufferedBytes()).isLessThanOrEqualTo(BOUND + 64 * 1024);
      // a receiver waiting for room does not hold up the stop
      await().atMost(Duration.ofSeconds(20)).until(() -> path == Path.TEXT ? stackHasReserve() : stackHasReserve(storing));
      long start = System.nanoTime();
      ssc.stop();
      assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(15_000);
    } finally {
      ssc.stop();
    }
  }

  /** Records whose store returned (text: lines processed plus lines held, 100 bytes each). */
  private static long stored(Path path, StreamingContext ssc, AtomicLong processed) {
    return path == Path.TEXT ? processed.get() + ssc.runtime().blockStore().bufferedBytes() / 100 : Flood.STORED.get();
  }

  private static boolean stackHasReserve(Thread t) {
    return Arrays.stream(t.getStackTrace()).anyMatch(e -> e.getMethodName().equals("reserve"));
  }

  private static boolean stackHasReserve() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("socket-receiver-"))
        .anyMatch(ReceivedDataBoundTest::stackHasReserve);
  }

  @Test
  void aBlockIntervalThatIsNotPositiveIsRejectedNamingTheKey() {
    for (String interval : List.of("0ms", "-5ms")) {
      StreamingConf conf = new StreamingConf().set("streaming.blockInterval", interval);
      assertThatThrownBy(() -> new StreamingContext(conf, Durations.seconds(1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("streaming.blockInterval")
          .hasMessageContaining(interval);
    }
  }

  @Test
  void theBoundIsASizeSettingAndMustBePositive() {
    StreamingConf conf = new StreamingConf().set("streaming.receiver.maxBufferedBytes", "64m");
    assertThat(BlockStore.maxBytesOf(conf)).isEqualTo(64L << 20);
    assertThat(BlockStore.maxBytesOf(new StreamingConf())).isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    assertThatThrownBy(() -> BlockStore.maxBytesOf(new StreamingConf().set("streaming.receiver.maxBufferedBytes", "0")))
        .hasMessageContaining("streaming.receiver.maxBufferedBytes");
  }
}
