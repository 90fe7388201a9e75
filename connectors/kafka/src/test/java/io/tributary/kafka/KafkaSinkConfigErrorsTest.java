package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import io.tributary.Time;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad sink settings fail when the sink is built, and datasets an exactly-once sink cannot write
 * fail before anything is written: each error names what to change. No broker needed.
 */
class KafkaSinkConfigErrorsTest {
  private RddContext context;

  @BeforeEach
  void context() {
    context = new RddContext(new StreamingConf().setMaster("local[1]").setAppName("sink-errors"));
  }

  @AfterEach
  void close() {
    context.close();
  }

  private static KafkaSink.Builder<String, String> builder() {
    return KafkaSink.<String, String>builder().bootstrapServers("127.0.0.1:1")
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class);
  }

  private static KafkaSink<String> exactlyOnce() {
    return builder().exactlyOnce("app").forValues("out");
  }

  private Rdd<ConsumerRecord<String, String>> kafka(String group, OffsetRange... ranges) {
    Map<String, Object> params = new HashMap<>(Map.of("bootstrap.servers", "127.0.0.1:1",
        "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class));
    if (group != null) {
      params.put("group.id", group);
    }
    return KafkaUtils.createRdd(context, params, ranges, LocationStrategies.preferConsistent());
  }

  private Rdd<ConsumerRecord<String, String>> kafka() {
    return kafka("g", OffsetRange.create("in", 0, 0, 5), OffsetRange.create("in", 1, 0, 5));
  }

  @Test
  void missingSettingsAreNamed() {
    assertThatThrownBy(() -> KafkaSink.<String, String>builder().valueSerializer(StringSerializer.class).forValues("t"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'bootstrap.servers' is missing");
    assertThatThrownBy(() -> KafkaSink.<String, String>builder().bootstrapServers("h:1").forValues("t"))
        .hasMessageContaining("'value.serializer' is missing").hasMessageContaining("valueSerializer(");
    assertThatThrownBy(() -> KafkaSink.<String, String>builder().bootstrapServers("h:1")
        .valueSerializer(StringSerializer.class).forPairs("t"))
        .hasMessageContaining("'key.serializer' is missing");
    // values have no key: no key serializer needed
    assertThat(KafkaSink.<String, String>builder().bootstrapServers("h:1").valueSerializer(StringSerializer.class)
        .forValues("t").guarantee()).isEqualTo(KafkaSink.Guarantee.AT_LEAST_ONCE);
    assertThatThrownBy(() -> builder().forValues(" ")).hasMessageContaining("needs a topic name");
  }

  @Test
  void exactlyOnceSettingsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> builder().exactlyOnce(" ").forValues("t"))
        .hasMessageContaining("exactlyOnce needs a transactional id prefix");
    assertThatThrownBy(() -> builder().property("transactional.id", "x").exactlyOnce("app").forValues("t"))
        .hasMessageContaining("'transactional.id' is made by the sink").hasMessageContaining("exactlyOnce(prefix)");
    assertThatThrownBy(() -> builder().property("enable.idempotence", false).exactlyOnce("app").forValues("t"))
        .hasMessageContaining("'enable.idempotence' must stay true");
    assertThatThrownBy(() -> builder().property("acks", "1").exactlyOnce("app").forValues("t"))
        .hasMessageContaining("'acks' must be all");
  }

  @Test
  void badValuesAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> builder().property("linger.ms", "soon").forValues("t"))
        .hasMessageContaining("Bad KafkaSink setting").hasMessageContaining("linger.ms");
    assertThatThrownBy(() -> builder().property("partitioner.class", new Object()).forValues("t"))
        .hasMessageContaining("'partitioner.class' has a value of type java.lang.Object");
  }

  @Test
  void theSinkIsSerializableWithItsOutputOperation() throws Exception {
    KafkaSink<String> sink = builder().property("linger.ms", 5).exactlyOnce("app").forValues("out");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(sink);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      KafkaSink<?> copy = (KafkaSink<?>) in.readObject();
      assertThat(copy.guarantee()).isEqualTo(KafkaSink.Guarantee.EXACTLY_ONCE);
      assertThat(copy.transactionalId(new org.apache.kafka.common.TopicPartition("in", 3))).isEqualTo("app-in-3");
    }
  }

  @Test
  void exactlyOnceRefusesOutputsWhosePartitionsDoNotLineUpWithTheInputRanges() {
    Rdd<Tuple2<String, Integer>> counts = kafka().map(ConsumerRecord::value)
        .mapToPair(v -> new Tuple2<>(v, 1)).reduceByKey(Integer::sum);
    KafkaSink<Tuple2<String, Integer>> pairs = KafkaSink.<String, Integer>builder().bootstrapServers("127.0.0.1:1")
        .keySerializer(StringSerializer.class).valueSerializer(org.apache.kafka.common.serialization.IntegerSerializer.class)
        .exactlyOnce("app").forPairs("out");
    assertThatThrownBy(() -> pairs.write(counts, new Time(1000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("goes through a shuffle (reduceByKey")
        .hasMessageContaining("partition by partition").hasMessageContaining("atLeastOnce()");

    Rdd<String> values = kafka().map(ConsumerRecord::value);
    assertThatThrownBy(() -> exactlyOnce().write(values.union(values), new Time(1000)))
        .hasMessageContaining("goes through a union");
    assertThatThrownBy(() -> exactlyOnce().write(values.coalesce(1), new Time(1000)))
        .hasMessageContaining("goes through coalesce");
    assertThatThrownBy(() -> exactlyOnce().write(context.parallelize(List.of("a")), new Time(1000)))
        .hasMessageContaining("not a Kafka direct stream batch (ParallelCollectionRdd)");
  }

  @Test
  void exactlyOnceRefusesSplitRangesAndDatasetsWithoutGroup() {
    Rdd<String> split = kafka("g", OffsetRange.create("in", 0, 0, 5), OffsetRange.create("in", 0, 5, 9))
        .map(ConsumerRecord::value);
    assertThatThrownBy(() -> exactlyOnce().write(split, new Time(1000)))
        .hasMessageContaining("reads in-0 in several ranges").hasMessageContaining("streaming.kafka.maxRecordsPerTask");

    Rdd<String> noGroup = kafka(null, OffsetRange.create("in", 0, 0, 5)).map(ConsumerRecord::value);
    assertThatThrownBy(() -> exactlyOnce().write(noGroup, new Time(1000)))
        .hasMessageContaining("the Kafka dataset has none").hasMessageContaining("writeWithOffsets");
  }

  @Test
  void writeWithOffsetsChecksTheRangesAndNeedsExactlyOnce() {
    Rdd<ConsumerRecord<String, String>> batch = kafka();
    OffsetRange[] ranges = KafkaUtils.offsetRanges(batch);
    Rdd<String> values = batch.map(ConsumerRecord::value);
    OffsetRange[] other = {ranges[1], ranges[0]};
    assertThatThrownBy(() -> exactlyOnce().writeWithOffsets(values, other, "g2", new Time(1000)))
        .hasMessageContaining("are not those the output was computed from");
    KafkaSink<String> atLeastOnce = builder().forValues("out");
    assertThatThrownBy(() -> atLeastOnce.writeWithOffsets(values, ranges, "g2", new Time(1000)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("exactlyOnce(prefix)")
        .hasMessageContaining("commitAsync");
  }

  @Test
  void offsetRangesAreFoundThroughPartitionByPartitionStepsAndRefusedAfterAShuffle() {
    OffsetRange[] ranges = {OffsetRange.create("in", 0, 0, 5), OffsetRange.create("in", 1, 3, 7)};
    Rdd<ConsumerRecord<String, String>> batch = kafka("g", ranges);
    assertThat(KafkaUtils.offsetRanges(batch)).containsExactly(ranges);
    Rdd<Tuple2<String, Integer>> mapped = batch.map(ConsumerRecord::value).filter(v -> !v.isEmpty())
        .mapToPair(v -> new Tuple2<>(v, 1));
    assertThat(KafkaUtils.offsetRanges(mapped)).containsExactly(ranges);
    // a copy: changing it changes nothing
    KafkaUtils.offsetRanges(batch)[0] = ranges[1];
    assertThat(KafkaUtils.offsetRanges(batch)).containsExactly(ranges);
    assertThatThrownBy(() -> KafkaUtils.offsetRanges(io.tributary.rdd.PairRdd.fromRdd(mapped).reduceByKey(Integer::sum)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no Kafka offset ranges").hasMessageContaining("a shuffle");
    assertThatThrownBy(() -> KafkaUtils.offsetRanges(context.parallelize(List.of("a"))))
        .hasMessageContaining("not a Kafka direct stream batch (ParallelCollectionRdd)");
  }
}
