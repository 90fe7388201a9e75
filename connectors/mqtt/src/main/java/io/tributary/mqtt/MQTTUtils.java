package io.tributary.mqtt;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Entry point of the MQTT connector: streams of the messages of MQTT topics, received by a Paho
 * client (MQTT 3.1.1 or 5).
 *
 * <pre>{@code
 * ReceiverInputDStream<String> lines = MQTTUtils.createStream(ssc, "tcp://broker:1883", "sensors/+/temp",
 *     MQTTOptions.builder().clientId("temps").qos(1).build());
 * ReceiverInputDStream<Tuple2<String, String>> byTopic = MQTTUtils.createPairedStream(ssc, "tcp://broker:1883",
 *     new String[] {"a/#", "b/#"});
 * }</pre>
 *
 * <p>Guarantees: at QoS 1 and 2 (the default is 1) a message is acknowledged to the broker only
 * once the block holding it is stored, and the session is persistent, so a receiver that
 * reconnects, restarts or stops is sent again whatever it had not stored: no message accepted by
 * the broker is lost while the broker keeps the session (duplicates are possible: at least once).
 * Turn on {@code streaming.receiver.writeAheadLog.enable} so that stored blocks also survive the
 * application's failure. QoS 0 is unreliable: the broker never resends. See {@link MQTTReceiver}.
 *
 * <p>Topics are MQTT topic filters: wildcards ({@code sensors/+/temp}, {@code sensors/#}) and
 * shared subscriptions ({@code $share/group/sensors/#}, MQTT 5; mosquitto also takes them from
 * 3.1.1 clients) work. Every method checks its arguments when the stream is defined and says
 * what is wrong.
 */
public final class MQTTUtils {
  private MQTTUtils() {}

  // ---------------------------------------------------------------- String payloads

  /** The UTF-8 payloads of {@code topic}'s messages, with the default options (QoS 1, persistent session). */
  public static ReceiverInputDStream<String> createStream(StreamingContext ssc, String brokerUrl, String topic) {
    requireClient();
    return createStream(ssc, brokerUrl, topic, MQTTOptions.defaults());
  }

  /** Like {@link #createStream(StreamingContext, String, String)}, storing at {@code storageLevel}. */
  public static ReceiverInputDStream<String> createStream(
      StreamingContext ssc, String brokerUrl, String topic, StorageLevel storageLevel) {
    requireClient();
    return createStream(ssc, brokerUrl, topic, withLevel(storageLevel));
  }

  /**
   * The UTF-8 payloads of {@code topic}'s messages. A payload that is not valid UTF-8 is
   * reported, counted and skipped (use {@link #createPairedByteArrayStream} for binary payloads).
   */
  public static ReceiverInputDStream<String> createStream(
      StreamingContext ssc, String brokerUrl, String topic, MQTTOptions options) {
    requireClient();
    Objects.requireNonNull(topic, "topic");
    return ssc(ssc).receiverStream(receiver(ssc, brokerUrl, new String[] {topic}, options, MessageDecoder.text()));
  }

  // ---------------------------------------------------------------- (topic, String) pairs

  /** (topic, UTF-8 payload) of the messages of several topic filters, with the default options. */
  public static ReceiverInputDStream<Tuple2<String, String>> createPairedStream(
      StreamingContext ssc, String brokerUrl, String[] topics) {
    requireClient();
    return createPairedStream(ssc, brokerUrl, topics, MQTTOptions.defaults());
  }

  public static ReceiverInputDStream<Tuple2<String, String>> createPairedStream(
      StreamingContext ssc, String brokerUrl, String[] topics, StorageLevel storageLevel) {
    requireClient();
    return createPairedStream(ssc, brokerUrl, topics, withLevel(storageLevel));
  }

  /**
   * (topic, UTF-8 payload) of the messages of several topic filters, over one connection. The
   * topic is the one the message was published to (not the filter that matched it).
   */
  public static ReceiverInputDStream<Tuple2<String, String>> createPairedStream(
      StreamingContext ssc, String brokerUrl, String[] topics, MQTTOptions options) {
    requireClient();
    return ssc(ssc).receiverStream(receiver(ssc, brokerUrl, topics, options, MessageDecoder.pairedText()));
  }

  // ---------------------------------------------------------------- (topic, byte[]) pairs

  /** (topic, payload bytes) of the messages of several topic filters, with the default options. */
  public static ReceiverInputDStream<Tuple2<String, byte[]>> createPairedByteArrayStream(
      StreamingContext ssc, String brokerUrl, String[] topics) {
    requireClient();
    return createPairedByteArrayStream(ssc, brokerUrl, topics, MQTTOptions.defaults());
  }

  public static ReceiverInputDStream<Tuple2<String, byte[]>> createPairedByteArrayStream(
      StreamingContext ssc, String brokerUrl, String[] topics, StorageLevel storageLevel) {
    requireClient();
    return createPairedByteArrayStream(ssc, brokerUrl, topics, withLevel(storageLevel));
  }

  /** (topic, payload bytes) of the messages of several topic filters: any payload, as sent. */
  public static ReceiverInputDStream<Tuple2<String, byte[]>> createPairedByteArrayStream(
      StreamingContext ssc, String brokerUrl, String[] topics, MQTTOptions options) {
    requireClient();
    return ssc(ssc).receiverStream(receiver(ssc, brokerUrl, topics, options, MessageDecoder.pairedBytes()));
  }

  // ---------------------------------------------------------------- monitoring

  /**
   * The counters of the receiver of a stream made here: messages received, stored,
   * acknowledged, redelivered, dropped as oversized or undecodable, connects and failures.
   */
  public static MQTTReceiverStats stats(ReceiverInputDStream<?> stream) {
    Objects.requireNonNull(stream, "stream");
    if (!(stream.getReceiver() instanceof MQTTReceiver<?> receiver)) {
      throw new IllegalArgumentException("Not an MQTT stream: its receiver is a "
          + stream.getReceiver().getClass().getName());
    }
    return receiver.stats();
  }

  // ---------------------------------------------------------------- internals

  private static MQTTOptions withLevel(StorageLevel storageLevel) {
    Objects.requireNonNull(storageLevel, "storageLevel");
    return MQTTOptions.builder().storageLevel(storageLevel).build();
  }

  private static StreamingContext ssc(StreamingContext ssc) {
    return Objects.requireNonNull(ssc, "ssc");
  }

  private static <T> MQTTReceiver<T> receiver(
      StreamingContext ssc, String brokerUrl, String[] topics, MQTTOptions options, MessageDecoder<T> decoder) {
    Objects.requireNonNull(ssc, "ssc");
    Objects.requireNonNull(options, "options");
    String url = BrokerUrl.normalize(brokerUrl);
    checkTopics(topics, options);
    if (options.usesTls() && !BrokerUrl.isTls(url)) {
      throw new IllegalArgumentException("A TLS trust store or key store is set but brokerUrl '" + brokerUrl
          + "' is not a TLS URL: use ssl://host:8883 (or mqtts://, wss://)");
    }
    Tls.checkFiles(options);
    io.tributary.Duration blockInterval =
        ssc.conf().getDuration("streaming.blockInterval", new io.tributary.Duration(200));
    return new MQTTReceiver<>(url, topics, options, decoder, Duration.ofMillis(blockInterval.milliseconds()));
  }

  private static void checkTopics(String[] topics, MQTTOptions options) {
    Objects.requireNonNull(topics, "topics");
    if (topics.length == 0) {
      throw new IllegalArgumentException("At least one topic is needed");
    }
    Set<String> seen = new HashSet<>();
    for (String topic : topics) {
      checkTopicFilter(topic);
      if (!seen.add(topic)) {
        throw new IllegalArgumentException("Topic '" + topic + "' is given twice");
      }
    }
    for (String filter : options.topicQosFilters()) {
      if (!seen.contains(filter)) {
        throw new IllegalArgumentException("MQTTOptions give a QoS for '" + filter + "', which is not among the topics "
            + String.join(", ", topics));
      }
    }
  }

  /** MQTT topic filter rules, with the filter named in the message. */
  static void checkTopicFilter(String topic) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("A topic must not be " + (topic == null ? "null" : "empty"));
    }
    String filter = topic;
    if (topic.startsWith("$share/")) {
      String[] parts = topic.split("/", 3);
      if (parts.length < 3 || parts[1].isEmpty() || parts[2].isEmpty() || parts[1].contains("+") || parts[1].contains("#")) {
        throw new IllegalArgumentException("Shared subscription '" + topic
            + "' is not of the form $share/<group name>/<topic filter> (the group name without '+' or '#')");
      }
      filter = parts[2];
    }
    try {
      org.eclipse.paho.client.mqttv3.MqttTopic.validate(filter, true);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Topic filter '" + topic + "' is invalid: " + e.getMessage()
          + " ('+' matches one whole level, '#' only comes last, as in a/+/c or a/#)", e);
    }
  }

  /** A missing client jar fails here, naming it, instead of with a NoClassDefFoundError later. */
  private static void requireClient() {
    io.tributary.ClassPath.require(MQTTUtils.class, "org.eclipse.paho.client.mqttv3.MqttAsyncClient", "org.eclipse.paho:org.eclipse.paho.client.mqttv3 (1.2.5)", "tributary-mqtt");
  }
}
