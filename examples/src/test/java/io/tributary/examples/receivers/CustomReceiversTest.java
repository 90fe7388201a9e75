package io.tributary.examples.receivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.testing.ReceiverHarness;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two receivers of docs/custom-receivers.md, on the public receiver harness and in a context. */
class CustomReceiversTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path spool;
  @TempDir Path staging;

  /** Writes a file elsewhere and moves it into the spool, as a producer of the spool must. */
  private void drop(String name, List<String> lines) throws Exception {
    Path written = Files.write(staging.resolve(name), lines, StandardCharsets.UTF_8);
    Files.move(written, spool.resolve(name));
  }

  private static List<String> lines(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void theSpoolReceiverStoresEachFileAsOneBlockAndAcknowledgesItAfterwards() throws Exception {
    try (ReceiverHarness<String> harness = ReceiverHarness.start(new SpoolDirectoryReceiver(spool, 10))) {
      drop("a.txt", lines("a", 3));
      drop("b.txt", lines("b", 2));

      assertThat(harness.awaitRecords(5, WAIT)).containsExactly("a0", "a1", "a2", "b0", "b1");
      assertThat(harness.blocks()).extracting(ReceiverHarness.StoredBlock::records)
          .containsExactly(lines("a", 3), lines("b", 2));
      await().atMost(WAIT).until(() -> Files.exists(spool.resolve("done/b.txt")));
      assertThat(spool.resolve("a.txt")).doesNotExist();
    }
  }

  @Test
  void aFailedStoreAcknowledgesNothingAndTheFileIsStoredOnceAfterTheRestart() throws Exception {
    try (ReceiverHarness<String> harness = ReceiverHarness.start(new SpoolDirectoryReceiver(spool, 10))) {
      harness.failNextStores(1, new IllegalStateException("the write-ahead log cannot be written"));
      drop("a.txt", lines("a", 4));

      assertThat(harness.awaitRestarts(1, WAIT).get(0)).contains("it stays in place");
      assertThat(harness.awaitRecords(4, WAIT)).containsExactlyElementsOf(lines("a", 4));
      await().atMost(WAIT).until(() -> Files.exists(spool.resolve("done/a.txt")));
      assertThat(harness.records()).as("the failed store stored nothing").hasSize(4);
    }
  }

  @Test
  void aFileThatIsNotTextIsSetAsideAndReportedAndTheNextOneIsRead() throws Exception {
    try (ReceiverHarness<String> harness = ReceiverHarness.start(new SpoolDirectoryReceiver(spool, 10))) {
      Path bad = Files.write(staging.resolve("a.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
      Files.move(bad, spool.resolve("a.bin"));
      drop("b.txt", lines("b", 2));

      assertThat(harness.awaitRecords(2, WAIT)).containsExactly("b0", "b1");
      assertThat(harness.errors()).singleElement().asString().contains("a.bin is not UTF-8");
      assertThat(spool.resolve("bad/a.bin")).exists();
    }
  }

  @Test
  void aMissingSpoolDirectoryFailsAtOnceNamingIt() {
    Path missing = spool.resolve("nope");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SpoolDirectoryReceiver(missing, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void theUdpReceiverStoresEveryDatagramItGets() throws Exception {
    UdpLineReceiver receiver = new UdpLineReceiver("127.0.0.1", 0);
    try (ReceiverHarness<String> harness = ReceiverHarness.start(receiver);
        DatagramSocket sender = new DatagramSocket()) {
      List<String> sent = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        byte[] text = ("metric " + i).getBytes(StandardCharsets.UTF_8);
        sender.send(new DatagramPacket(text, text.length, InetAddress.getLoopbackAddress(), receiver.boundPort()));
        sent.add("metric " + i);
      }
      // loopback UDP does not drop 20 small datagrams; a lossy network would (the receiver is unreliable)
      assertThat(harness.awaitRecords(20, WAIT)).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(harness.blocks()).as("buffered, not reliable, stores").isEmpty();
    }
  }

  @Test
  void theSpoolReceiverFeedsAStreamWithTheLogOnInARunningContext(@TempDir Path checkpoint) throws Exception {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("spool")
        .set("streaming.receiver.writeAheadLog.enable", "true");
    StreamingContext ssc = new StreamingContext(conf, Durations.milliseconds(200));
    try {
      ssc.checkpoint(checkpoint.toString());
      AtomicLong counted = new AtomicLong();
      ssc.receiverStream(new SpoolDirectoryReceiver(spool, 10)).foreachRDD(rdd -> counted.addAndGet(rdd.count()));
      ssc.start();
      for (int f = 0; f < 5; f++) {
        drop("f" + f + ".txt", lines("f" + f + "-", 100));
      }
      await().atMost(WAIT).until(() -> counted.get() == 500);
      await().atMost(WAIT).until(() -> Files.list(spool.resolve("done")).count() == 5);
    } finally {
      ssc.stop();
    }
  }
}
