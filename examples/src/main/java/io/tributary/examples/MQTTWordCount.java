package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.mqtt.MQTTOptions;
import io.tributary.mqtt.MQTTUtils;
import io.tributary.Durations;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * Counts the words of the messages of an MQTT topic filter every 2 seconds. The receiver uses a
 * persistent session under a fixed client id at QoS 1 and acknowledges each message only once it
 * is stored: stop the application, publish, start it again, and the messages published meanwhile
 * are counted too.
 *
 * <p>Run a broker (e.g. {@code mosquitto -p 1883}), then
 * {@code java -cp examples/target/tributary-examples.jar io.tributary.examples.MQTTWordCount tcp://localhost:1883 'words/#'}
 * and publish some lines, with {@code mosquitto_pub -t words/a -q 1 -m "hello mqtt hello"} or with
 * this class: {@code ... MQTTWordCount publish tcp://localhost:1883 words/a} (sends a line every 100 ms).
 */
public final class MQTTWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private MQTTWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("publish")) {
      publish(args[1], args[2]);
      return;
    }
    if (args.length < 2) {
      System.err.println("Usage: MQTTWordCount <broker url> <topic filter> [client id]\n"
          + "       MQTTWordCount publish <broker url> <topic>");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("MQTTWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));
    MQTTOptions options = MQTTOptions.builder()
        .clientId(args.length > 2 ? args[2] : "mqtt-word-count")
        .qos(1)
        .build();
    ReceiverInputDStream<String> lines = MQTTUtils.createStream(ssc, args[0], args[1], options);
    lines.flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    lines.foreachRDD(rdd -> {
      var stats = MQTTUtils.stats(lines);
      if (stats.oversized() + stats.undecodable() > 0) {
        System.err.println("Skipped " + stats.oversized() + " oversized and " + stats.undecodable()
            + " non-UTF-8 messages so far");
      }
    });
    ssc.start();
    ssc.awaitTermination();
  }

  /** Publishes a line of words every 100 ms at QoS 1, until stopped. */
  private static void publish(String brokerUrl, String topic) throws Exception {
    String[] words = "the quick brown fox jumps over the lazy dog".split(" ");
    MqttClient client = new MqttClient(brokerUrl.replaceFirst("^mqtt://", "tcp://"), MqttClient.generateClientId(),
        new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setAutomaticReconnect(true);
    client.connect(options);
    for (long i = 0; ; i++) {
      String line = words[(int) (i % words.length)] + " " + words[(int) ((i * 7) % words.length)];
      MqttMessage message = new MqttMessage(line.getBytes(StandardCharsets.UTF_8));
      message.setQos(1);
      client.publish(topic, message);
      Thread.sleep(100);
    }
  }
}
