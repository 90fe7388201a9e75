package io.tributary.kinesis;

import io.tributary.function.Function;
import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.streaming.receiver.Receiver;
import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.KinesisClientUtil;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * Runs one KCL {@link Scheduler} (one worker of the application's lease table) on a thread of its
 * own; its record processors ({@link ShardProcessor}, one per leased shard) store and checkpoint.
 * A scheduler that ends by itself (it could not initialize, e.g. the stream does not exist) restarts
 * the receiver.
 */
final class KinesisReceiver<T> extends Receiver<T> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KinesisReceiver.class);

  private final KinesisSettings settings;
  private final Function<KinesisRecord, T> handler;
  private final BadInputReporter badInput = new BadInputReporter(10_000);
  private transient volatile Counters counters;
  private transient volatile Running running;

  KinesisReceiver(KinesisSettings settings, Function<KinesisRecord, T> handler) {
    super(settings.storageLevel());
    this.settings = settings;
    this.handler = handler;
  }

  KinesisSettings settings() {
    return settings;
  }

  Function<KinesisRecord, T> handler() {
    return handler;
  }

  BadInputReporter badInput() {
    return badInput;
  }

  /** Counters shared by this receiver's processors; made on first use (a checkpointed receiver starts at 0). */
  Counters counters() {
    Counters c = counters;
    if (c == null) {
      synchronized (this) {
        if (counters == null) {
          counters = new Counters();
        }
        c = counters;
      }
    }
    return c;
  }

  KinesisReceiverStats stats() {
    Counters c = counters();
    return new KinesisReceiverStats(c.recordsStored.get(), c.blocksStored.get(), c.recordsSkipped.get(),
        c.checkpoints.get(), c.shardsEnded.get(), c.schedulerStarts.get());
  }

  @Override
  public void onStart() {
    Running r = new Running();
    running = r;
    r.start();
  }

  @Override
  public void onStop() {
    Running r = running;
    running = null;
    if (r != null) {
      r.close();
    }
  }

  /** Counters of one receiver. */
  static final class Counters {
    final AtomicLong recordsStored = new AtomicLong();
    final AtomicLong blocksStored = new AtomicLong();
    final AtomicLong recordsSkipped = new AtomicLong();
    final AtomicLong checkpoints = new AtomicLong();
    final AtomicLong shardsEnded = new AtomicLong();
    final AtomicLong schedulerStarts = new AtomicLong();
  }

  /** The clients, the scheduler and its thread of one start of the receiver. */
  private final class Running {
    private final String workerId =
        settings.workerId() != null ? settings.workerId() : KinesisInputDStream.defaultWorkerId();
    private KinesisAsyncClient kinesis;
    private DynamoDbAsyncClient dynamo;
    private CloudWatchAsyncClient cloudWatch;
    private Scheduler scheduler;
    private Thread thread;
    private volatile boolean closing;

    void start() {
      try {
        Region region = Region.of(settings.regionName());
        kinesis = kinesisClient(region);
        var dynamoBuilder = DynamoDbAsyncClient.builder().region(region)
            .credentialsProvider(settings.dynamoDBCredentials().provider());
        endpoint(settings.dynamoDBEndpoint(), dynamoBuilder::endpointOverride);
        dynamo = dynamoBuilder.build();
        var cloudWatchBuilder = CloudWatchAsyncClient.builder().region(region)
            .credentialsProvider(settings.cloudWatchCredentials().provider());
        endpoint(settings.cloudWatchEndpoint(), cloudWatchBuilder::endpointOverride);
        cloudWatch = cloudWatchBuilder.build();
        scheduler = scheduler();
      } catch (Exception e) {
        closeClients();
        throw new IllegalStateException("Could not set up the Kinesis client of stream '" + settings.streamName()
            + "' (region " + settings.regionName() + "): " + e.getMessage(), e);
      }
      thread = new Thread(this::run, "kinesis-scheduler-" + settings.streamName() + "-" + streamId());
      thread.setDaemon(true);
      counters().schedulerStarts.incrementAndGet();
      LOG.info("Kinesis receiver of stream '{}' starts worker '{}' of application '{}'", settings.streamName(),
          workerId, settings.applicationName());
      thread.start();
    }

    private KinesisAsyncClient kinesisClient(Region region) throws Exception {
      AwsCredentialsProvider credentials = settings.kinesisCredentials().provider();
      KinesisAsyncClientBuilder builder = KinesisAsyncClient.builder().region(region).credentialsProvider(credentials);
      endpoint(settings.kinesisEndpoint(), builder::endpointOverride);
      if (settings.retrieval() == KinesisRetrieval.ENHANCED_FAN_OUT) {
        return KinesisClientUtil.createKinesisAsyncClient(builder); // HTTP/2, as SubscribeToShard needs
      }
      return builder.httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
    }

    private void endpoint(URI uri, java.util.function.Consumer<URI> set) {
      if (uri != null) {
        set.accept(uri);
      }
    }

    private Scheduler scheduler() {
      ConfigsBuilder configs = new ConfigsBuilder(settings.streamName(), settings.applicationName(), kinesis, dynamo,
          cloudWatch, workerId, () -> new ShardProcessor<>(KinesisReceiver.this));
      RetrievalConfig retrieval = configs.retrievalConfig()
          .initialPositionInStreamExtended(settings.initialPosition().toKcl());
      if (settings.retrieval() == KinesisRetrieval.POLLING) {
        retrieval.retrievalSpecificConfig(new PollingConfig(settings.streamName(), kinesis)
            .idleTimeBetweenReadsInMillis(settings.pollingInterval().toMillis())
            .maxRecords(settings.maxRecordsPerFetch()));
      } else {
        retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(settings.streamName())
            .applicationName(settings.applicationName()));
      }
      MetricsConfig metrics = configs.metricsConfig().metricsLevel(settings.metricsLevel());
      if (settings.metricsLevel() == MetricsLevel.NONE) {
        metrics.metricsFactory(new NullMetricsFactory());
      }
      return new Scheduler(configs.checkpointConfig(), configs.coordinatorConfig(),
          configs.leaseManagementConfig().failoverTimeMillis(settings.failoverTime().toMillis())
              .shardSyncIntervalMillis(settings.shardSyncInterval().toMillis()),
          configs.lifecycleConfig(), metrics,
          configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true), retrieval);
    }

    private void run() {
      try {
        scheduler.run();
      } catch (RuntimeException e) {
        if (!closing) {
          restart("The KCL scheduler of stream '" + settings.streamName() + "' failed", e);
        }
        return;
      }
      if (!closing && !isStopped()) {
        restart("The KCL scheduler of stream '" + settings.streamName() + "' ended by itself (see its log: "
            + "does the stream exist, may these credentials read it and the lease table '"
            + settings.applicationName() + "'?)");
      }
    }

    /** Graceful shutdown first, so that every processor checkpoints what it stored; then the hard stop. */
    void close() {
      closing = true;
      try {
        if (scheduler != null && thread != null && thread.isAlive()) {
          // KCL forces the shutdown once the failover time has passed
          boolean done = scheduler.startGracefulShutdown().get(shutdownWaitMs(), TimeUnit.MILLISECONDS);
          if (!done) {
            LOG.warn("Kinesis worker '{}' did not shut down gracefully", workerId);
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception e) {
        LOG.warn("Graceful shutdown of Kinesis worker '{}' failed: {}", workerId, e.toString());
      } finally {
        if (scheduler != null) {
          scheduler.shutdown();
        }
        if (thread != null) {
          try {
            thread.join(shutdownWaitMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        closeClients();
      }
    }

    private long shutdownWaitMs() {
      return settings.failoverTime().toMillis() + 5_000;
    }

    private void closeClients() {
      for (AutoCloseable client : java.util.Arrays.<AutoCloseable>asList(kinesis, dynamo, cloudWatch)) {
        if (client != null) {
          try {
            client.close();
          } catch (Exception e) {
            LOG.debug("Closing a client failed", e);
          }
        }
      }
    }
  }

  /** Stores one shard's records as a block; returns once stored (throws when the receiver stopped). */
  void storeBlock(List<T> records, SequenceNumberRange range) {
    store(records, range);
    Counters c = counters();
    c.recordsStored.addAndGet(records.size());
    c.blocksStored.incrementAndGet();
  }
}
