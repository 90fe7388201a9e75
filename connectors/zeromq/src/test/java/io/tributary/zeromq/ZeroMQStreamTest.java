package io.tributary.zeromq;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ZeroMQ receiver against real JeroMQ publishers on loopback. */
class ZeroMQStreamTest {
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final List<String> errors = new CopyOnWriteArrayList<>();
  private final AtomicInteger starts = new AtomicInteger();
  private StreamingTestDriver driver;

  @AfterEach
  void tearDown() throws Exception {
    if (driver != null) {
      driver.close();
    }
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private StreamingTestDriver driver(String... settings) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("zeromq-test")
        .set("streaming.blockInterval", "50ms").set("streaming.receiverRestartDelay", "200ms")
        .set("streaming.zeromq.reconnectIntervalMax", "500ms");
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    driver = new StreamingTestDriver(conf, Durations.milliseconds(200));
    driver.context().addStreamingListener(new StreamingListener() {
      @Override
      public void onReceiverError(StreamingListenerReceiverError e) {
        errors.add(e.receiverInfo().lastErrorMessage());
      }

      @Override
      public void onReceiverStarted(StreamingListenerReceiverStarted e) {
        starts.incrementAndGet();
      }
    });
    return driver;
  }

  private TestPublisher publisher(Supplier<TestPublisher> make) {
    TestPublisher p = make.get();
    toClose.add(p);
    return p;
  }

