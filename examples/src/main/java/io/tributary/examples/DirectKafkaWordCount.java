package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.kafka.ConsumerStrategies;
import io.tributary.kafka.DirectKafkaInputDStream;
import io.tributary.kafka.KafkaUtils;
import io.tributary.kafka.LocationStrategies;
import io.tributary.kafka.OffsetRange;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Counts the words of the messages of Kafka topics every 2 seconds, with a direct stream, and
 * commits the offsets to the consumer group once each batch's counts are printed (a restart
 * continues from there: at least once).
 *
 * <p>Run: {@code java -cp examples/target/tributary-examples.jar
 * io.tributary.examples.DirectKafkaWordCount localhost:9092 word-count topic1,topic2}
 */
public final class DirectKafkaWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private DirectKafkaWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: DirectKafkaWordCount <bootstrap servers> <group id> <topics, comma separated>");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("DirectKafkaWordCount")
        .set("streaming.kafka.maxRatePerPartition", "10000");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));
    Map<String, Object> kafkaParams = Map.of(
        "bootstrap.servers", args[0],
        "group.id", args[1],
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class,
        "auto.offset.reset", "earliest");
    DirectKafkaInputDStream<String, String> messages = KafkaUtils.createDirectStream(
        ssc, LocationStrategies.preferConsistent(),
        ConsumerStrategies.subscribe(Arrays.asList(args[2].split(",")), kafkaParams));

    messages.map(ConsumerRecord::value)
        .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    // outputs run in the order they were defined: the counts are printed before the commit
    messages.foreachRDD(rdd -> {
      OffsetRange[] ranges = KafkaUtils.offsetRanges(rdd);
      messages.commitAsync(ranges);
    });

    ssc.start();
    ssc.awaitTermination();
  }
}
