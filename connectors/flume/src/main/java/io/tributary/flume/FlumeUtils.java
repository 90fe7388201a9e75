package io.tributary.flume;

import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import java.net.InetSocketAddress;
import io.tributary.Duration;
import io.tributary.Durations;
import java.util.List;
import java.util.Objects;

/**
 * Entry point of the Flume connector: streams of {@link FlumeEvent}s from Apache Flume agents, in
 * one of two modes.
 *
 * <ul>
 *   <li><b>Push</b> ({@link #createStream}): the receiver serves Flume's Avro RPC; point an agent's
 *       {@code avro} sink (or a flume-ng-sdk {@code RpcClient}) at it. A batch is answered OK only
 *       once stored, FAILED otherwise, and the agent sends a failed batch again. The receiver must
 *       run where the agent expects it (one host and port per stream).
 *   <li><b>Pull</b> ({@link #createPollingStream}): the agents run {@code
 *       io.tributary.flume.sink.TributarySink} (artifact {@code tributary-flume-sink}); the receiver
 *       polls batches from them, stores each, then acknowledges it, and the sink commits its channel
 *       transaction only then. Several agents and several streams may share the work.
 * </ul>
 *
 * <p>Either way a batch is let go of by the agent only after it was stored: with {@code
 * streaming.receiver.writeAheadLog.enable} (and a checkpoint directory) nothing the agent let go of
 * is lost when the application dies, and the agent's channel keeps what it did not let go of (a
 * file channel also across the agent's restarts). A batch stored but not yet answered when the
 * application dies is sent again: at least once.
 *
 * <p>Settings read from the context's configuration when the stream is made: {@code
 * streaming.flume.maxEventBytes} (default 8m: bigger events are dropped, counted and reported),
 * {@code streaming.flume.maxRequestBytes} (push, default 64m: the connection of a bigger request is
 * closed and reported), {@code streaming.flume.pollTimeout} (pull, default 30s: longest wait for an
 * answer of the sink) and {@code streaming.flume.reconnectDelay} (pull, default 1s).
 */
public final class FlumeUtils {
  /** Spark's default for Flume streams: serialized, memory then disk, two copies. */
  public static final StorageLevel DEFAULT_STORAGE_LEVEL = StorageLevel.MEMORY_AND_DISK_SER_2;
  /** Events asked for in one poll, by default. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 1000;
  /** Batches asked for at once from each agent, by default. */
  public static final int DEFAULT_PARALLELISM = 5;

  private FlumeUtils() {}

  // ---------------------------------------------------------------- push

  /** A push stream: serves Flume's Avro RPC on {@code hostname:port}. */
  public static ReceiverInputDStream<FlumeEvent> createStream(StreamingContext ssc, String hostname, int port) {
    return createStream(ssc, hostname, port, DEFAULT_STORAGE_LEVEL, false);
  }

  public static ReceiverInputDStream<FlumeEvent> createStream(
      StreamingContext ssc, String hostname, int port, StorageLevel storageLevel) {
    return createStream(ssc, hostname, port, storageLevel, false);
  }

  /**
   * A push stream storing at {@code storageLevel}; with {@code enableDecompression} the connections
   * are zlib-compressed both ways, as the avro sink's {@code compression-type = deflate} expects
   * (both sides must agree).
   */
  public static ReceiverInputDStream<FlumeEvent> createStream(
      StreamingContext ssc, String hostname, int port, StorageLevel storageLevel, boolean enableDecompression) {
    StreamingConf conf = conf(ssc);
    requireHost(hostname, "hostname");
    requirePort(port, "port", true);
    Objects.requireNonNull(storageLevel, "storageLevel");
    return ssc.receiverStream(new FlumePushReceiver(hostname, port, storageLevel, enableDecompression,
        maxEventBytes(conf), positiveBytes(conf, "streaming.flume.maxRequestBytes", 64L << 20)));
  }

  // ---------------------------------------------------------------- pull

  /** A polling stream from the TributarySink at {@code hostname:port}. */
  public static ReceiverInputDStream<FlumeEvent> createPollingStream(StreamingContext ssc, String hostname, int port) {
    requireHost(hostname, "hostname");
    requirePort(port, "port", false);
    return createPollingStream(ssc, List.of(InetSocketAddress.createUnresolved(hostname, port)),
        DEFAULT_STORAGE_LEVEL);
  }

