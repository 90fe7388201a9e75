package io.tributary.examples;

import io.tributary.kafka.ConsumerStrategies;
import io.tributary.kafka.DirectKafkaInputDStream;
import io.tributary.kafka.KafkaSink;
import io.tributary.kafka.KafkaUtils;
import io.tributary.kafka.LocationStrategies;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka in, transform, Kafka out, exactly once: reads the input topics with a direct stream,
 * upper-cases each message and writes it to the output topic with an exactly-once {@link
 * KafkaSink}. Each task writes its records and commits its input offsets to the consumer group in
 * one Kafka transaction, so after a crash (even {@code kill -9}) and a restart, consumers of the
 * output with {@code isolation.level=read_committed} see every input message once. The checkpoint
 * directory keeps the batches' offset ranges across restarts.
 *
 * <p>Run: {@code java -cp examples/target/tributary-examples.jar io.tributary.examples.KafkaExactlyOnce
 * localhost:9092 upper-case in-topic1,in-topic2 out-topic /tmp/upper-case-checkpoint}
 */
public final class KafkaExactlyOnce {
  private KafkaExactlyOnce() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 5) {
      System.err.println("Usage: KafkaExactlyOnce <bootstrap servers> <application id> <input topics, comma separated> "
          + "<output topic> <checkpoint directory>");
      System.exit(1);
    }
    String servers = args[0];
    String application = args[1];
    String checkpoint = args[4];
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("KafkaExactlyOnce")
          .set("streaming.kafka.maxRatePerPartition", "10000");
      StreamingContext created = new StreamingContext(conf, Durations.seconds(1));
      created.checkpoint(checkpoint);
      Map<String, Object> kafkaParams = Map.of(
          "bootstrap.servers", servers,
          "group.id", application, // the sink commits the input offsets here, with the output
          "key.deserializer", StringDeserializer.class,
          "value.deserializer", StringDeserializer.class,
          "isolation.level", "read_committed", // the input may itself be written transactionally
          "auto.offset.reset", "earliest");
      DirectKafkaInputDStream<String, String> messages = KafkaUtils.createDirectStream(
          created, LocationStrategies.preferConsistent(),
          ConsumerStrategies.subscribe(Arrays.asList(args[2].split(",")), kafkaParams));

      KafkaSink<String> sink = KafkaSink.<String, String>builder()
          .bootstrapServers(servers)
          .valueSerializer(StringSerializer.class)
          .property("linger.ms", 5)
          .exactlyOnce(application) // transactional ids <application>-<input topic>-<input partition>
          .forValues(args[3]);
      // per-record steps only (map, filter, flatMap, mapPartitions): output partition i comes from input range i
      sink.writeStream(messages.map(record -> record.value().toUpperCase()));
      return created;
    });
    ssc.start();
    ssc.awaitTermination();
  }
}
