package io.tributary.examples;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.kinesis.KinesisInitialPosition;
import io.tributary.kinesis.KinesisInputDStream;
import io.tributary.streaming.StreamingContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.KinesisClientBuilder;

/**
 * Counts the words of the records of a Kinesis stream every 2 seconds. The KCL leases and
 * checkpoints live in the DynamoDB table named after the application: stop the application, put
 * records, start it again with the same application name, and it resumes where it checkpointed.
 *
 * <p>{@code java -cp examples/target/tributary-examples.jar io.tributary.examples.KinesisWordCount
 * <stream> <application> [region] [kinesis endpoint] [dynamodb endpoint]}; credentials come from
 * the SDK's default chain. {@code ... KinesisWordCount put <stream> [region] [kinesis endpoint]}
 * puts a line of words every 100 ms. Against the kinesalite/dynalite emulators, add
 * {@code -Daws.cborEnabled=false} and {@code AWS_ACCESS_KEY_ID} / {@code AWS_SECRET_ACCESS_KEY} of
 * any value; metrics go to CloudWatch unless the endpoints are given (then they are off).
 */
public final class KinesisWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private KinesisWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 2 && args[0].equals("put")) {
      put(args[1], args.length > 2 ? args[2] : "us-east-1", args.length > 3 ? args[3] : null);
      return;
    }
    if (args.length < 2) {
      System.err.println("Usage: KinesisWordCount <stream> <application> [region] [kinesis endpoint] [dynamodb endpoint]\n"
          + "       KinesisWordCount put <stream> [region] [kinesis endpoint]");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("KinesisWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));
    KinesisInputDStream.Builder builder = KinesisInputDStream.builder()
        .streamingContext(ssc)
        .streamName(args[0])
        .checkpointAppName(args[1])
        .regionName(args.length > 2 ? args[2] : "us-east-1")
        .initialPosition(KinesisInitialPosition.trimHorizon());
    if (args.length > 4) {
      builder.endpointUrl(args[3]).dynamoDBEndpointUrl(args[4])
          .metricsLevel(software.amazon.kinesis.metrics.MetricsLevel.NONE);
    }
    KinesisInputDStream<byte[]> records = builder.build();
    records.map(bytes -> new String(bytes, StandardCharsets.UTF_8))
        .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
        .filter(word -> !word.isEmpty())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    ssc.start();
    ssc.awaitTermination();
  }

  /** Puts a line of words every 100 ms, until stopped. */
  private static void put(String stream, String region, String endpoint) throws Exception {
    String[] words = "the quick brown fox jumps over the lazy dog".split(" ");
    KinesisClientBuilder builder = KinesisClient.builder().region(Region.of(region));
    if (endpoint != null) {
      builder.endpointOverride(URI.create(endpoint));
    }
    try (KinesisClient kinesis = builder.build()) {
      for (long i = 0; ; i++) {
        String line = words[(int) (i % words.length)] + " " + words[(int) ((i * 7) % words.length)];
        long n = i;
        kinesis.putRecord(b -> b.streamName(stream).partitionKey("line-" + n)
            .data(SdkBytes.fromString(line, StandardCharsets.UTF_8)));
        Thread.sleep(100);
      }
    }
  }
}
