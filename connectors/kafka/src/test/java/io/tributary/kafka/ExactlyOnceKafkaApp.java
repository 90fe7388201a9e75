package io.tributary.kafka;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The application {@link KafkaExactlyOnceKillTest} runs in a child JVM and kills: Kafka in, map,
 * Kafka out with an exactly-once {@link KafkaSink}, recoverable with getOrCreate. Arguments:
 * checkpoint directory, bootstrap servers, input topic, output topic.
 */
public final class ExactlyOnceKafkaApp {
  private ExactlyOnceKafkaApp() {}

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    String bootstrap = args[1];
    String input = args[2];
    String output = args[3];
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]")
          .setAppName("exactly-once-kafka").set("streaming.kafka.maxRatePerPartition", "300"),
          Durations.milliseconds(300));
      created.checkpoint(checkpoint);
      Map<String, Object> params = Map.of(
          "bootstrap.servers", bootstrap,
          "group.id", "exactly-once-app",
          "key.deserializer", StringDeserializer.class,
          "value.deserializer", StringDeserializer.class,
          "auto.offset.reset", "earliest");
      DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(created,
          LocationStrategies.preferConsistent(), ConsumerStrategies.<String, String>subscribe(List.of(input), params));
      KafkaSink<String> sink = KafkaSink.<String, String>builder()
          .bootstrapServers(bootstrap)
          .valueSerializer(StringSerializer.class)
          .property("linger.ms", 5)
          .exactlyOnce("exactly-once-app")
          .forValues(output);
      sink.writeStream(stream.map(r -> {
        Thread.sleep(1); // slow tasks: transactions stay open long enough for the kills to hit some
        return "out:" + r.value();
      }));
      return created;
    });
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }
}
