package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.localServer;
import static io.tributary.streaming.StreamingTests.realTimeContext;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StorageLevel;
import io.tributary.streaming.StreamingTests.RecordingListener;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketSourcesTest {
  private static final String HOST = "127.0.0.1";

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private StreamingContext ssc;

  @AfterEach
  void tearDown() throws Exception {
    stopQuietly(ssc);
    for (AutoCloseable r : resources) {
      r.close();
    }
  }

  /**
   * A test server: runs {@code handler} for each accepted connection in turn on a daemon thread,
   * keeping every connection open until the test ends unless the handler closes it.
   */
  private ServerSocket serve(ServerSocket server, ConnectionHandler handler) {
    resources.add(server);
    Thread t = new Thread(() -> {
      int n = 0;
      try {
        while (!server.isClosed()) {
          Socket s = server.accept();
          resources.add(s);
          handler.handle(n++, s);
        }
      } catch (IOException e) {
        // server closed at the end of the test
      }
    }, "test-server");
    t.setDaemon(true);
    t.start();
    return server;
  }

  private interface ConnectionHandler {
    void handle(int connection, Socket socket) throws IOException;
  }

  private static void sendLines(Socket s, List<String> lines) throws IOException {
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(s.getOutputStream(), StandardCharsets.UTF_8));
    for (String line : lines) {
      out.print(line);
      out.print('\n');
    }
    out.flush();
  }

  private static List<String> numbered(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void socketTextStreamCountsEveryLineExactlyOnceOnLocal1() throws Exception {
    List<String> lines = numbered("line-", 10_000);
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        sendLines(s, lines);
      }
    });
    ssc = realTimeContext("local[1]");
    Queue<String> received = new ConcurrentLinkedQueue<>();
    AtomicLong counted = new AtomicLong();
    DStream<String> stream = ssc.socketTextStream(HOST, server.getLocalPort());
    stream.foreachRDD(rdd -> counted.addAndGet(rdd.count()));
    stream.foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(counted.get()).isEqualTo(10_000));
    ssc.stop(true);

    assertThat(counted.get()).isEqualTo(10_000);
    assertThat(received).hasSize(10_000).containsExactlyInAnyOrderElementsOf(lines);
  }

  @Test
  void aLineOverStreamingSocketMaxLineBytesIsDroppedReportedAndTheNextLinesArrive() throws Exception {
    List<String> lines = new ArrayList<>(numbered("before-", 100));
    lines.add("x".repeat(10_000));
    lines.addAll(numbered("after-", 100));
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        sendLines(s, lines);
      }
    });
    StreamingConf conf = new StreamingConf().setMaster("local[2]").set("streaming.socket.maxLineBytes", "1k");
    ssc = new StreamingContext(conf, Durations.milliseconds(100));
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    ssc.socketTextStream(HOST, server.getLocalPort()).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(received).hasSize(200));
    assertThat(received).containsExactlyElementsOf(lines.stream().filter(l -> l.length() < 1024).toList());
    eventually().untilAsserted(() -> assertThat(listener.receiverErrorMessages())
        .anySatisfy(m -> assertThat(m).contains("streaming.socket.maxLineBytes").contains("1 dropped so far")));
  }

  @Test
  void socketTextStreamReconnectsWhenTheServerClosesTheConnection() throws Exception {
    AtomicInteger connections = new AtomicInteger();
    ServerSocket server = serve(localServer(), (n, s) -> {
      connections.incrementAndGet();
      if (n == 0) {
        sendLines(s, numbered("first-", 100));
        s.close();
      } else if (n == 1) {
        sendLines(s, numbered("second-", 100));
      }
    });
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    ssc.socketTextStream(HOST, server.getLocalPort()).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    List<String> expected = new ArrayList<>(numbered("first-", 100));
    expected.addAll(numbered("second-", 100));
    eventually().untilAsserted(() -> assertThat(received).containsExactlyInAnyOrderElementsOf(expected));
    assertThat(connections.get()).isEqualTo(2);
    eventually().untilAsserted(() -> assertThat(listener.receiverErrorMessages())
        .anySatisfy(m -> assertThat(m).contains(HOST + ":" + server.getLocalPort()).contains("closed by the server")));
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void refusedConnectionIsReportedNamingHostAndPortAndDataFlowsOnceTheServerStarts() throws Exception {
    int port;
    try (ServerSocket reserved = localServer()) {
      port = reserved.getLocalPort();
    }
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    Queue<String> received = new ConcurrentLinkedQueue<>();
    ssc.socketTextStream(HOST, port).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(listener.receiverErrorMessages())
        .anySatisfy(m -> assertThat(m).contains(HOST + ":" + port)));
    int batchesBefore = listener.completedBatches().size();
    eventually().untilAsserted(() -> assertThat(listener.completedBatches().size()).isGreaterThan(batchesBefore + 2));
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);

    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    serve(server, (n, s) -> sendLines(s, numbered("late-", 50)));

    eventually().untilAsserted(() -> assertThat(received).containsAll(numbered("late-", 50)));
  }

  /** Reads 4-byte big-endian ints until the end of the stream, lazily. */
  private static Iterable<Integer> ints(InputStream in) {
    DataInputStream data = new DataInputStream(in);
    return () -> new Iterator<>() {
      private Integer next;

      @Override
      public boolean hasNext() {
        if (next == null) {
          try {
            next = data.readInt();
          } catch (EOFException end) {
            return false;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        return true;
      }

      @Override
      public Integer next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Integer n = next;
        next = null;
        return n;
      }
    };
  }

  @Test
  void socketStreamUsesTheCustomConverter() throws Exception {
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        for (int i = 1; i <= 1000; i++) {
          out.writeInt(i);
        }
        out.flush();
      }
    });
    ssc = realTimeContext("local[2]");
    AtomicLong count = new AtomicLong();
    AtomicLong sum = new AtomicLong();
    ssc.socketStream(HOST, server.getLocalPort(), SocketSourcesTest::ints, StorageLevel.MEMORY_ONLY)
        .foreachRDD(rdd -> {
          for (int i : rdd.collect()) {
            count.incrementAndGet();
            sum.addAndGet(i);
          }
        });
    ssc.start();

    eventually().untilAsserted(() -> assertThat(count.get()).isEqualTo(1000));
    assertThat(sum.get()).isEqualTo(1000L * 1001 / 2);
  }

  private static void writeFrame(OutputStream out, byte[] frame) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(frame.length);
    data.write(frame);
    data.flush();
  }

  @Test
  void rawSocketStreamStoresFramedSerializedBlocks() throws Exception {
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    List<byte[]> frames = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (int f = 0; f < 50; f++) {
      Object[] block = new Object[100];
      for (int i = 0; i < 100; i++) {
        block[i] = "r" + f + "-" + i;
        expected.add((String) block[i]);
      }
      frames.add(ssc.runtime().serializer().serialize(block));
    }
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        for (byte[] frame : frames) {
          writeFrame(s.getOutputStream(), frame);
        }
      }
    });
    Queue<String> received = new ConcurrentLinkedQueue<>();
    ssc.<String>rawSocketStream(HOST, server.getLocalPort()).foreachRDD(rdd -> received.addAll(rdd.collect()));
    ssc.start();

    eventually().untilAsserted(() -> assertThat(received).hasSize(5000));
    assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
    eventually().untilAsserted(() ->
        assertThat(listener.completedBatches().stream().mapToLong(b -> b.numRecords()).sum()).isEqualTo(5000));
  }

  @Test
  void rawSocketStreamReportsAFrameThatIsNotSerializedRecords() throws Exception {
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        writeFrame(s.getOutputStream(), "definitely not kryo".getBytes(StandardCharsets.UTF_8));
      }
    });
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ssc.rawSocketStream(HOST, server.getLocalPort()).foreachRDD(rdd -> rdd.count());
    ssc.start();

    eventually().untilAsserted(() -> assertThat(listener.receiverErrorMessages()).anySatisfy(m ->
        assertThat(m).contains(HOST + ":" + server.getLocalPort()).contains("not an array of records")));
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void rawSocketStreamReportsANegativeFrameLength() throws Exception {
    ServerSocket server = serve(localServer(), (n, s) -> {
      if (n == 0) {
        new DataOutputStream(s.getOutputStream()).writeInt(-5);
      }
    });
    ssc = realTimeContext("local[2]");
    RecordingListener listener = new RecordingListener();
    ssc.addStreamingListener(listener);
    ssc.rawSocketStream(HOST, server.getLocalPort()).foreachRDD(rdd -> rdd.count());
    ssc.start();

    eventually().untilAsserted(() -> assertThat(listener.receiverErrorMessages()).anySatisfy(m ->
        assertThat(m).contains("Invalid frame length -5").contains(HOST + ":" + server.getLocalPort())));
  }
}
