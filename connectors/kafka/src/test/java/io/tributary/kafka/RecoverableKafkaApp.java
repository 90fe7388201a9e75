package io.tributary.kafka;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The application {@link KafkaKillAndRecoverTest} runs in a child JVM and kills: a direct stream
 * whose output is idempotent per batch time, recoverable with getOrCreate. Every batch writes its
 * values to {@code <output>/batch-<batch ms>} (temp file + rename; a batch run again replaces it).
 * Arguments: checkpoint directory, bootstrap servers, topic, output directory.
 */
public final class RecoverableKafkaApp {
  private RecoverableKafkaApp() {}

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    String bootstrap = args[1];
    String topic = args[2];
    Path output = Path.of(args[3]);
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]")
          .setAppName("recoverable-kafka").set("streaming.kafka.maxRatePerPartition", "300"),
          Durations.milliseconds(300));
      created.checkpoint(checkpoint);
      Map<String, Object> params = Map.of(
          "bootstrap.servers", bootstrap,
          "group.id", "recoverable",
          "key.deserializer", StringDeserializer.class,
          "value.deserializer", StringDeserializer.class,
          "auto.offset.reset", "earliest");
      KafkaUtils.createDirectStream(created, LocationStrategies.preferConsistent(),
              ConsumerStrategies.<String, String>subscribe(List.of(topic), params))
          .map(ConsumerRecord::value)
          .foreachRDD((rdd, time) -> {
            List<String> lines = new ArrayList<>(rdd.collect());
            lines.sort(null);
            Path temp = output.resolve(".batch-" + time.milliseconds() + ".tmp");
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, output.resolve("batch-" + time.milliseconds()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          });
      return created;
    });
    ssc.start();
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }
}
