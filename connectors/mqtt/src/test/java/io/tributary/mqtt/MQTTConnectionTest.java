package io.tributary.mqtt;

import static io.tributary.mqtt.MqttTestSupport.awaitSubscribed;
import static io.tributary.mqtt.MqttTestSupport.driver;
import static io.tributary.mqtt.MqttTestSupport.runUntil;
import static io.tributary.mqtt.MqttTestSupport.runUntilCount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS, user names and passwords, and what happens when the broker cannot be reached or refuses. */
class MQTTConnectionTest {
  @RegisterExtension
  static final MosquittoBroker broker = MosquittoBroker.withTlsAndAuth();

  private static final Duration FAST_RETRY = Duration.ofMillis(50);

  @ParameterizedTest
  @EnumSource(value = MQTTVersion.class, names = {"V3_1_1", "V5"})
  void tlsWithThePemCaFileOfTheBroker(MQTTVersion version) {
    receivesOver(broker.tlsUrl(), MQTTOptions.builder().version(version)
        .trustStore(broker.caPem().toString(), null).build(), "tls/pem/" + version);
  }

  @Test
  void tlsWithAPkcs12TrustStore() {
    receivesOver(broker.tlsUrl(), MQTTOptions.builder()
        .trustStore(broker.trustStore().toString(), MosquittoBroker.STORE_PASSWORD).build(), "tls/p12");
  }

  @Test
  void tlsWithoutTrustInTheBrokersCertificateFailsClearlyAndIsRetried() {
    MQTTReceiverStats stats = failsRepeatedly(broker.tlsUrl(), MQTTOptions.builder().reconnectDelay(FAST_RETRY).build(),
        "Could not connect to MQTT broker " + broker.tlsUrl(), "TLS handshake failed", "trust store");
    assertThat(stats.connections()).isZero();
  }

  @Test
  void tlsWithAClientCertificateFromAKeyStore() {
    receivesOver(broker.mutualTlsUrl(), MQTTOptions.builder()
        .trustStore(broker.caPem().toString(), null)
        .keyStore(broker.clientKeyStore().toString(), MosquittoBroker.STORE_PASSWORD).build(), "tls/client-cert");
  }

  @Test
  void aBrokerThatWantsAClientCertificateRefusesOneWithoutAndThatIsReported() {
    failsRepeatedly(broker.mutualTlsUrl(), MQTTOptions.builder().reconnectDelay(FAST_RETRY)
            .trustStore(broker.caPem().toString(), null).build(),
        "Could not connect to MQTT broker " + broker.mutualTlsUrl(), "certificate_required", "key store", "reconnecting");
  }

  @Test
  void credentialsAreSent() {
    receivesOver(broker.authUrl(), MQTTOptions.builder()
        .credentials(MosquittoBroker.USER, MosquittoBroker.PASSWORD).build(), "auth/ok");
  }

  @ParameterizedTest
  @EnumSource(value = MQTTVersion.class, names = {"V3_1_1", "V5"})
  void aWrongPasswordIsReportedClearlyAndRetried(MQTTVersion version) {
    failsRepeatedly(broker.authUrl(), MQTTOptions.builder().version(version).reconnectDelay(FAST_RETRY)
            .credentials(MosquittoBroker.USER, "wrong").build(),
        "Could not connect to MQTT broker " + broker.authUrl(), "MQTTOptions.credentials", "reconnecting");
  }

  @Test
  void noCredentialsWhereTheBrokerWantsThemIsReportedClearly() {
    failsRepeatedly(broker.authUrl(), MQTTOptions.builder().reconnectDelay(FAST_RETRY).build(),
        "Could not connect to MQTT broker " + broker.authUrl(), "MQTTOptions.credentials");
  }

  @Test
  void anUnreachableBrokerIsRetriedUntilItIsUpThenALostConnectionIsRetriedToo() throws Exception {
    int port = MosquittoBroker.freePort();
    String url = "tcp://127.0.0.1:" + port;
    try (StreamingTestDriver driver = driver()) {
      MqttTestSupport.Events events = new MqttTestSupport.Events();
      driver.context().addStreamingListener(events);
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), url, "late",
          MQTTOptions.builder().clientId("late-1").reconnectDelay(FAST_RETRY).build());
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.errors.size() >= 2);
      assertThat(events.errors.get(0)).contains("Could not connect to MQTT broker " + url, "nothing listens there");

      MosquittoBroker late = MosquittoBroker.startOn(port);
      try {
        awaitSubscribed(stream);
        late.publishNumbered("late", "a", 10, 1);
        runUntilCount(driver, out, 10);

        late.close(); // the broker goes away mid-stream...
        await().atMost(Duration.ofSeconds(10)).until(() -> MQTTUtils.stats(stream).connectionsLost() == 1);
        assertThat(events.errors).anyMatch(e -> e.contains("Lost the connection to MQTT broker " + url));
        late = MosquittoBroker.startOn(port); // ...and comes back (empty: it kept no sessions)
        awaitSubscribed(stream);
        List<String> after = late.publishNumbered("late", "b", 10, 1);
        List<String> got = runUntil(driver, out, Duration.ofSeconds(20), all -> all.containsAll(after));
        assertThat(got).hasSize(20);
        assertThat(events.stops).isEmpty();
      } finally {
        late.close();
      }
    }
  }

  @Test
  void withoutAutomaticReconnectTheReceiverStopsOnTheFirstFailure() {
    String url = "tcp://127.0.0.1:" + MosquittoBroker.freePort();
    try (StreamingTestDriver driver = driver()) {
      MqttTestSupport.Events events = new MqttTestSupport.Events();
      driver.context().addStreamingListener(events);
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), url, "t",
          MQTTOptions.builder().automaticReconnect(false).build());
      driver.collect(stream);
      driver.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> !events.stops.isEmpty());
      assertThat(events.stops.get(0)).contains("Could not connect", url, "automaticReconnect is off");
      MosquittoBroker.sleep(300);
      assertThat(MQTTUtils.stats(stream).connectFailures()).isEqualTo(1);
    }
  }

  // ---------------------------------------------------------------- helpers

  private static void receivesOver(String url, MQTTOptions options, String topic) {
    try (StreamingTestDriver driver = driver()) {
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), url, topic, options);
      TestOutput<String> out = driver.collect(stream);
      driver.start();
      awaitSubscribed(stream);
      List<String> sent = broker.publishNumbered(topic, "m", 20, 1);
      assertThat(runUntilCount(driver, out, 20)).containsExactlyInAnyOrderElementsOf(sent);
    }
  }

  /** Connecting fails at least twice with an error report containing all of {@code fragments}. */
  private static MQTTReceiverStats failsRepeatedly(String url, MQTTOptions options, String... fragments) {
    try (StreamingTestDriver driver = driver()) {
      MqttTestSupport.Events events = new MqttTestSupport.Events();
      driver.context().addStreamingListener(events);
      ReceiverInputDStream<String> stream = MQTTUtils.createStream(driver.context(), url, "never", options);
      driver.collect(stream);
      driver.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> events.errors.size() >= 2);
      assertThat(events.errors).allSatisfy(e -> assertThat(e).contains(fragments));
      assertThat(events.stops).isEmpty();
      MQTTReceiverStats stats = MQTTUtils.stats(stream);
      assertThat(stats.connectFailures()).isGreaterThanOrEqualTo(2);
      return stats;
    }
  }
}
