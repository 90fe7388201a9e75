package io.tributary.zeromq;

import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.StorageLevel;
import io.tributary.function.FlatMapFunction;
import io.tributary.streaming.receiver.Receiver;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * A ZeroMQ SUB socket on a thread of its own: connects to a publisher (or binds and lets
 * publishers connect), subscribes to topic prefixes, and turns each multipart message into records
 * with the converter, stored one by one ({@code store(record)}).
 *
 * <p>Unreliable by nature: ZeroMQ PUB/SUB has no acknowledgements and no replay, so there is
 * nothing to acknowledge after a block is stored; messages published while no subscriber is
 * connected, dropped at a high-water mark, or buffered when the process dies are lost.
 *
 * <p>ZeroMQ reconnects by itself (every {@code reconnectInterval}, backing off to {@code
 * reconnectIntervalMax}); only a failure of the socket itself (a bind that cannot be made, an
 * internal error) restarts the receiver. The receiving thread wakes every {@value #POLL_MS} ms to
 * see whether it should stop, and {@link #onStop()} waits for it, which closes the socket and the
 * ZeroMQ context, so no thread is left behind.
 */
final class ZeroMQReceiver<T> extends Receiver<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ZeroMQReceiver.class);
  static final int POLL_MS = 100;
  private static final int EVENTS =
      ZMQ.EVENT_CONNECTED | ZMQ.EVENT_ACCEPTED | ZMQ.EVENT_DISCONNECTED | ZMQ.EVENT_LISTENING
          | ZMQ.EVENT_BIND_FAILED;

  private final String url;
  private final boolean connect;
  private final List<byte[]> topics;
  private final FlatMapFunction<byte[][], T> converter;
  private final ZeroMQSettings settings;
  private final BadInputReporter badInput;

  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong oversized = new AtomicLong();
  private final AtomicLong failedConversions = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();

  private transient volatile Thread thread;

  public ZeroMQReceiver(
      String url,
      boolean connect,
      List<byte[]> topics,
      FlatMapFunction<byte[][], T> converter,
      ZeroMQSettings settings,
      StorageLevel level) {
    super(level);
    this.url = url;
    this.connect = connect;
    List<byte[]> copies = new ArrayList<>(topics.size());
    topics.forEach(t -> copies.add(t.clone()));
    this.topics = copies;
    this.converter = converter;
    this.settings = settings;
    this.badInput = new BadInputReporter(settings.errorReportIntervalMs());
  }

  /** What the receiver saw so far, over all its restarts. */
  public ZeroMQStats stats() {
    return new ZeroMQStats(
        messages.get(), records.get(), oversized.get(), failedConversions.get(), connects.get(), disconnects.get());
  }

  @Override
  public void onStart() {
    Thread t = new Thread(this::receive, "zeromq-receiver-" + streamId() + "-" + url);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void onStop() {
    Thread t = thread;
    thread = null;
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        LOG.warn("ZeroMQ receiver thread for {} did not end within 10 s", url);
      }
    }
  }

  private void receive() {
    ZContext context = new ZContext(1);
    try {
      ZMQ.Socket socket = context.createSocket(SocketType.SUB);
      socket.setLinger(0);
      socket.setRcvHWM((int) settings.receiveHighWaterMark());
      socket.setReconnectIVL((int) settings.reconnectIntervalMs());
      socket.setReconnectIVLMax((int) settings.reconnectIntervalMaxMs());
      if (settings.heartbeatIntervalMs() > 0) {
        socket.setHeartbeatIvl((int) settings.heartbeatIntervalMs());
        socket.setHeartbeatTimeout((int) settings.heartbeatTimeoutMs());
      }
      // a connection whose ZMTP handshake does not finish is dropped and made again; JeroMQ 0.6.0
      // leaves about 1-6 % of new connections stuck before the handshake (zeromq/jeromq PR #1022),
      // which with ZeroMQ's default of 30 s would silence the stream for half a minute
      socket.setHandshakeIvl((int) settings.handshakeTimeoutMs());
      socket.setReceiveTimeOut(POLL_MS);
      String monitorUrl = "inproc://tributary-zeromq-monitor";
      socket.monitor(monitorUrl, EVENTS);
      ZMQ.Socket monitor = context.createSocket(SocketType.PAIR);
      monitor.setLinger(0);
      monitor.connect(monitorUrl);
      for (byte[] topic : topics) {
        socket.subscribe(topic);
      }
      if (connect) {
        if (!socket.connect(url)) {
          throw new IllegalStateException("could not connect to " + url + ": " + describe(socket.errno()));
        }
        LOG.info("ZeroMQ receiver {} subscribing to {} (connecting; ZeroMQ reconnects by itself)", streamId(), url);
      } else {
        if (!socket.bind(url)) {   // a failure also comes as EVENT_BIND_FAILED
          throw new IllegalStateException("could not bind " + url + ": " + describe(socket.errno()));
        }
      }
      List<byte[]> frames = new ArrayList<>();
      while (!isStopped()) {
        byte[] first = socket.recv();
        drainEvents(monitor);
        if (first == null) {
          continue;
        }
        frames.clear();
        frames.add(first);
        long size = first.length;
        boolean tooBig = size > settings.maxMessageBytes();
        while (socket.hasReceiveMore()) {
          // the frames of a multipart message arrive together: these calls do not wait
          byte[] frame = socket.recv();
          if (frame == null) {
            break;
          }
          size += frame.length;
          if (size > settings.maxMessageBytes()) {
            tooBig = true;
            frames.clear();  // let the memory go; the rest is read and dropped
          } else if (!tooBig) {
            frames.add(frame);
          }
        }
        handle(frames, size, tooBig);
      }
    } catch (ZMQException | IllegalArgumentException | IllegalStateException e) {
      if (!isStopped()) {
        restart("ZeroMQ receiver of " + url + " failed (" + e.getMessage() + "); restarting", e);
      }
    } catch (RuntimeException | Error e) {
      if (!isStopped()) {
        restart("ZeroMQ receiver of " + url + " failed unexpectedly; restarting", e);
      }
    } finally {
      context.close();
    }
  }

  private void handle(List<byte[]> frames, long size, boolean tooBig) {
    messages.incrementAndGet();
    if (tooBig) {
      oversized.incrementAndGet();
      badInput.report(this, "Dropped a ZeroMQ message of " + size + " bytes from " + url + ": larger than "
          + ZeroMQSettings.MAX_MESSAGE_BYTES + " = " + settings.maxMessageBytes(), null);
      return;
    }
    byte[][] message = frames.toArray(new byte[0][]);
    List<T> converted = new ArrayList<>();
    try {
      Iterator<T> it = converter.call(message);
      if (it == null) {
        throw new NullPointerException("the message converter returned null instead of an iterator");
      }
      it.forEachRemaining(converted::add);
    } catch (Exception e) {
      failedConversions.incrementAndGet();
      badInput.report(this, "The message converter failed on a ZeroMQ message of " + message.length + " frame(s), "
          + size + " bytes, from " + url + ": " + e + "; the message is dropped, the stream goes on", e);
      return;
    }
    for (T record : converted) {
      if (isStopped()) {
        return;
      }
      records.incrementAndGet();
      store(record);
    }
  }

  private static String describe(Object errno) {
    if (errno instanceof Integer code) {
      try {
        return ZMQ.Error.findByCode(code).getMessage();
      } catch (IllegalArgumentException unknown) {
        return "error " + code;
      }
    }
    return String.valueOf(errno);
  }

  private void drainEvents(ZMQ.Socket monitor) {
    for (ZMQ.Event event; (event = ZMQ.Event.recv(monitor, ZMQ.DONTWAIT)) != null; ) {
      int type = event.getEvent();
      if (type == ZMQ.EVENT_CONNECTED || type == ZMQ.EVENT_ACCEPTED) {
        connects.incrementAndGet();
        LOG.info("ZeroMQ receiver {}: {} {}", streamId(), type == ZMQ.EVENT_CONNECTED ? "connected to" : "accepted a publisher on",
            event.getAddress());
      } else if (type == ZMQ.EVENT_DISCONNECTED) {
        disconnects.incrementAndGet();
        LOG.info("ZeroMQ receiver {}: disconnected from {}{}", streamId(), event.getAddress(),
            connect ? "; reconnecting" : "");
      } else if (type == ZMQ.EVENT_LISTENING) {
        LOG.info("ZeroMQ receiver {} bound to {}, waiting for publishers", streamId(), url);
      } else if (type == ZMQ.EVENT_BIND_FAILED) {
        throw new IllegalStateException("could not bind " + url + ": " + describe(event.getValue()));
      }
    }
  }
}
