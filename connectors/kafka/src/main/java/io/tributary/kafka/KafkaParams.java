package io.tributary.kafka;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validation of the Kafka consumer parameters given by users, and the parameters forced on the
 * consumers the connector makes. Errors name the parameter and say what to set.
 */
final class KafkaParams {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaParams.class);
  private static final Set<String> RESETS = Set.of("earliest", "latest", "none");

  /** Prefix of the group id of the consumers that read ranges in tasks. */
  public static final String EXECUTOR_GROUP_PREFIX = "tributary-executor-";

  private KafkaParams() {}

  /** The parameters of a direct stream or receiver: all required keys, including {@code group.id}. */
  public static Map<String, Object> forStream(Map<String, Object> params) {
    Map<String, Object> checked = common(params);
    requireKey(checked, ConsumerConfig.GROUP_ID_CONFIG,
        "a consumer group id; it names where offsets are committed (one group id per stream)");
    return Collections.unmodifiableMap(checked);
  }

  /** The parameters of {@code createRdd}: {@code group.id} is optional there. */
  public static Map<String, Object> forRdd(Map<String, Object> params) {
    Map<String, Object> checked = common(params);
    checked.putIfAbsent(ConsumerConfig.GROUP_ID_CONFIG, "tributary-rdd");
    return Collections.unmodifiableMap(checked);
  }

  private static Map<String, Object> common(Map<String, Object> params) {
    Objects.requireNonNull(params, "kafkaParams");
    Map<String, Object> checked = new HashMap<>(params);
    requireKey(checked, ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "the brokers to connect to, e.g. \"host1:9092,host2:9092\"");
    for (String key : new String[] {ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG}) {
      requireKey(checked, key, "a Deserializer class, e.g. StringDeserializer.class");
      Object value = checked.get(key);
      if (!(value instanceof Class<?>) && !(value instanceof String)) {
        throw new IllegalArgumentException("Kafka parameter '" + key + "' must be a Deserializer class or class name, not "
            + value.getClass().getName() + ": tasks create their own consumers from the parameters");
      }
    }
    checked.forEach((key, value) -> {
      if (value != null && !(value instanceof Serializable)) {
        throw new IllegalArgumentException("Kafka parameter '" + key + "' has a value of type " + value.getClass().getName()
            + ", which is not Serializable: tasks receive the parameters, so use a string, number or class");
      }
    });
    Object reset = checked.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    if (reset != null && !RESETS.contains(reset.toString())) {
      throw new IllegalArgumentException("Kafka parameter 'auto.offset.reset' must be earliest, latest or none, got '"
          + reset + "'");
    }
    Object autoCommit = checked.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG);
    if (autoCommit != null && Boolean.parseBoolean(autoCommit.toString())) {
      LOG.warn("Kafka parameter enable.auto.commit=true is ignored: auto-commit would mark records consumed before "
          + "the batches holding them are processed. Commit with commitAsync after your output instead");
    }
    checked.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return checked;
  }

  private static void requireKey(Map<String, Object> params, String key, String what) {
    Object value = params.get(key);
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException("Kafka parameter '" + key + "' is missing: set it to " + what);
    }
  }

  /** The {@code auto.offset.reset} policy of validated parameters (Kafka's default: latest). */
  public static String resetPolicy(Map<String, Object> params) {
    Object reset = params.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    return reset == null ? "latest" : reset.toString();
  }

  /** The group id of validated parameters. */
  public static String groupId(Map<String, Object> params) {
    return params.get(ConsumerConfig.GROUP_ID_CONFIG).toString();
  }

  /**
   * The parameters of the consumers reading ranges in tasks: their own group (they never commit),
   * no auto-commit, no offset reset (a range that is gone is an error, never silently skipped),
   * and a socket buffer of at least 64 KiB. Unless set, a poll returns up to 10,000 records and a
   * fetch up to 4 MiB per partition: a task reads a known range as fast as it can, and Kafka's
   * defaults (500 records, 1 MiB) left task threads waiting on fetches (W4: 2.2M against 2.9M
   * records/s).
   */
  public static Map<String, Object> forExecutor(Map<String, Object> params) {
    Map<String, Object> executor = new HashMap<>(params);
    executor.put(ConsumerConfig.GROUP_ID_CONFIG, EXECUTOR_GROUP_PREFIX + groupId(params));
    executor.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    executor.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    executor.remove(ConsumerConfig.CLIENT_ID_CONFIG);
    Object buffer = executor.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG);
    if (buffer == null || Integer.parseInt(buffer.toString()) < 65_536) {
      executor.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, 65_536);
    }
    executor.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
    executor.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
    return Collections.unmodifiableMap(executor);
  }

  /**
   * Fails within {@code timeoutMs} when none of the {@code bootstrap.servers} in {@code params}
   * accepts a TCP connection, with one message naming them; returns as soon as one does. Probing
   * before the first client is made avoids the client's own retries, which log a warning per
   * attempt and give up only after {@code default.api.timeout.ms}.
   */
  static void requireReachable(Map<String, Object> params, long timeoutMs) {
    Object value = params.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    java.util.List<String> servers = value instanceof java.util.Collection<?> many
        ? many.stream().map(String::valueOf).map(String::trim).toList()
        : java.util.Arrays.stream(String.valueOf(value).split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    Map<String, String> problems = new java.util.LinkedHashMap<>();
    do {
      for (String server : servers) {
        int colon = server.lastIndexOf(':');
        String host = colon < 0 ? server : server.substring(0, colon).replace("[", "").replace("]", "");
        try (java.net.Socket socket = new java.net.Socket()) {
          int port = Integer.parseInt(server.substring(colon + 1));
          long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
          socket.connect(new java.net.InetSocketAddress(host, port), (int) Math.min(left, 2_000));
          return;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          throw new IllegalArgumentException("Kafka parameter bootstrap.servers holds '" + server
              + "', which is not host:port; set it to a list like broker1:9092,broker2:9092", e);
        } catch (java.io.IOException | IllegalArgumentException e) {
          String problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
          if (e instanceof java.net.SocketTimeoutException) {
            problems.putIfAbsent(server, "no answer: " + problem); // the deadline's last, shortened try says less
          } else {
            problems.put(server, problem);
          }
        }
      }
      try {
        Thread.sleep(Math.min(200, Math.max(0, (deadline - System.nanoTime()) / 1_000_000)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("None of the Kafka bootstrap servers " + servers + " could be reached within "
        + timeoutMs + " ms (" + problems.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
        .collect(java.util.stream.Collectors.joining("; ")) + "). Check bootstrap.servers and that the brokers "
        + "are running and reachable from here; streaming.kafka.connectTimeout sets how long to try");
  }
}
