package io.tributary;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Configuration of a {@link io.tributary.streaming.StreamingContext}: string keys and values with typed getters.
 *
 * <p>Keys ported from Spark may keep their {@code spark.} prefix: {@code
 * spark.streaming.blockInterval} and {@code streaming.blockInterval} are the same key. The main
 * keys (defaults in brackets):
 *
 * <ul>
 *   <li>{@code master} [{@code local[*]}]: {@code local}, {@code local[N]} or {@code local[*]}
 *   <li>{@code app.name} [{@code tributary}]
 *   <li>{@code default.parallelism} [number of task threads]: partitions of shuffles
 *   <li>{@code streaming.blockInterval} [200ms]: how often a receiver's buffered records become a block
 *   <li>{@code streaming.blockQueueSize} [10]: blocks waiting to be stored per receiver; when
 *       full, {@code store} waits
 *   <li>{@code streaming.receiver.maxBufferedBytes} [max heap / 4]: received data held (buffered
 *       or stored, until its batch is forgotten); when reached, every {@code store} waits
 *   <li>{@code streaming.socket.maxLineBytes} [64m]: longer socket text lines are dropped and reported
 *   <li>{@code streaming.receiver.maxRate} [0 = unlimited]: records/s per receiver, on every {@code
 *       store}; per stream: {@code streaming.receiver.maxRate.<stream name>} or {@code .<input id>}
 *   <li>{@code streaming.backpressure.enabled} [true; Spark: false]: adapt the rates of receivers
 *       and direct streams to the processing speed after each batch (PID estimator, {@code
 *       streaming.backpressure.pid.proportional} [1.0], {@code .integral} [0.2], {@code .derived}
 *       [0.0], {@code .minRate} [100])
 *   <li>{@code streaming.backpressure.initialRate} [unset]: records/s of each input before the
 *       first estimate (0 = no bound). Unset, an input starts at 1,000,000 records/s, is held at
 *       {@code pid.minRate} while its first batch with records runs, and then takes the rate that
 *       batch was processed at, so the first batches are bounded without a guess
 *   <li>{@code streaming.direct.maxRecordsPerBatch} [one per 100 bytes of {@code
 *       streaming.receiver.maxBufferedBytes}; 0 = unlimited]: records one batch of a direct
 *       stream takes over all its partitions, so a backlog is read over several batches
 *   <li>{@code streaming.direct.maxRatePerPartition} [0 = unlimited], {@code
 *       streaming.direct.minRatePerPartition} [1]: records/s per partition of direct streams
 *   <li>{@code streaming.concurrentJobs} [1]: output operations run at the same time
 *   <li>{@code streaming.receiverRestartDelay} [2000ms]: wait before restarting a failed receiver
 *   <li>{@code streaming.stopGracefullyOnShutdown} [false]: a JVM shutdown hook stops gracefully
 *   <li>{@code streaming.gracefulStopTimeout} [10 batch intervals]: longest graceful stop
 *   <li>{@code streaming.unpersist} [true]: drop generated datasets past their remember duration
 *   <li>{@code serializer} [kryo]: {@code kryo}, {@code java} or a class name
 * </ul>
 *
 * Durations are written like {@code 200ms}, {@code 2s} or {@code 1min}.
 */
public final class StreamingConf implements Serializable {
  private final TreeMap<String, String> settings = new TreeMap<>();

  /**
   * A configuration holding the JVM's system properties named {@code spark.*} or {@code
   * tributary.*} (prefix dropped), so {@code -Dspark.streaming.blockInterval=100ms} works as it
   * does with Spark.
   */
  public StreamingConf() {
    System.getProperties().forEach((k, v) -> {
      String key = k.toString();
      if (key.startsWith("spark.") || key.startsWith("tributary.")) {
        set(key, v.toString());
      }
    });
  }

  /** A copy of {@code other}. */
  public StreamingConf(StreamingConf other) {
    settings.putAll(other.settings);
  }

  /** Where tasks run: {@code local}, {@code local[N]} or {@code local[*]}. */
  public StreamingConf setMaster(String master) {
    return set("master", master);
  }

  public StreamingConf setAppName(String name) {
    return set("app.name", name);
  }

