package io.tributary.kinesis;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The application {@link KinesisKillAndRecoverTest} runs in a child JVM and kills: a Kinesis
 * stream with the write-ahead log on, recoverable with getOrCreate. Every batch writes
 * "shard/sequence/subsequence" of its records to {@code <output>/batch-<batch ms>} (temp file +
 * rename). Arguments: checkpoint directory, Kinesis endpoint, DynamoDB endpoint, stream,
 * application name, output directory.
 */
public final class RecoverableKinesisApp {
  private RecoverableKinesisApp() {}

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    Path output = Path.of(args[5]);
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]")
          .setAppName("recoverable-kinesis").set("streaming.receiver.writeAheadLog.enable", "true"),
          Durations.milliseconds(500));
      created.checkpoint(checkpoint);
      KinesisInputDStream.builder().streamingContext(created).streamName(args[3]).checkpointAppName(args[4])
          .endpointUrl(args[1]).dynamoDBEndpointUrl(args[2]).cloudWatchEndpointUrl("http://127.0.0.1:9")
          .regionName(KinesisEmulators.REGION).kinesisCredentials(KinesisCredentials.basic("dummy", "dummy"))
          .metricsLevel(software.amazon.kinesis.metrics.MetricsLevel.NONE)
          .initialPosition(KinesisInitialPosition.trimHorizon())
          .pollingInterval(Durations.milliseconds(200)).failoverTime(Durations.seconds(3))
          .shardSyncInterval(Durations.seconds(1))
          .buildWithMessageHandler(r -> r.shardId() + "/" + r.sequenceNumber() + "/" + r.subSequenceNumber())
          .foreachRDD((rdd, time) -> {
            List<String> lines = new ArrayList<>(rdd.collect());
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
