package io.tributary.mqtt;

import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.receiver.ReliableStore;
import java.nio.charset.CharacterCodingException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver behind the streams of {@link MQTTUtils}: one Paho client (MQTT 3.1.1 or 5)
 * subscribed to the stream's topic filters.
 *
 * <p>QoS 1 and 2 messages are acknowledged by hand: they are collected into a block, the block is
 * stored ({@code store(List)}, which returns once it is stored and, with the write-ahead log on,
 * logged), and only then are the messages acknowledged. When the connection breaks, the messages
 * not yet stored are dropped without acknowledgement, and the broker delivers them again to the
 * next connection of the same persistent session. When the receiver stops or restarts while
 * connected, it stores and acknowledges what it holds, then disconnects cleanly. A message is
 * therefore never lost once the broker accepted it, and is delivered twice only when the process
 * dies between storing a block and acknowledging it (at least once). QoS 0 messages are stored
 * one by one and are lost if the process dies before they reach a block (the broker never
 * delivers them again).
 *
 * <p>With MQTT 5, subscriptions asked at QoS 2 are made at QoS 1: Paho's MQTT 5 client completes
 * the QoS 2 exchange by itself before the message is stored, so only QoS 1 lets the
 * acknowledgement wait for the store (the guarantee is at least once either way). With MQTT 3.1.1,
 * QoS 2 messages are completed (PUBCOMP) after the store; a QoS 2 message the broker already
 * released is kept in the client's session state, so it survives a process restart only with
 * {@link MQTTOptions.Builder#persistenceDirectory}.
 *
 * <p>Bad messages (payload over {@link MQTTOptions#maxPayloadBytes()}, malformed UTF-8 in a text
 * stream) are acknowledged, not stored, counted in {@link #stats()} and reported to the
 * streaming listeners (at most one report per 10 s); the receiver goes on.
 */
public final class MQTTReceiver<T> extends Receiver<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(MQTTReceiver.class);
  private static final long BAD_REPORT_INTERVAL_MS = 10_000;
  private final BadInputReporter badInput = new BadInputReporter(BAD_REPORT_INTERVAL_MS);

  private final String brokerUrl;
  private final String[] filters;
  private final int[] qos;
  private final MQTTOptions options;
  private final MessageDecoder<T> decoder;
  private final String clientId;
  private final long blockIntervalMs;
  private final int reconnectDelayMs;

  private transient volatile Session session;
  private transient volatile KeptMemoryPersistence memory;
  private transient volatile Counters counters;
  private transient volatile boolean everConnected;
  private transient volatile boolean warnedAboutClientId;

  MQTTReceiver(String brokerUrl, String[] filters, MQTTOptions options, MessageDecoder<T> decoder,
      Duration defaultBlockInterval) {
    super(options.storageLevel());
    this.brokerUrl = brokerUrl;
    this.filters = filters.clone();
    this.qos = Arrays.stream(filters).mapToInt(options::qos).toArray();
    if (options.version() == MQTTVersion.V5 && Arrays.stream(qos).anyMatch(q -> q == 2)) {
      // Paho's MQTT 5 client completes the QoS 2 exchange (PUBREC, PUBCOMP) by itself as soon as
      // a message arrives, before it is stored: a restart then would lose it. At QoS 1 the
      // acknowledgement waits for the store, which gives the same at-least-once guarantee.
      LOG.warn("MQTT stream on {} {}: QoS 2 subscriptions are made at QoS 1 with MQTT 5 (Paho's MQTT 5 client "
          + "acknowledges QoS 2 messages before they are stored; at QoS 1 they are acknowledged after). "
          + "Use MQTT 3.1.1 for QoS 2.", brokerUrl, Arrays.toString(filters));
      Arrays.setAll(qos, i -> Math.min(qos[i], 1));
    }
    this.options = options;
    this.decoder = decoder;
    this.clientId = options.clientId().orElseGet(
        () -> String.format("tributary-%012x", ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL));
    this.blockIntervalMs = options.blockInterval().orElse(defaultBlockInterval).toMillis();
    this.reconnectDelayMs = options.reconnectDelay().map(d -> (int) d.toMillis()).orElse(-1);
  }

  /** The broker URL, normalized ({@code mqtt://} as {@code tcp://}, port filled in). */
  public String brokerUrl() {
    return brokerUrl;
  }

  /** The client id: the one given, or the one made up for this stream. */
  public String clientId() {
    return clientId;
  }

  public List<String> topicFilters() {
    return List.of(filters);
  }

  public MQTTOptions options() {
    return options;
  }

  /** What this receiver did so far (over all its connections). */
  public MQTTReceiverStats stats() {
    return counters().snapshot();
  }

  /** Whether the receiver is connected and subscribed right now. */
  public boolean isSubscribed() {
    Session s = session;
    return s != null && s.subscribed;
  }

  @Override
  public void onStart() {
    counters();
    if (memory == null) {
      memory = new KeptMemoryPersistence();
    }
    if (options.clientId().isEmpty() && !options.cleanSession() && !warnedAboutClientId) {
      warnedAboutClientId = true;
      LOG.warn("MQTT stream on {} {} has no client id: using '{}', kept across reconnects but new each time "
          + "the application starts, so messages published while it is down are not delivered to it. "
          + "Set MQTTOptions.clientId to resume the broker's session after a restart.", brokerUrl,
          Arrays.toString(filters), clientId);
    }
    SSLSocketFactory sockets;
    try {
      sockets = Tls.socketFactory(options);
    } catch (Exception e) {
      fail("Could not set up TLS for MQTT broker " + brokerUrl + ": " + e.getMessage(), e);
      return;
    }
    Session s = new Session();
    session = s;
    s.start(sockets);
  }

  @Override
  public void onStop() {
    Session s = session;
    session = null;
    if (s != null) {
      s.close();
    }
  }

  private Counters counters() {
    Counters c = counters;
    if (c == null) {
      synchronized (this) {
        if (counters == null) {
          counters = new Counters();
        }
        c = counters;
      }
    }
    return c;
  }

  /** Gives up on the current connection: reconnect later, or stop when automatic reconnect is off. */
  private void fail(String message, Throwable cause) {
    if (options.automaticReconnect()) {
      restart(message + "; reconnecting", cause, reconnectDelayMs);
    } else {
      stop(message + "; automaticReconnect is off, so the receiver stops", cause);
    }
  }

  private String who() {
    return "MQTT broker " + brokerUrl + " (client id '" + clientId + "', " + options.version() + ")";
  }

  /** A token to acknowledge one QoS 1/2 message. */
  private record Ack(int id, int qos) {}

  /** One connection and the block being collected from it. */
  private final class Session implements MqttConnection.Events {
    private final Counters stats = counters();
    private final ReliableStore<T, Ack> reliable;
    private final ScheduledExecutorService idleTimer;
    private volatile MqttConnection connection;
    private volatile boolean closed;
    private volatile boolean subscribed;
    private volatile long lastArrival;
    private long flushedArrival;

    Session() {
      reliable = new ReliableStore<>(MQTTReceiver.this, options.maxMessagesPerBlock(),
          Duration.ofMillis(blockIntervalMs), this::acknowledge);
      long idleMs = options.idleFlush().toMillis();
      if (idleMs > 0 && idleMs < blockIntervalMs) {
        idleTimer = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "mqtt-idle-flush-" + clientId);
          t.setDaemon(true);
          return t;
        });
        idleTimer.scheduleWithFixedDelay(() -> flushWhenIdle(idleMs), idleMs, Math.max(1, idleMs / 2), TimeUnit.MILLISECONDS);
      } else {
        idleTimer = null;
      }
    }

    void start(SSLSocketFactory sockets) {
      try {
        connection = MqttConnection.open(
            new MqttConnection.Spec(brokerUrl, clientId, filters, qos, options, sockets, memory), this);
        connection.start();
      } catch (Exception e) {
        stats.connectFailures.incrementAndGet();
        fail(Failures.describe("Could not connect to " + who(), e), e);
      }
    }

    void close() {
      closed = true; // messages arriving from now on are not acknowledged: the broker sends them again
      subscribed = false;
      if (idleTimer != null) {
        idleTimer.shutdownNow();
      }
      MqttConnection c = connection;
      int dropped = 0;
      if (c != null && c.isConnected()) {
        // a clean stop or restart: store what is held and acknowledge it before disconnecting
        try {
          reliable.flush();
        } catch (RuntimeException e) {
          dropped = reliable.discard();
          LOG.warn("MQTT receiver of {}: could not store the last block while stopping; its messages "
              + "were not acknowledged, the broker delivers them again", brokerUrl, e);
        }
      } else {
        // the connection broke: acknowledgements cannot be sent, the broker sends these again
        dropped = reliable.discard();
      }
      stats.discarded.addAndGet(dropped);
      reliable.close();
      if (c != null) {
        c.close();
      }
      if (dropped > 0) {
        LOG.info("MQTT receiver of {}: {} messages not yet stored were left unacknowledged; the broker "
            + "delivers them again on the next connection", brokerUrl, dropped);
      }
    }

    // ------------------------------------------------------------ Paho events

    @Override
    public void connected(boolean sessionPresent) {
      if (closed) {
        return;
      }
      stats.connections.incrementAndGet();
      if (!options.cleanSession() && !sessionPresent && everConnected) {
        LOG.warn("{} had no session for this client any more (broker restarted without persistence, or "
            + "the session expired): messages published while the receiver was disconnected are lost", who());
      }
      everConnected = true;
      LOG.info("Connected to {}, session present: {}", who(), sessionPresent);
    }

    @Override
    public void subscribed(String[] subscribedFilters, int[] granted) {
      if (closed) {
        return;
      }
      for (int i = 0; i < subscribedFilters.length; i++) {
        int g = granted != null && i < granted.length ? granted[i] : qos[i];
        if (g >= 0x80) {
          fail("The " + who() + " refused the subscription to '" + subscribedFilters[i] + "' (reason 0x"
              + Integer.toHexString(g) + "): check the topic filter and the broker's access rules", null);
          return;
        }
        if (g < qos[i]) {
          LOG.warn("{} granted QoS {} instead of {} for '{}'{}", who(), g, qos[i], subscribedFilters[i],
              g == 0 ? ": messages of this subscription are not acknowledged and can be lost" : "");
        }
      }
      subscribed = true;
      LOG.info("Subscribed to {} on {}", Arrays.toString(subscribedFilters), brokerUrl);
    }

    @Override
    public void failed(String what, Throwable cause) {
      if (closed) {
        return;
      }
      if (what.equals("connect")) {
        stats.connectFailures.incrementAndGet();
        fail(Failures.describe("Could not connect to " + who(), cause), cause);
      } else {
        fail(Failures.describe("Could not subscribe to " + Arrays.toString(filters) + " on " + who(), cause), cause);
      }
    }

    @Override
    public void lost(Throwable cause) {
      if (closed) {
        return;
      }
      stats.connectionsLost.incrementAndGet();
      subscribed = false;
      stats.discarded.addAndGet(reliable.discard());
      fail(Failures.describe("Lost the connection to " + who(), cause), cause);
    }

    @Override
    public void error(String what, Throwable cause) {
      if (!closed) {
        reportError(Failures.describe(what + " on " + who(), cause), cause);
      }
    }

    @Override
    public void message(String topic, byte[] payload, int id, int messageQos, boolean duplicate) {
      if (closed) {
        return; // not acknowledged: delivered again to the next session
      }
      stats.received.incrementAndGet();
      if (duplicate) {
        stats.duplicates.incrementAndGet();
      }
      if (payload.length > options.maxPayloadBytes()) {
        long n = stats.oversized.incrementAndGet();
        bad("Dropped an MQTT message of " + payload.length + " bytes on topic '" + topic
            + "': larger than maxPayloadBytes (" + options.maxPayloadBytes() + "); " + n + " oversized so far");
        ackQuietly(id, messageQos);
        return;
      }
      T record;
      try {
        record = decoder.decode(topic, payload);
      } catch (CharacterCodingException | RuntimeException e) {
        long n = stats.undecodable.incrementAndGet();
        bad("Dropped an MQTT message on topic '" + topic + "' (" + payload.length + " bytes): its payload is not "
            + "valid UTF-8 (" + e + "); use createPairedByteArrayStream for binary payloads; "
            + n + " undecodable so far");
        ackQuietly(id, messageQos);
        return;
      }
      try {
        if (messageQos == 0) {
          store(record);
          stats.stored.incrementAndGet();
        } else {
          lastArrival = System.nanoTime();
          reliable.add(record, new Ack(id, messageQos));
        }
      } catch (RuntimeException e) {
        if (!closed) {
          stats.discarded.addAndGet(reliable.discard());
          fail("Could not store MQTT messages of " + brokerUrl + " (not acknowledged: the broker delivers them again): " + e, e);
        }
      }
    }

    // ------------------------------------------------------------ blocks and acknowledgements

    /** Called by the reliable store once a block is stored: acknowledge its messages. */
    private void acknowledge(List<Ack> acks) {
      stats.stored.addAndGet(acks.size());
      MqttConnection c = connection;
      for (Ack a : acks) {
        try {
          c.ack(a.id(), a.qos());
          stats.acknowledged.incrementAndGet();
        } catch (Exception e) {
          long n = stats.ackFailures.incrementAndGet();
          if (n == 1 || n % 1000 == 0) {
            LOG.warn("Could not acknowledge MQTT message {} to {} (the broker will deliver it again): {}; {} so far",
                a.id(), brokerUrl, e.toString(), n);
          }
        }
      }
    }

    private void ackQuietly(int id, int messageQos) {
      if (messageQos == 0) {
        return;
      }
      try {
        connection.ack(id, messageQos);
        stats.acknowledged.incrementAndGet();
      } catch (Exception e) {
        stats.ackFailures.incrementAndGet();
      }
    }

    private void flushWhenIdle(long idleMs) {
      long last = lastArrival;
      if (closed || last == flushedArrival || System.nanoTime() - last < TimeUnit.MILLISECONDS.toNanos(idleMs)) {
        return;
      }
      flushedArrival = last;
      try {
        reliable.flush();
      } catch (RuntimeException e) {
        if (!closed) {
          reportError("Could not store a block of MQTT messages of " + brokerUrl
              + "; they were not acknowledged, the broker delivers them again", e);
        }
      }
    }

    private void bad(String message) {
      badInput.report(MQTTReceiver.this, message + " (counted in MQTTReceiver.stats(); reported at most every 10 s)", null);
    }
  }

  private static final class Counters {
    final AtomicLong received = new AtomicLong();
    final AtomicLong stored = new AtomicLong();
    final AtomicLong acknowledged = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong discarded = new AtomicLong();
    final AtomicLong oversized = new AtomicLong();
    final AtomicLong undecodable = new AtomicLong();
    final AtomicLong connections = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong connectionsLost = new AtomicLong();
    final AtomicLong ackFailures = new AtomicLong();

    MQTTReceiverStats snapshot() {
      return new MQTTReceiverStats(received.get(), stored.get(), acknowledged.get(), duplicates.get(),
          discarded.get(), oversized.get(), undecodable.get(), connections.get(), connectFailures.get(),
          connectionsLost.get(), ackFailures.get());
    }
  }
}
