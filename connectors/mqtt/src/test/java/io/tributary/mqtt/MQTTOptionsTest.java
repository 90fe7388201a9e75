package io.tributary.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad URLs, topics and options fail when the stream is defined, saying what is wrong. No broker needed. */
class MQTTOptionsTest {
  private StreamingTestDriver driver;
  private StreamingContext ssc;

  @BeforeEach
  void context() {
    driver = MqttTestSupport.driver();
    ssc = driver.context();
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "http://broker:1883 | the scheme 'http'",
      "broker:1883 | the scheme 'broker'",
      "localhost | no scheme",
      "tcp://:1883 | names no host",
      "tcp://my_broker:1883 | names no host",
      "tcp://user:pw@broker:1883 | carries credentials",
      "tcp://broker:1883/path | has a path",
      "tcp://bro ker:1883 | not a valid URL"})
  void badBrokerUrlsFailWhenTheStreamIsDefined(String url, String problem) {
    assertThatThrownBy(() -> MQTTUtils.createStream(ssc, url, "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(problem)
        .hasMessageContaining("brokerUrl");
  }

  @Test
  void brokerUrlsAreNormalized() {
    assertThat(receiver(MQTTUtils.createStream(ssc, "mqtt://broker", "t")).brokerUrl()).isEqualTo("tcp://broker:1883");
    assertThat(receiver(MQTTUtils.createStream(ssc, "MQTTS://broker", "t")).brokerUrl()).isEqualTo("ssl://broker:8883");
    assertThat(receiver(MQTTUtils.createStream(ssc, "ws://broker:8080/mqtt", "t")).brokerUrl())
        .isEqualTo("ws://broker:8080/mqtt");
    assertThat(receiver(MQTTUtils.createStream(ssc, "tcp://10.0.0.1:1884", "t")).brokerUrl())
        .isEqualTo("tcp://10.0.0.1:1884");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a/#/b", "a/b#", "a+/b", "", "$share/g", "$share//a", "$share/g+/a"})
  void badTopicFiltersFailNamingTheFilter(String topic) {
    assertThatThrownBy(() -> MQTTUtils.createStream(ssc, "tcp://broker", topic))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(topic.isEmpty() ? "empty" : "'" + topic + "'");
  }

  @Test
  void topicListsAreChecked() {
    assertThatThrownBy(() -> MQTTUtils.createPairedStream(ssc, "tcp://broker", new String[0]))
        .hasMessageContaining("At least one topic");
    assertThatThrownBy(() -> MQTTUtils.createPairedStream(ssc, "tcp://broker", new String[] {"a", "a"}))
        .hasMessageContaining("'a' is given twice");
    assertThatThrownBy(() -> MQTTUtils.createPairedStream(ssc, "tcp://broker", new String[] {"a", "b"},
        MQTTOptions.builder().qos("c", 2).build()))
        .hasMessageContaining("QoS for 'c', which is not among the topics a, b");
    MQTTUtils.createPairedStream(ssc, "tcp://broker", new String[] {"a/+/c", "a/#", "$share/g/x/#", "+"});
  }

  @Test
  void optionsAreCheckedWhenSet() {
    MQTTOptions.Builder b = MQTTOptions.builder();
    assertThatThrownBy(() -> b.qos(3)).hasMessageContaining("QoS must be 0, 1 or 2, got 3");
    assertThatThrownBy(() -> b.keepAlive(Duration.ofSeconds(70_000))).hasMessageContaining("keepAlive");
    assertThatThrownBy(() -> b.connectionTimeout(Duration.ofMillis(1500))).hasMessageContaining("whole seconds");
    assertThatThrownBy(() -> b.receiveMaximum(0)).hasMessageContaining("between 1 and 65535");
    assertThatThrownBy(() -> b.clientId("")).hasMessageContaining("must not be empty");
    assertThatThrownBy(() -> b.maxMessagesPerBlock(0)).hasMessageContaining("at least 1");
    assertThatThrownBy(() -> b.credentials(null, "pw")).hasMessageContaining("user name");
    assertThatThrownBy(() -> MQTTOptions.builder().receiveMaximum(10).build())
        .hasMessageContaining("receiveMaximum is an MQTT 5 setting");
    assertThatThrownBy(() -> MQTTVersion.ofProtocolLevel(6)).hasMessageContaining("use 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5");
    assertThat(MQTTVersion.ofProtocolLevel(4)).isEqualTo(MQTTVersion.V3_1_1);
  }

  @Test
  void tlsOptionsNeedATlsUrlAndReadableFiles(@TempDir Path dir) throws Exception {
    Path missing = dir.resolve("missing.p12");
    assertThatThrownBy(() -> MQTTUtils.createStream(ssc, "tcp://broker", "t",
        MQTTOptions.builder().trustStore(missing.toString(), "pw").build()))
        .hasMessageContaining("is not a TLS URL: use ssl://");
    assertThatThrownBy(() -> MQTTUtils.createStream(ssc, "ssl://broker", "t",
        MQTTOptions.builder().trustStore(missing.toString(), "pw").build()))
        .hasMessageContaining("trust store '" + missing + "' is not a readable file");
    Path present = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
    MQTTUtils.createStream(ssc, "ssl://broker", "t", MQTTOptions.builder().trustStore(present.toString(), null).build());
  }

  @Test
  void defaultsArePersistentQos1AndThePasswordIsNeverPrinted() {
    MQTTOptions o = MQTTOptions.builder().credentials("app", "hunter2").build();
    assertThat(o.qos()).isEqualTo(1);
    assertThat(o.cleanSession()).isFalse();
    assertThat(o.version()).isEqualTo(MQTTVersion.V3_1_1);
    assertThat(o.storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK_SER_2);
    assertThat(o.toString()).contains("username=app").doesNotContain("hunter2");
    assertThat(o.toBuilder().qos(0).build().qos()).isZero();
    assertThat(o.toBuilder().qos(0).build().password()).contains("hunter2");
  }

  @Test
  void aStreamWithoutClientIdGetsOneMadeUpOnceAndTheStorageLevelGiven() {
    MQTTReceiver<?> r = receiver(MQTTUtils.createStream(ssc, "tcp://broker", "t", StorageLevel.MEMORY_ONLY));
    assertThat(r.clientId()).matches("tributary-[0-9a-f]{12}").hasSizeLessThanOrEqualTo(23);
    assertThat(r.storageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY);
    assertThat(receiver(MQTTUtils.createStream(ssc, "tcp://broker", "t")).clientId()).isNotEqualTo(r.clientId());
  }

  @Test
  void theReceiverIsSerializable() throws Exception {
    MQTTReceiver<?> r = receiver(MQTTUtils.createPairedStream(ssc, "tcp://broker", new String[] {"a", "b"},
        MQTTOptions.builder().clientId("ser").credentials("u", "p").qos("b", 2).build()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(r);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      MQTTReceiver<?> copy = (MQTTReceiver<?>) in.readObject();
      assertThat(copy.clientId()).isEqualTo("ser");
      assertThat(copy.topicFilters()).containsExactly("a", "b");
      assertThat(copy.options().qos("b")).isEqualTo(2);
      assertThat(copy.stats().received()).isZero();
    }
  }

  @Test
  void statsNeedAnMqttStream() {
    assertThatThrownBy(() -> MQTTUtils.stats(ssc.socketTextStream("localhost", 9)))
        .hasMessageContaining("Not an MQTT stream");
  }

  private static MQTTReceiver<?> receiver(ReceiverInputDStream<?> stream) {
    return (MQTTReceiver<?>) stream.getReceiver();
  }
}
