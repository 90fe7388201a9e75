package io.tributary.kinesis;

import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * Not a test (not run by {@code mvn verify}): records/s of 100-byte records read through the
 * emulator by a plain KCL consumer loop and by a Tributary Kinesis stream, from the same
 * pre-loaded stream (2 shards, TRIM_HORIZON, polling every 200 ms, 10,000 records per call).
 * Timed from the first records to the last (the plain loop's count, the receiver's stored
 * records; all are then counted by the pipeline too), so KCL's start-up is left out. Run with
 * {@code mvn -pl core,connectors/kinesis -am test -Dtest=KinesisThroughputBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dkinesis.bench.records=100000}.
 */
@ExtendWith(KinesisEmulators.class)
class KinesisThroughputBench {
  private static final int RECORDS = Integer.getInteger("kinesis.bench.records", 50_000);
  private static final String STREAM = "bench";
  private static final AtomicLong TRIBUTARY_COUNT = new AtomicLong(); // records counted by the pipeline

  @Test
  void plainKclLoopAgainstTributary() throws Exception {
    KinesisEmulators.createStream(STREAM, 2);
    long putStart = System.nanoTime();
    byte[] value = new byte[100];
    for (int start = 0; start < RECORDS; start += 500) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = start; i < Math.min(RECORDS, start + 500); i++) {
        entries.add(KinesisEmulators.entry("k" + i, value));
      }
      KinesisEmulators.put(STREAM, entries);
    }
    double putSeconds = (System.nanoTime() - putStart) / 1e9;
    System.out.printf("BENCH put %d records in %.1f s: %.0f records/s%n", RECORDS, putSeconds, RECORDS / putSeconds);

    for (int run = 0; run < Integer.getInteger("kinesis.bench.runs", 1); run++) {
      // alternate which reads first: the first reader of a run pays for the emulator's warm-up
      double plain;
      double tributary;
      if (run % 2 == 0) {
        plain = plainKcl("bench-plain-" + run);
        tributary = tributary("bench-tributary-" + run);
      } else {
        tributary = tributary("bench-tributary-" + run);
        plain = plainKcl("bench-plain-" + run);
      }
      System.out.printf("BENCH run %d (" + (run % 2 == 0 ? "plain first" : "Tributary first") + "): plain KCL %.0f records/s, Tributary %.0f records/s (%.2f)%n", run, plain,
          tributary, tributary / plain);
    }
  }

  private static double plainKcl(String app) throws Exception {
    AtomicLong count = new AtomicLong();
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy"));
    Region region = Region.of(KinesisEmulators.REGION);
    KinesisAsyncClient kinesis = KinesisAsyncClient.builder().region(region).credentialsProvider(credentials)
        .endpointOverride(URI.create(KinesisEmulators.kinesisEndpoint()))
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
    DynamoDbAsyncClient dynamo = DynamoDbAsyncClient.builder().region(region).credentialsProvider(credentials)
        .endpointOverride(URI.create(KinesisEmulators.dynamoEndpoint())).build();
    CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials)
        .endpointOverride(URI.create("http://127.0.0.1:9")).build();
    ConfigsBuilder configs = new ConfigsBuilder(STREAM, app, kinesis, dynamo, cloudWatch, app + "-worker",
        () -> new ShardRecordProcessor() {
          @Override
          public void initialize(InitializationInput input) {}

          @Override
          public void processRecords(ProcessRecordsInput input) {
            count.addAndGet(input.records().size());
          }

          @Override
          public void leaseLost(LeaseLostInput input) {}

          @Override
          public void shardEnded(ShardEndedInput input) {}

          @Override
          public void shutdownRequested(ShutdownRequestedInput input) {}
        });
    Scheduler scheduler = new Scheduler(configs.checkpointConfig(), configs.coordinatorConfig(),
        configs.leaseManagementConfig().shardSyncIntervalMillis(1000).failoverTimeMillis(3000),
        configs.lifecycleConfig(),
        configs.metricsConfig().metricsLevel(MetricsLevel.NONE).metricsFactory(new NullMetricsFactory()),
        configs.processorConfig(),
        configs.retrievalConfig()
            .initialPositionInStreamExtended(InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON))
            .retrievalSpecificConfig(new PollingConfig(STREAM, kinesis).idleTimeBetweenReadsInMillis(200).maxRecords(10_000)));
    Thread thread = new Thread(scheduler, "bench-plain-kcl");
    thread.setDaemon(true);
    thread.start();
    try {
      return measure(count::get);
    } finally {
      scheduler.shutdown();
      kinesis.close();
      dynamo.close();
      cloudWatch.close();
    }
  }

  /**
   * Records/s between the first time {@code count} is seen above 0 and the time it reaches all
   * records (polled every 5 ms): the records of the first fetch are left out of the count.
   */
  private static double measure(java.util.function.LongSupplier count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    long firstAt = 0;
    long firstCount = 0;
    while (System.nanoTime() < deadline) {
      long n = count.getAsLong();
      if (firstAt == 0 && n > 0) {
        firstAt = System.nanoTime();
        firstCount = n;
      }
      if (n >= RECORDS) {
        return (n - firstCount) / ((System.nanoTime() - firstAt) / 1e9);
      }
      Thread.sleep(5);
    }
    throw new AssertionError("Not all " + RECORDS + " records read in 3 minutes: " + count.getAsLong());
  }

  private static double tributary(String app) throws InterruptedException {
    StreamingContext ssc = new StreamingContext(new StreamingConf().setMaster("local[2]").setAppName("bench"),
        Durations.milliseconds(500));
    KinesisInputDStream<byte[]> stream = KinesisEmulators.builder(ssc, STREAM, app).maxRecordsPerFetch(10_000).build();
    stream.count().foreachRDD(rdd -> {
      rdd.collect().forEach(TRIBUTARY_COUNT::addAndGet);
    });
    ssc.start();
    try {
      double rate = measure(() -> stream.stats().recordsStored());
      await().atMost(Duration.ofSeconds(30)).until(() -> TRIBUTARY_COUNT.get() >= RECORDS);
      return rate;
    } finally {
      ssc.stop();
    }
  }

}