  public static ReceiverInputDStream<FlumeEvent> createPollingStream(
      StreamingContext ssc, String hostname, int port, StorageLevel storageLevel) {
    requireHost(hostname, "hostname");
    requirePort(port, "port", false);
    return createPollingStream(ssc, List.of(InetSocketAddress.createUnresolved(hostname, port)), storageLevel);
  }

  public static ReceiverInputDStream<FlumeEvent> createPollingStream(
      StreamingContext ssc, List<InetSocketAddress> addresses, StorageLevel storageLevel) {
    return createPollingStream(ssc, addresses, storageLevel, DEFAULT_MAX_BATCH_SIZE, DEFAULT_PARALLELISM);
  }

  /**
   * A polling stream from the TributarySinks at {@code addresses}: {@code parallelism} batches of
   * at most {@code maxBatchSize} events asked for at once from each. Keep {@code parallelism} at
   * most the sinks' {@code threads}.
   */
  public static ReceiverInputDStream<FlumeEvent> createPollingStream(StreamingContext ssc,
      List<InetSocketAddress> addresses, StorageLevel storageLevel, int maxBatchSize, int parallelism) {
    StreamingConf conf = conf(ssc);
    Objects.requireNonNull(addresses, "addresses");
    if (addresses.isEmpty()) {
      throw new IllegalArgumentException("addresses is empty: give the host and port of at least one TributarySink");
    }
    for (InetSocketAddress a : addresses) {
      Objects.requireNonNull(a, "an address in addresses");
      requirePort(a.getPort(), "the port of address " + a, false);
    }
    Objects.requireNonNull(storageLevel, "storageLevel");
    if (maxBatchSize <= 0) {
      throw new IllegalArgumentException("maxBatchSize must be positive (events per poll), not " + maxBatchSize);
    }
    if (parallelism <= 0) {
      throw new IllegalArgumentException("parallelism must be positive (batches asked for at once from each agent), "
          + "not " + parallelism);
    }
    List<InetSocketAddress> resolved = addresses.stream()
        .map(a -> a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a).toList();
    return ssc.receiverStream(new FlumePollingReceiver(resolved, storageLevel, maxBatchSize, parallelism,
        maxEventBytes(conf), positiveMillis(conf, "streaming.flume.pollTimeout", Durations.seconds(30)),
        positiveMillis(conf, "streaming.flume.reconnectDelay", Durations.seconds(1))));
  }

  // ---------------------------------------------------------------- monitoring

  /** The counters of the receiver of a stream made here. */
  public static FlumeReceiverStats stats(ReceiverInputDStream<?> stream) {
    Objects.requireNonNull(stream, "stream");
    if (!(stream.getReceiver() instanceof FlumeReceiver receiver)) {
      throw new IllegalArgumentException("Not a Flume stream: its receiver is a "
          + stream.getReceiver().getClass().getName());
    }
    return receiver.stats();
  }

  // ---------------------------------------------------------------- checks

  private static StreamingConf conf(StreamingContext ssc) {
    return Objects.requireNonNull(ssc, "ssc").conf();
  }

  private static void requireHost(String hostname, String what) {
    if (hostname == null || hostname.isBlank()) {
      throw new IllegalArgumentException(what + " is empty: give a host name or address (0.0.0.0 for all)");
    }
  }

  private static void requirePort(int port, String what, boolean zeroAllowed) {
    if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
      throw new IllegalArgumentException(what + " must be from " + (zeroAllowed ? "0 (any free port)" : "1")
          + " to 65535, not " + port);
    }
  }

  private static long maxEventBytes(StreamingConf conf) {
    return positiveBytes(conf, "streaming.flume.maxEventBytes", 8L << 20);
  }

  private static long positiveBytes(StreamingConf conf, String key, long dflt) {
    long v = conf.getSizeAsBytes(key, dflt);
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be a positive size (e.g. 8m), not " + conf.get(key));
    }
    return v;
  }

  private static long positiveMillis(StreamingConf conf, String key, Duration dflt) {
    long v = conf.getDuration(key, dflt).milliseconds();
    if (v <= 0) {
      throw new IllegalArgumentException(key + " must be a positive duration (e.g. 30s), not " + conf.get(key));
    }
    return v;
  }
}
