package io.tributary.mqtt;

import static io.tributary.mqtt.MqttTestSupport.awaitSubscribed;
import static io.tributary.mqtt.MqttTestSupport.driver;
import static io.tributary.mqtt.MqttTestSupport.receiver;
import static io.tributary.mqtt.MqttTestSupport.runUntil;
import static io.tributary.mqtt.MqttTestSupport.runUntilCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * At QoS 1 and 2 nothing the broker accepted is lost: not when the receiver restarts while it holds
 * unacknowledged messages, not when the application is down while messages are published.
 */
class MQTTReliabilityTest {
  /** No broker-side in-flight limit, so that a restart finds hundreds of messages unacknowledged. */
  @RegisterExtension
  static final MosquittoBroker broker = MosquittoBroker.plain().with("max_inflight_messages 0");

  @ParameterizedTest(name = "{0} QoS {1}")
  @CsvSource({"V3_1_1, 1", "V3_1_1, 2", "V5, 1"})
  void noMessageIsLostWhenTheConnectionBreaksWhileTheReceiverHoldsUnacknowledgedMessages(MQTTVersion version, int qos)
      throws Exception {
    String topic = "cut/" + version + "/" + qos;
    try (TcpProxy network = new TcpProxy(broker.port()); StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), network.url(), topic,
          holdingOptions(version, qos, "cut-" + version + "-" + qos));
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      MQTTReceiver<?> receiver = receiver(stream);

      List<String> sent = new ArrayList<>(broker.publishNumbered(topic, "before", 300, qos));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> receiver.stats().received() >= 300);
      assertThat(receiver.stats().stored()).as("nothing stored yet").isZero();
      network.cut();
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.stats().connections() == 2 && receiver.isSubscribed());
      sent.addAll(broker.publishNumbered(topic, "after", 300, qos));

      List<String> got = runUntil(driver, out, Duration.ofSeconds(20), all -> new HashSet<>(all).containsAll(sent));
      assertThat(got).containsExactlyInAnyOrderElementsOf(sent); // each once: the dropped ones were never stored
      MQTTReceiverStats stats = receiver.stats();
      assertThat(stats.connectionsLost()).isEqualTo(1);
      assertThat(stats.discarded()).as("dropped unacknowledged when the connection broke").isEqualTo(300);
      assertThat(stats.received()).as("the broker sent the 300 again").isEqualTo(900);
      if (qos == 1 && version != MQTTVersion.V5) { // Paho's MQTT 5 client drops the DUP flag
        assertThat(stats.duplicates()).as("redelivered with the DUP flag").isEqualTo(300);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(value = MQTTVersion.class, names = {"V3_1_1", "V5"})
  void aRestartWhileConnectedStoresAndAcknowledgesWhatItHoldsFirst(MQTTVersion version) {
    String topic = "restart/" + version;
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), topic,
          holdingOptions(version, 1, "restart-" + version));
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      MQTTReceiver<?> receiver = receiver(stream);

      List<String> sent = new ArrayList<>(broker.publishNumbered(topic, "before", 300, 1));
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(5))
          .until(() -> receiver.stats().received() >= 300);
      receiver.restart("test: restart while holding unacknowledged messages");
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.stats().connections() == 2 && receiver.isSubscribed());
      sent.addAll(broker.publishNumbered(topic, "after", 300, 1));

      List<String> got = runUntil(driver, out, Duration.ofSeconds(20), all -> new HashSet<>(all).containsAll(sent));
      assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
      MQTTReceiverStats stats = receiver.stats();
      assertThat(stats.discarded()).isZero();
      assertThat(stats.received()).as("nothing sent twice").isEqualTo(600);
      assertThat(stats.acknowledged()).isEqualTo(600);
      // the restart disconnected cleanly (a DISCONNECT packet, not a dropped socket)
      assertThat(broker.log()).contains("Client restart-" + version + " disconnected.");
    }
  }

  @Test
  void qos2MessagesReleasedByTheBrokerSurviveAProcessRestartInThePersistenceDirectory(@TempDir Path dir)
      throws Exception {
    MQTTOptions options = MQTTOptions.builder().qos(2).clientId("qos2-files").persistenceDirectory(dir.toString())
        .blockInterval(Duration.ofSeconds(2)).idleFlush(Duration.ZERO)
        .reconnectDelay(Duration.ofSeconds(30)).build();
    List<String> sent;
    try (TcpProxy network = new TcpProxy(broker.port())) { // Paho keeps its files per client id and URL
      try (StreamingTestDriver driver = driver()) {
        ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), network.url(), "files", options);
        driver.collect(stream);
        driver.start();
        awaitSubscribed(stream);
        sent = broker.publishNumbered("files", "m", 100, 2);
        // delivered to the receiver = released by the broker (PUBREL): only the client's state has them now
        await().atMost(Duration.ofSeconds(10)).until(() -> MQTTUtils.stats(stream).received() >= 100);
        network.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> MQTTUtils.stats(stream).connectionsLost() == 1);
        assertThat(MQTTUtils.stats(stream).stored()).isZero();
      } // the application stops before reconnecting: a new process would start from the directory
      try (StreamingTestDriver driver = driver()) {
        ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), network.url(), "files", options);
        TestOutput<String> out = driver.collect(stream);
        driver.start();
        assertThat(runUntilCount(driver, out, 100)).containsExactlyInAnyOrderElementsOf(sent);
      }
    }
  }

  /** Options that hold what arrives for 2 s before storing it, and reconnect after 50 ms. */
  private static MQTTOptions holdingOptions(MQTTVersion version, int qos, String clientId) {
    return MQTTOptions.builder().version(version).qos(qos).clientId(clientId)
        .blockInterval(Duration.ofSeconds(2)).idleFlush(Duration.ZERO)
        .reconnectDelay(Duration.ofMillis(50)).build();
  }

  @ParameterizedTest
  @EnumSource(value = MQTTVersion.class, names = {"V3_1_1", "V5"})
  void persistentSessionDeliversWhatWasPublishedWhileTheApplicationWasDown(MQTTVersion version) {
    String topic = "resume/" + version;
    MQTTOptions options = MQTTOptions.builder().version(version).clientId("resume-" + version).build();
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), topic, options);
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> up = broker.publishNumbered(topic, "up", 50, 1);
      assertThat(runUntilCount(driver, out, 50)).containsExactlyInAnyOrderElementsOf(up);
      await().atMost(Duration.ofSeconds(5)).until(() -> MQTTUtils.stats(stream).acknowledged() == 50);
    }
    List<String> down = broker.publishNumbered(topic, "down", 100, 1);
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), topic, options);
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      List<String> got = runUntilCount(driver, out, 100);
      assertThat(got).as("all published while down, none of the acknowledged ones again")
          .containsExactlyInAnyOrderElementsOf(down);
    }
  }

  @Test
  void cleanSessionForgetsWhatWasPublishedWhileTheApplicationWasDown() {
    MQTTOptions options = MQTTOptions.builder().clientId("clean-1").cleanSession(true).build();
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "clean", options);
      driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
    }
    broker.publishNumbered("clean", "lost", 20, 1);
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), broker.url(), "clean", options);
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> sent = broker.publishNumbered("clean", "new", 5, 1);
      Set<String> got = new HashSet<>(runUntilCount(driver, out, 5));
      driver.advance(3);
      assertThat(out.all()).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(got).allMatch(s -> s.startsWith("new"));
    }
  }
}
