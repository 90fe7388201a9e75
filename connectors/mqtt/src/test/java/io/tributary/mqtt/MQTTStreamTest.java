package io.tributary.mqtt;

import static io.tributary.mqtt.MqttTestSupport.awaitSubscribed;
import static io.tributary.mqtt.MqttTestSupport.driver;
import static io.tributary.mqtt.MqttTestSupport.runUntil;
import static io.tributary.mqtt.MqttTestSupport.runUntilCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.Tuple2;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The three stream kinds against a real mosquitto: QoS 0/1/2, wildcards, several topics, bad payloads, MQTT 5. */
class MQTTStreamTest {
  @RegisterExtension
  static final MosquittoBroker broker = MosquittoBroker.plain();

  @Test
  void stringStreamWithWildcardStoresEveryMatchingMessageOnceAndAcknowledgesIt() {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "w/+/temp",
          MQTTOptions.builder().clientId("wildcard-1").build());
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> sent = new ArrayList<>();
      sent.addAll(broker.publishNumbered("w/kitchen/temp", "k", 150, 1));
      broker.publishNumbered("w/kitchen/humidity", "ignored", 20, 1);
      sent.addAll(broker.publishNumbered("w/cellar/temp", "c", 150, 1));

      List<String> got = runUntilCount(driver, out, 300);
      assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
      MQTTReceiverStats stats = MQTTUtils.stats(stream);
      assertThat(stats.received()).isEqualTo(300);
      assertThat(stats.stored()).isEqualTo(300);
      await().atMost(Duration.ofSeconds(5)).until(() -> MQTTUtils.stats(stream).acknowledged() == 300);
      assertThat(stats.duplicates()).isZero();
      assertThat(stats.connections()).isEqualTo(1);
    }
  }

  @Test
  void qos0MessagesAreStoredWithoutAcknowledgement() {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "q0",
          MQTTOptions.builder().qos(0).cleanSession(true).build());
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> sent = broker.publishNumbered("q0", "m", 100, 0);

      assertThat(runUntilCount(driver, out, 100)).containsExactlyInAnyOrderElementsOf(sent);
      MQTTReceiverStats stats = MQTTUtils.stats(stream);
      assertThat(stats.stored()).isEqualTo(100);
      assertThat(stats.acknowledged()).isZero();
    }
  }

  @Test
  void pairedStreamOfSeveralTopicsKeepsEachMessagesTopicAtItsOwnQos() {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<Tuple2<String, String>> stream = MQTTUtils.createPairedStream(driver.context(),
          broker.url(), new String[] {"p/a", "p/b/#"},
          MQTTOptions.builder().clientId("paired-1").qos("p/a", 2).build());
      TestOutput<Tuple2<String, String>> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<Tuple2<String, String>> sent = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        broker.publish("p/a", "a" + i, 2);
        sent.add(new Tuple2<>("p/a", "a" + i));
        broker.publish("p/b/x/y", "b" + i, 1);
        sent.add(new Tuple2<>("p/b/x/y", "b" + i));
      }
      broker.publish("p/c", "not subscribed", 1);

      assertThat(runUntilCount(driver, out, 100)).containsExactlyInAnyOrderElementsOf(sent);
      await().atMost(Duration.ofSeconds(5)).until(() -> MQTTUtils.stats(stream).acknowledged() == 100);
    }
  }

  @Test
  void pairedByteArrayStreamKeepsBinaryPayloadsAsSent() {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<Tuple2<String, byte[]>> stream = MQTTUtils.createPairedByteArrayStream(driver.context(),
          broker.url(), new String[] {"bin/#"}, MQTTOptions.builder().clientId("bytes-1").build());
      TestOutput<Tuple2<String, byte[]>> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80};
      broker.publish("bin/raw", binary, 1);
      broker.publish("bin/empty", new byte[0], 1);

      List<Tuple2<String, byte[]>> got = runUntilCount(driver, out, 2);
      assertThat(got).anySatisfy(t -> {
        assertThat(t._1()).isEqualTo("bin/raw");
        assertThat(t._2()).containsExactly(binary);
      });
      assertThat(got).anySatisfy(t -> {
        assertThat(t._1()).isEqualTo("bin/empty");
        assertThat(t._2()).isEmpty();
      });
    }
  }

  @Test
  void oversizedAndUndecodablePayloadsAreCountedAndReportedAndTheReceiverGoesOn() {
    try (StreamingTestDriver driver = driver()) {
      MqttTestSupport.Events events = new MqttTestSupport.Events();
      driver.context().addStreamingListener(events);
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "bad",
          MQTTOptions.builder().clientId("bad-1").maxPayloadBytes(100).build());
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      broker.publish("bad", "before", 1);
      broker.publish("bad", "x".repeat(101), 1);
      broker.publish("bad", new byte[] {'o', 'k', (byte) 0xc3, (byte) 0x28}, 1); // malformed UTF-8
      broker.publish("bad", new byte[] {(byte) 0xff}, 0);
      broker.publish("bad", "x".repeat(5000), 2);
      broker.publish("bad", "after é", 1);

      List<String> got = runUntil(driver, out, Duration.ofSeconds(20), all -> all.contains("after é"));
      assertThat(got).containsExactly("before", "after é");
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
        MQTTReceiverStats stats = MQTTUtils.stats(stream);
        assertThat(stats.received()).isEqualTo(6);
        assertThat(stats.oversized()).isEqualTo(2);
        assertThat(stats.undecodable()).isEqualTo(2);
        assertThat(stats.stored()).isEqualTo(2);
        // the bad QoS 1/2 ones are acknowledged too, so the broker does not send them again
        assertThat(stats.acknowledged()).isEqualTo(5);
      });
      await().atMost(Duration.ofSeconds(5)).until(() -> !events.errors.isEmpty());
      assertThat(events.errors.get(0)).contains("101 bytes", "topic 'bad'", "maxPayloadBytes (100)");
      // reports are rate-limited (one per 10 s), the counts are not
      assertThat(events.errors).hasSize(1);
      assertThat(events.stops).isEmpty();
      assertThat(MqttTestSupport.receiver(stream).isSubscribed()).isTrue();
    }
  }

  @Test
  void mqtt5SharedSubscriptionSplitsTheMessagesBetweenTwoReceivers() {
    try (StreamingTestDriver driver = driver()) {
      MQTTOptions.Builder options = MQTTOptions.builder().version(MQTTVersion.V5).qos(1);
      ReceiverInputDStream<String> first = MQTTUtils.createStream(driver.context(), broker.url(),
          "$share/workers/jobs/#", options.clientId("worker-1").build());
      ReceiverInputDStream<String> second = MQTTUtils.createStream(driver.context(), broker.url(),
          "$share/workers/jobs/#", options.clientId("worker-2").build());
      TestOutput<String> out1 = driver.collect(first);
      TestOutput<String> out2 = driver.collect(second);
      TestOutput<String> both = driver.collect(first.union(second));
      driver.start();
      awaitSubscribed(first, second);
      List<String> sent = broker.publishNumbered("jobs/j", "job", 200, 1);

      assertThat(runUntilCount(driver, both, 200)).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(out1.all()).isNotEmpty();
      assertThat(out2.all()).isNotEmpty();
      assertThat(new HashSet<>(out1.all())).doesNotContainAnyElementsOf(out2.all());
      assertThat(out1.all().size() + out2.all().size()).isEqualTo(200);
    }
  }

  @Test
  void mqtt5StreamWithReceiveMaximumAsksQos2AsQos1() {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "v5/q2",
          MQTTOptions.builder().version(MQTTVersion.V5).clientId("v5-q2").qos(2).receiveMaximum(10).build());
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> sent = broker.publishNumbered("v5/q2", "m", 100, 2);

      assertThat(runUntilCount(driver, out, 100)).containsExactlyInAnyOrderElementsOf(sent);
      // acknowledged after storing: QoS 1, never Paho's own QoS 2 completion
      await().atMost(Duration.ofSeconds(5)).until(() -> MQTTUtils.stats(stream).acknowledged() == 100);
    }
  }

  static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static List<String> values(List<Tuple2<String, String>> pairs) {
    return pairs.stream().map(Tuple2::_2).collect(Collectors.toList());
  }
}
