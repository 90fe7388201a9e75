package io.tributary.zeromq;

import java.time.Duration;
import java.util.Arrays;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A real JeroMQ publisher on loopback for the tests. It is an XPUB socket, so it sees each
 * subscription arrive and a test can wait for it instead of sleeping (the "slow joiner": a
 * publisher drops what it sends before the subscription reached it). High-water marks are off:
 * with ZeroMQ's default of 1000 a fast burst is dropped silently.
 */
final class TestPublisher implements AutoCloseable {
  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket socket;
  private final int port;
  private final java.util.Set<String> subscriptions = new java.util.HashSet<>();

  private TestPublisher(int port, boolean bind) {
    socket = context.createSocket(SocketType.XPUB);
    socket.setLinger(0);
    socket.setSndHWM(0);
    socket.setReceiveTimeOut(50);
    socket.setHandshakeIvl(1000);   // JeroMQ 0.6.0 sometimes leaves a new connection stuck before its handshake
    if (!bind) {
      socket.connect("tcp://127.0.0.1:" + port);
      this.port = port;
    } else if (port == 0) {
      this.port = socket.bindToRandomPort("tcp://127.0.0.1");
    } else {
      socket.bind("tcp://127.0.0.1:" + port);
      this.port = port;
    }
  }

  /** A publisher bound to a free port of 127.0.0.1. */
  static TestPublisher bindRandomPort() {
    return new TestPublisher(0, true);
  }

  /** A publisher bound to {@code port} (e.g. a restarted publisher, on its old port). */
  static TestPublisher bind(int port) {
    return new TestPublisher(port, true);
  }

  /** A publisher connecting to a subscriber that binds {@code port}. */
  static TestPublisher connect(int port) {
    return new TestPublisher(port, false);
  }

  int port() {
    return port;
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  /** Waits until a subscriber subscribed to {@code topic} (its prefix) is connected. */
  void awaitSubscription(byte[] topic, Duration timeout) {
    String wanted = Arrays.toString(topic);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!subscriptions.remove(wanted)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("No subscription to '" + new String(topic) + "' within " + timeout);
      }
      byte[] frame = socket.recv();
      if (frame != null && frame.length > 0 && frame[0] == 1) {
        subscriptions.add(Arrays.toString(Arrays.copyOfRange(frame, 1, frame.length)));
      }
    }
  }

  void awaitSubscription(String topic) {
    awaitSubscription(topic.getBytes(), Duration.ofSeconds(20));
  }

  /** Sends one message of the given frames. */
  void send(byte[]... frames) {
    for (int i = 0; i < frames.length - 1; i++) {
      socket.sendMore(frames[i]);
    }
    socket.send(frames[frames.length - 1]);
  }

  void send(String... frames) {
    byte[][] bytes = new byte[frames.length][];
    for (int i = 0; i < frames.length; i++) {
      bytes[i] = frames[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
    send(bytes);
  }

  @Override
  public void close() {
    context.close();
  }
}
