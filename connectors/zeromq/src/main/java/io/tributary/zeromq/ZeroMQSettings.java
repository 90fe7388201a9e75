package io.tributary.zeromq;

import io.tributary.Duration;
import io.tributary.StreamingConf;
import java.io.Serializable;

/**
 * The {@code streaming.zeromq.*} settings of a stream, read from the context's configuration when
 * the stream is defined (a malformed value fails there, naming the key).
 */
record ZeroMQSettings(
    long maxMessageBytes,
    long receiveHighWaterMark,
    long reconnectIntervalMs,
    long reconnectIntervalMaxMs,
    long heartbeatIntervalMs,
    long heartbeatTimeoutMs,
    long handshakeTimeoutMs,
    long errorReportIntervalMs)
    implements Serializable {

  public static final String MAX_MESSAGE_BYTES = "streaming.zeromq.maxMessageBytes";
  public static final String RECEIVE_HWM = "streaming.zeromq.receiveHighWaterMark";
  public static final String RECONNECT_INTERVAL = "streaming.zeromq.reconnectInterval";
  public static final String RECONNECT_INTERVAL_MAX = "streaming.zeromq.reconnectIntervalMax";
  public static final String HEARTBEAT_INTERVAL = "streaming.zeromq.heartbeatInterval";
  public static final String HEARTBEAT_TIMEOUT = "streaming.zeromq.heartbeatTimeout";
  public static final String HANDSHAKE_TIMEOUT = "streaming.zeromq.handshakeTimeout";
  public static final String ERROR_REPORT_INTERVAL = "streaming.zeromq.errorReportInterval";

  public static ZeroMQSettings from(StreamingConf conf) {
    long maxBytes = conf.getLong(MAX_MESSAGE_BYTES, 64L << 20);
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          "Configuration key '" + MAX_MESSAGE_BYTES + "' must be at least 1 (bytes), got " + maxBytes);
    }
    long hwm = conf.getLong(RECEIVE_HWM, 100_000);
    if (hwm < 0 || hwm > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Configuration key '" + RECEIVE_HWM + "' must be between 0 (no limit) and " + Integer.MAX_VALUE
              + " messages, got " + hwm);
    }
    long reconnect = conf.getDuration(RECONNECT_INTERVAL, new Duration(100)).milliseconds();
    if (reconnect < 1) {
      throw new IllegalArgumentException(
          "Configuration key '" + RECONNECT_INTERVAL + "' must be at least 1ms, got " + reconnect + "ms");
    }
    long reconnectMax = conf.getDuration(RECONNECT_INTERVAL_MAX, new Duration(10_000)).milliseconds();
    if (reconnectMax != 0 && reconnectMax < reconnect) {
      throw new IllegalArgumentException(
          "Configuration key '" + RECONNECT_INTERVAL_MAX + "' (" + reconnectMax + "ms) must be 0 (no back-off) or at "
              + "least '" + RECONNECT_INTERVAL + "' (" + reconnect + "ms)");
    }
    long heartbeat = conf.getDuration(HEARTBEAT_INTERVAL, new Duration(0)).milliseconds();
    long heartbeatTimeout = conf.getDuration(HEARTBEAT_TIMEOUT, new Duration(heartbeat * 3)).milliseconds();
    if (heartbeat > 0 && heartbeatTimeout < heartbeat) {
      throw new IllegalArgumentException(
          "Configuration key '" + HEARTBEAT_TIMEOUT + "' (" + heartbeatTimeout + "ms) must be at least '"
              + HEARTBEAT_INTERVAL + "' (" + heartbeat + "ms)");
    }
    long handshake = conf.getDuration(HANDSHAKE_TIMEOUT, new Duration(2_000)).milliseconds();
    long report = conf.getDuration(ERROR_REPORT_INTERVAL, new Duration(10_000)).milliseconds();
    for (long ms : new long[] {reconnect, reconnectMax, heartbeat, heartbeatTimeout, handshake}) {
      if (ms > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("ZeroMQ durations must be below " + Integer.MAX_VALUE + " ms, got " + ms
            + " ms in one of the streaming.zeromq.* settings");
      }
    }
    return new ZeroMQSettings(maxBytes, hwm, reconnect, reconnectMax, heartbeat, heartbeatTimeout, handshake, report);
  }
}
