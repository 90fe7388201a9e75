package io.tributary.streaming.internal.source;

import io.tributary.streaming.internal.block.TextBlock;
import io.tributary.streaming.receiver.ReceiverSink;
import io.tributary.StorageLevel;
import io.tributary.function.Function;
import io.tributary.internal.Checks;
import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.streaming.receiver.Receiver;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads records from a TCP connection on a thread of its own. A connection that cannot be made or
 * that ends is reported and retried (with the supervisor's back-off); the stream resumes when the
 * server is back.
 *
 * <p>Unreliable: a plain socket cannot replay, so records are stored through the buffered
 * {@code store(record)} path and those still buffered when the process dies are lost, write-ahead
 * log or not ({@code rawSocketStream} frames are stored whole, as blocks).
 */
public final class SocketReceiver<T> extends Receiver<T> {
  private final String host;
  private final int port;
  private final Reader<T> reader;
  private transient volatile Socket socket;
  private transient volatile Thread thread;

  /** How the bytes of a connection become stored records. */
  private interface Reader<T> extends java.io.Serializable {
    void read(InputStream in, SocketReceiver<T> receiver) throws Exception;
  }

  public SocketReceiver(String host, int port, Function<InputStream, Iterable<T>> converter, StorageLevel level) {
    this(host, port, level, (in, self) -> {
      for (T record : converter.call(in)) {
        if (self.isStopped()) {
          return;
        }
        self.store(record);
      }
    });
  }

  private SocketReceiver(String host, int port, StorageLevel level, Reader<T> reader) {
    super(level);
    this.host = Checks.notNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("Port must be between 0 and 65535, got " + port);
    }
    this.port = port;
    this.reader = reader;
  }

  /**
   * UTF-8 lines, one record per line. The bytes go into blocks as they arrive (see
   * {@link TextBlock}): the receiving thread only finds where whole lines end; tasks decode them.
   * A line longer than {@code maxLineBytes} ({@code streaming.socket.maxLineBytes}) is dropped,
   * counted and reported (see {@link BadInputReporter}), and the stream goes on at the next line.
   */
  public static SocketReceiver<String> lines(String host, int port, StorageLevel level, int maxLineBytes) {
    BadInputReporter reporter = new BadInputReporter(10_000);
    AtomicLong dropped = new AtomicLong();
    return new SocketReceiver<>(host, port, level,
        (in, self) -> TextBlock.readLines(in, self::isStopped, maxLineBytes, self.sink()::storeText,
            held -> reporter.report(self, "Dropped a line longer than streaming.socket.maxLineBytes (" + maxLineBytes
                + " bytes) from " + host + ":" + port + " (" + dropped.incrementAndGet() + " dropped so far); "
                + "the stream resumes at the next line. Raise the setting if such lines are expected", null)));
  }

  /** Frames of a 4-byte big-endian length and a serialized array of records, one block per frame. */
  public static <T> SocketReceiver<T> raw(String host, int port, StorageLevel level) {
    return new SocketReceiver<>(host, port, level, (in, self) -> {
      DataInputStream frames = new DataInputStream(in);
      while (!self.isStopped()) {
        int length;
        try {
          length = frames.readInt();
        } catch (EOFException end) {
          return;
        }
        if (length < 0) {
          throw new IOException("Invalid frame length " + length + " from " + self.host + ":" + self.port
              + ": each frame must start with a non-negative 4-byte big-endian length");
        }
        byte[] frame = new byte[length];
        frames.readFully(frame);
        self.store(ByteBuffer.wrap(frame));
      }
    });
  }

  /** Reads the UTF-8 lines of a stream lazily; for {@code socketStream} converters. */
  public static Iterable<String> linesOf(InputStream in) {
    BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    return () -> io.tributary.internal.rdd.Iterators.lines(lines, "the socket stream");
  }

  @Override
  public void onStart() {
    Thread t = new Thread(this::receive, "socket-receiver-" + host + ":" + port);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void onStop() {
    Socket s = socket;
    if (s != null) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing to unblock the reading thread
      }
    }
    Thread t = thread;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void receive() {
    try (Socket s = new Socket()) {
      socket = s;
      s.connect(new InetSocketAddress(host, port), 10_000);
      reader.read(s.getInputStream(), this);
      if (!isStopped()) {
        restart("Connection to " + host + ":" + port + " was closed by the server; reconnecting");
      }
    } catch (Throwable e) {
      if (!isStopped()) {
        restart("Error receiving from " + host + ":" + port + " (" + e.getMessage()
            + "); retrying, the stream keeps running and resumes when the server is reachable", e);
      }
    } finally {
      socket = null;
    }
  }
}