  private <T> void awaitRecords(TestOutput<T> out, int count) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
      driver.advance();
      return out.all().size() >= count;
    });
  }

  private static List<byte[]> topics(String... topics) {
    List<byte[]> list = new ArrayList<>();
    for (String t : topics) {
      list.add(t.getBytes(UTF_8));
    }
    return list;
  }

  @Test
  void textStreamDeliversOnlySubscribedTopicsWithoutTheTopicFrame() {
    TestPublisher pub = publisher(TestPublisher::bindRandomPort);
    driver("streaming.zeromq.maxMessageBytes", "1000000");
    TestOutput<String> out = driver.collect(
        ZeroMQUtils.createTextStream(driver.context(), pub.url(), true, topics("foo", "baz"), StorageLevel.MEMORY_ONLY));
    driver.start();
    pub.awaitSubscription("foo");
    pub.awaitSubscription("baz");

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      pub.send("foo", "f-" + i);
      pub.send("bar", "b-" + i);              // not subscribed
      pub.send("bazooka", "z-" + i);          // prefix match on "baz"
      pub.send("fo", "x-" + i);               // shorter than the prefix: no match
      expected.add("f-" + i);
      expected.add("z-" + i);
    }
    pub.send("foo", "last");
    expected.add("last");

    awaitRecords(out, expected.size());
    driver.advance(2);
    assertThat(out.all()).containsExactlyElementsOf(expected);
  }

  @Test
  void multipartMessagesReachTheConverterWholeAndInOrder() {
    TestPublisher pub = publisher(TestPublisher::bindRandomPort);
    driver();
    ZeroMQInputDStream<String> stream = ZeroMQUtils.createStream(driver.context(), pub.url(), true, topics("t"),
        frames -> {
          StringBuilder joined = new StringBuilder().append(frames.length);
          for (byte[] f : frames) {
            joined.append('|').append(new String(f, UTF_8));
          }
          return List.of(joined.toString()).iterator();
        }, StorageLevel.MEMORY_ONLY);
    TestOutput<String> out = driver.collect(stream);
    driver.start();
    pub.awaitSubscription("t");

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 5000; i++) {
      int n = 1 + i % 5;
      String[] frames = new String[n];
      frames[0] = "t";
      StringBuilder e = new StringBuilder().append(n).append("|t");
      for (int f = 1; f < n; f++) {
        frames[f] = "m" + i + "-f" + f;
        e.append('|').append(frames[f]);
      }
      pub.send(frames);
      expected.add(e.toString());
    }
    pub.send(new byte[][] {"t".getBytes(UTF_8), new byte[0], new byte[] {0, (byte) 0xff}});

    awaitRecords(out, expected.size() + 1);
    assertThat(out.all().subList(0, expected.size())).containsExactlyElementsOf(expected);
    assertThat(out.all().get(expected.size())).isEqualTo("3|t||" + new String(new byte[] {0, (byte) 0xff}, UTF_8));
    assertThat(stream.stats().messagesReceived()).isEqualTo(5001);
    assertThat(stream.stats().recordsStored()).isEqualTo(5001);
    assertThat(stream.stats().badMessages()).isZero();
  }

  @Test
  void aPublisherRestartMidStreamIsFollowedWithoutRestartingTheReceiver() {
    TestPublisher first = publisher(TestPublisher::bindRandomPort);
    int port = first.port();
    driver();
    ZeroMQInputDStream<String> stream =
        ZeroMQUtils.createTextStream(driver.context(), first.url(), true, topics("n"), StorageLevel.MEMORY_ONLY);
    TestOutput<String> out = driver.collect(stream);
    driver.start();
    first.awaitSubscription("n");
    for (int i = 0; i < 500; i++) {
      first.send("n", "a" + i);
    }
    awaitRecords(out, 500);

    first.close();                            // the publisher goes away...
    await().atMost(Duration.ofSeconds(10)).until(() -> stream.stats().disconnects() >= 1);
    TestPublisher second = publisher(() -> TestPublisher.bind(port));   // ...and comes back on its port
    second.awaitSubscription("n");            // the receiver reconnected and subscribed again by itself
    for (int i = 0; i < 500; i++) {
      second.send("n", "b" + i);
    }
    awaitRecords(out, 1000);

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      expected.add("a" + i);
    }
    for (int i = 0; i < 500; i++) {
      expected.add("b" + i);
    }
    assertThat(out.all()).containsExactlyElementsOf(expected);
    assertThat(stream.stats().connects()).isGreaterThanOrEqualTo(2);
    assertThat(starts.get()).as("receiver starts").isEqualTo(1);
    assertThat(errors).isEmpty();
  }

  @Test
  void converterExceptionsAreCountedAndReportedWhileTheStreamGoesOn() {
    TestPublisher pub = publisher(TestPublisher::bindRandomPort);
    driver();
    ZeroMQInputDStream<Integer> stream = ZeroMQUtils.createStream(driver.context(), pub.url(), true, topics("num"),
        frames -> {
          String text = new String(frames[1], UTF_8);
          if (text.equals("null")) {
            return null;
          }
          return List.of(Integer.parseInt(text)).iterator();   // throws on "boom"
        }, StorageLevel.MEMORY_ONLY);
    TestOutput<Integer> out = driver.collect(stream);
    driver.start();
    pub.awaitSubscription("num");
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      pub.send("num", String.valueOf(i));
      expected.add(i);
      if (i % 20 == 0) {
        pub.send("num", "boom");
      }
    }
    pub.send("num", "null");
    pub.send("num", "1000");
    expected.add(1000);

    awaitRecords(out, expected.size());
    assertThat(out.all()).containsExactlyElementsOf(expected);
    ZeroMQStats stats = stream.stats();
    assertThat(stats.failedConversions()).isEqualTo(11);
    assertThat(stats.messagesReceived()).isEqualTo(212);
    assertThat(stats.recordsStored()).isEqualTo(201);
    assertThat(errors).isNotEmpty();
    assertThat(errors.get(0))
        .contains("message converter failed")
        .contains("NumberFormatException")
        .contains("the stream goes on");
    assertThat(starts.get()).as("the receiver was never restarted").isEqualTo(1);
  }

  @Test
  void undecodableTextAndOversizedMessagesAreDroppedCountedAndReported() {
    TestPublisher pub = publisher(TestPublisher::bindRandomPort);
    driver("streaming.zeromq.maxMessageBytes", "1024", "streaming.zeromq.errorReportInterval", "0ms");
    ZeroMQInputDStream<String> stream =
        ZeroMQUtils.createTextStream(driver.context(), pub.url(), true, topics("t"), StorageLevel.MEMORY_ONLY);
    TestOutput<String> out = driver.collect(stream);
    driver.start();
    pub.awaitSubscription("t");

    String frame600 = "x".repeat(600);
    pub.send("t", "before");
    pub.send(new byte[][] {"t".getBytes(UTF_8), {(byte) 0xc3, (byte) 0x28}});  // not UTF-8
    pub.send("t", frame600, frame600);                                         // 1201 bytes together
    pub.send("t", "between");
    awaitRecords(out, 2);
    assertThat(out.all()).containsExactly("before", "between");
    assertThat(stream.stats().failedConversions()).isEqualTo(1);
    assertThat(stream.stats().oversizedMessages()).isEqualTo(1);
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("not valid UTF-8"));
    assertThat(errors).anySatisfy(e -> assertThat(e).contains("1201 bytes").contains("streaming.zeromq.maxMessageBytes"));

    // one frame above the limit: dropped the same way
    pub.send("t", "y".repeat(5000));
    pub.send("t", "after");
    awaitRecords(out, 3);
    assertThat(out.all()).containsExactly("before", "between", "after");
    assertThat(stream.stats().oversizedMessages()).isEqualTo(2);
    assertThat(starts.get()).isEqualTo(1);
  }

  @Test
  void bindModeReceivesFromPublishersThatConnect() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    driver();
    ZeroMQInputDStream<String> stream = ZeroMQUtils.createTextStream(
        driver.context(), "tcp://127.0.0.1:" + port, false, topics(""), StorageLevel.MEMORY_ONLY);
    TestOutput<String> out = driver.collect(stream);
    driver.start();
    int p = port;
    TestPublisher a = publisher(() -> TestPublisher.connect(p));
    TestPublisher b = publisher(() -> TestPublisher.connect(p));
    a.awaitSubscription("");
    b.awaitSubscription("");
    for (int i = 0; i < 100; i++) {
      a.send("a", "a" + i);
      b.send("b", "b" + i);
    }
    awaitRecords(out, 200);
    assertThat(out.all()).hasSize(200);
    assertThat(out.all().stream().filter(s -> s.startsWith("a"))).hasSize(100);
    assertThat(stream.stats().connects()).isGreaterThanOrEqualTo(2);   // more if a handshake got stuck (JeroMQ)
  }

  @Test
  void aBindThatFailsIsReportedAndRetriedUntilThePortIsFree() throws Exception {
    ServerSocket squatter = new ServerSocket(0);
    int port = squatter.getLocalPort();
    driver();
    TestOutput<String> out = driver.collect(ZeroMQUtils.createTextStream(
        driver.context(), "tcp://127.0.0.1:" + port, false, topics("x"), StorageLevel.MEMORY_ONLY));
    driver.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !errors.isEmpty());
    assertThat(errors.get(0)).contains("tcp://127.0.0.1:" + port).contains("restarting");
    squatter.close();
    TestPublisher pub = publisher(() -> TestPublisher.connect(port));
    pub.awaitSubscription("x");
    pub.send("x", "finally");
    awaitRecords(out, 1);
    assertThat(out.all()).containsExactly("finally");
    assertThat(starts.get()).isGreaterThan(1);
  }

  @Test
  void stoppingTheContextEndsTheReceivingThreadAndTheZeroMQContextPromptly() {
    TestPublisher pub = publisher(TestPublisher::bindRandomPort);
    driver();
    TestOutput<String> out = driver.collect(
        ZeroMQUtils.createTextStream(driver.context(), pub.url(), true, topics("s"), StorageLevel.MEMORY_ONLY));
    driver.start();
    pub.awaitSubscription("s");
    pub.send("s", "one");
    awaitRecords(out, 1);
    pub.close();
    // left: the receiving thread and its own ZeroMQ context (a reaper and an I/O thread)
    await().atMost(Duration.ofSeconds(5)).until(() -> zeroMQThreads().size() == 3);

    long start = System.nanoTime();
    driver.close();
    driver = null;
    long stopMs = (System.nanoTime() - start) / 1_000_000;
    await().atMost(Duration.ofSeconds(2)).until(() -> zeroMQThreads().isEmpty());
    assertThat(stopMs).as("stop took %d ms", stopMs).isLessThan(3000);
  }

  /** Threads of JeroMQ contexts (reaper, I/O) and of ZeroMQ receivers. */
  private static List<String> zeroMQThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      String n = t.getName();
      if (t.isAlive() && (n.startsWith("zeromq-receiver-") || n.startsWith("reaper-") || n.startsWith("iothread-"))) {
        names.add(n);
      }
    }
    return names;
  }
}
