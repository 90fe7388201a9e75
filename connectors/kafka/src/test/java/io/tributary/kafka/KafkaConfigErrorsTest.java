package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** Bad consumer parameters and strategies fail when the stream is defined, naming what to fix. */
class KafkaConfigErrorsTest {
  private static Map<String, Object> params() {
    return new HashMap<>(Map.of(
        "bootstrap.servers", "127.0.0.1:1",
        "group.id", "g",
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class.getName()));
  }

  private static Map<String, Object> without(String key) {
    Map<String, Object> p = params();
    p.remove(key);
    return p;
  }

  @Test
  void missingGroupIdNamesTheKey() {
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), without("group.id")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'group.id' is missing");
  }

  @Test
  void missingDeserializersNameTheKey() {
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), without("key.deserializer")))
        .hasMessageContaining("'key.deserializer' is missing").hasMessageContaining("StringDeserializer");
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), without("value.deserializer")))
        .hasMessageContaining("'value.deserializer' is missing");
  }

  @Test
  void missingBootstrapServersNamesTheKey() {
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), without("bootstrap.servers")))
        .hasMessageContaining("'bootstrap.servers' is missing");
  }

  @Test
  void deserializerInstancesAreRejectedBecauseTasksMakeTheirOwnConsumers() {
    Map<String, Object> p = params();
    p.put("value.deserializer", new StringDeserializer());
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), p))
        .hasMessageContaining("'value.deserializer' must be a Deserializer class or class name");
  }

  @Test
  void unknownOffsetResetPolicyIsRejected() {
    Map<String, Object> p = params();
    p.put("auto.offset.reset", "smallest");
    assertThatThrownBy(() -> ConsumerStrategies.subscribe(List.of("t"), p))
        .hasMessageContaining("'auto.offset.reset' must be earliest, latest or none, got 'smallest'");
  }

  @Test
  void autoCommitIsForcedOff() {
    Map<String, Object> p = params();
    p.put("enable.auto.commit", "true");
    assertThat(ConsumerStrategies.subscribe(List.of("t"), p).kafkaParams()).containsEntry("enable.auto.commit", false);
  }

  @Test
  void startingOffsetsOfPartitionsNotAssignedAreRejected() {
    TopicPartition p0 = new TopicPartition("t", 0);
    TopicPartition p1 = new TopicPartition("t", 1);
    assertThatThrownBy(() -> ConsumerStrategies.assign(List.of(p0), params(), Map.of(p1, 3L)))
        .hasMessageContaining("[t-1]").hasMessageContaining("not among the assigned partitions");
  }

  @Test
  void createRddRejectsPreferBrokers() {
    try (RddContext context = new RddContext(new StreamingConf().setMaster("local[1]").setAppName("x"))) {
      assertThatThrownBy(() -> KafkaUtils.createRdd(context, params(),
          new OffsetRange[] {OffsetRange.create("t", 0, 0, 1)}, LocationStrategies.preferBrokers()))
          .hasMessageContaining("preferConsistent");
    }
  }

  @Test
  void offsetRangesMustNotRunBackwards() {
    assertThatThrownBy(() -> OffsetRange.create("t", 0, 5, 4)).hasMessageContaining("t-0").hasMessageContaining("[5, 4)");
  }

  @Test
  void anUnreachableBootstrapServerFailsTheStartAtOnceNamingIt() throws Exception {
    int closed;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort(); // nothing listens there once it is closed
    }
    Map<String, Object> p = params();
    p.put("bootstrap.servers", "127.0.0.1:" + closed);
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("unreachable")
        .set("streaming.kafka.connectTimeout", "1s");
    io.tributary.streaming.StreamingContext ssc =
        new io.tributary.streaming.StreamingContext(conf, io.tributary.Durations.seconds(1));
    try {
      KafkaUtils.createDirectStream(ssc, LocationStrategies.preferConsistent(),
          ConsumerStrategies.<String, String>subscribe(List.of("t"), p)).foreachRDD(rdd -> rdd.count());
      assertThatThrownBy(ssc::start)
          .hasMessageContaining("None of the Kafka bootstrap servers [127.0.0.1:" + closed + "] could be reached within 1000 ms")
          .hasMessageContaining("Connection refused")
          .hasMessageContaining("streaming.kafka.connectTimeout");
    } finally {
      ssc.stop();
    }
  }

  @Test
  void aBootstrapServerThatIsNotHostAndPortIsNamed() {
    Map<String, Object> p = params();
    p.put("bootstrap.servers", "localhost");
    assertThatThrownBy(() -> KafkaParams.requireReachable(p, 100))
        .hasMessageContaining("'localhost', which is not host:port");
  }

  @Test
  void sparksSpellingOfTheFactoriesGivesTheSameStrategiesAndChecks() {
    assertThat(LocationStrategies.PreferConsistent()).isInstanceOf(LocationStrategies.preferConsistent().getClass());
    assertThat(LocationStrategies.PreferBrokers()).isInstanceOf(LocationStrategies.preferBrokers().getClass());
    assertThat(ConsumerStrategies.<String, String>Subscribe(List.of("t"), params()).kafkaParams())
        .isEqualTo(ConsumerStrategies.<String, String>subscribe(List.of("t"), params()).kafkaParams());
    assertThat(ConsumerStrategies.<String, String>Assign(List.of(new TopicPartition("t", 0)), params()))
        .isInstanceOf(ConsumerStrategies.<String, String>assign(List.of(new TopicPartition("t", 0)), params()).getClass());
    assertThat(ConsumerStrategies.<String, String>SubscribePattern(java.util.regex.Pattern.compile("t.*"), params()))
        .isInstanceOf(ConsumerStrategies.<String, String>subscribePattern(java.util.regex.Pattern.compile("t.*"), params()).getClass());
    assertThatThrownBy(() -> ConsumerStrategies.Subscribe(List.of("t"), without("group.id")))
        .hasMessageContaining("group.id");
  }
}