  public StreamingConf set(String key, String value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException(
          "Configuration key and value must not be null (key: " + key + ", value: " + value + ")");
    }
    settings.put(normalize(key), value);
    return this;
  }

  public StreamingConf setIfMissing(String key, String value) {
    if (!contains(key)) {
      set(key, value);
    }
    return this;
  }

  public boolean contains(String key) {
    return settings.containsKey(normalize(key));
  }

  public Optional<String> getOption(String key) {
    return Optional.ofNullable(settings.get(normalize(key)));
  }

  /** The value of {@code key}; fails naming the key when it is not set. */
  public String get(String key) {
    return getOption(key)
        .orElseThrow(() -> new java.util.NoSuchElementException("Configuration key '" + key + "' is not set"));
  }

  public String get(String key, String defaultValue) {
    return getOption(key).orElse(defaultValue);
  }

  public int getInt(String key, int defaultValue) {
    return getOption(key).map(v -> parse(key, v, Integer::parseInt, "an integer")).orElse(defaultValue);
  }

  public long getLong(String key, long defaultValue) {
    return getOption(key).map(v -> parse(key, v, Long::parseLong, "an integer")).orElse(defaultValue);
  }

  public double getDouble(String key, double defaultValue) {
    return getOption(key).map(v -> parse(key, v, Double::parseDouble, "a number")).orElse(defaultValue);
  }

  public boolean getBoolean(String key, boolean defaultValue) {
    return getOption(key)
        .map(
            v -> {
              String t = v.trim().toLowerCase(java.util.Locale.ROOT);
              if (!t.equals("true") && !t.equals("false")) {
                throw new IllegalArgumentException(
                    "Configuration key '" + key + "' must be true or false, got '" + v + "'");
              }
              return Boolean.parseBoolean(t);
            })
        .orElse(defaultValue);
  }

  /**
   * A size in bytes such as {@code 512m}, {@code 64k}, {@code 2g} or {@code 1048576} (a bare number
   * is bytes; the suffixes {@code k}, {@code m}, {@code g}, {@code t}, optionally followed by {@code
   * b}, are powers of 1024, as in Spark's {@code getSizeAsBytes}).
   */
  public long getSizeAsBytes(String key, long defaultValue) {
    return getOption(key).map(v -> parse(key, v, StreamingConf::parseBytes, "a size in bytes such as 64m")).orElse(defaultValue);
  }

  private static long parseBytes(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    if (t.endsWith("b")) {
      t = t.substring(0, t.length() - 1);
    }
    int shift = t.isEmpty() ? 0 : switch (t.charAt(t.length() - 1)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    long number = Long.parseLong(shift == 0 ? t : t.substring(0, t.length() - 1).trim());
    if (shift > 0 && Math.abs(number) > (Long.MAX_VALUE >> shift)) {
      throw new NumberFormatException(text);
    }
    return number << shift;
  }

  /** A duration setting such as {@code 200ms} or {@code 2s}; a bare number means milliseconds. */
  public Duration getDuration(String key, Duration defaultValue) {
    return getOption(key)
        .map(
            v -> {
              try {
                return Durations.parse(v);
              } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Configuration key '" + key + "': " + e.getMessage());
              }
            })
        .orElse(defaultValue);
  }

  public String master() {
    return get("master", "local[*]");
  }

  public String appName() {
    return get("app.name", "tributary");
  }

  /** All settings, keys without the {@code spark.} prefix, sorted. */
  public Map<String, String> getAll() {
    return Collections.unmodifiableMap(new TreeMap<>(settings));
  }

  @Override
  public String toString() {
    return "StreamingConf" + settings;
  }

  private static String normalize(String key) {
    if (key.startsWith("spark.")) {
      return key.substring("spark.".length());
    }
    return key.startsWith("tributary.") ? key.substring("tributary.".length()) : key;
  }

  private interface Parser<T> {
    T parse(String text);
  }

  private static <T> T parse(String key, String value, Parser<T> parser, String what) {
    try {
      return parser.parse(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Configuration key '" + key + "' must be " + what + ", got '" + value + "'");
    }
  }
}
