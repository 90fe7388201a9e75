package io.tributary.kinesis;

import io.tributary.StorageLevel;
import io.tributary.function.Function;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.kinesis.metrics.MetricsLevel;

/**
 * A stream of the records of an Amazon Kinesis data stream, read by a Kinesis Client Library 2.x
 * scheduler in a receiver. Made with {@link #builder()}:
 *
 * <pre>{@code
 * KinesisInputDStream<byte[]> records = KinesisInputDStream.builder()
 *     .streamingContext(ssc)
 *     .streamName("clicks")
 *     .checkpointAppName("click-counter")     // the DynamoDB lease table, one per application
 *     .regionName("eu-west-1")
 *     .initialPosition(KinesisInitialPosition.trimHorizon())
 *     .build();
 * }</pre>
 *
 * <p>The receiver leases shards in the DynamoDB table named after the application (shared by
 * every receiver and process with that name, which balance the shards among themselves), stores
 * each fetched batch of a shard's records as one block, and checkpoints to the lease table only
 * sequence numbers whose block is stored (every {@code checkpointInterval}, and when it stops
 * or a shard ends): at least once, in order per shard. With {@code
 * streaming.receiver.writeAheadLog.enable} a crash loses nothing; without it, stored blocks not yet
 * processed are lost with the process although their records may be checkpointed. Records the
 * Kinesis Producer Library aggregated are de-aggregated. Resharding is followed: a parent shard
 * is read to its end before its children.
 */
public final class KinesisInputDStream<T> extends ReceiverInputDStream<T> {
  private final KinesisReceiver<T> receiver;

  private KinesisInputDStream(StreamingContext ssc, KinesisReceiver<T> receiver) {
    super(ssc, receiver);
    this.receiver = receiver;
  }

  /** A builder of a Kinesis stream; {@code streamingContext}, {@code streamName} and {@code checkpointAppName} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** The name of the Kinesis stream read. */
  public String streamName() {
    return receiver.settings().streamName();
  }

  /** Records stored, records skipped because the message handler failed, checkpoints written. */
  public KinesisReceiverStats stats() {
    return receiver.stats();
  }

  /**
   * The options of a Kinesis stream. Setters only record values; {@link #build()} checks them all
   * and names the option that is wrong.
   */
  public static final class Builder {
    private static final Pattern STREAM_NAME = Pattern.compile("[a-zA-Z0-9_.-]{1,128}");
    private static final Pattern TABLE_NAME = Pattern.compile("[a-zA-Z0-9_.-]{3,255}");
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private StreamingContext ssc;
    private String streamName;
    private String checkpointAppName;
    private String endpointUrl;
    private String dynamoDBEndpointUrl;
    private String cloudWatchEndpointUrl;
    private String regionName = "us-east-1";
    private KinesisInitialPosition initialPosition = KinesisInitialPosition.latest();
    private io.tributary.Duration checkpointInterval;
    private StorageLevel storageLevel = StorageLevel.MEMORY_AND_DISK_2;
    private KinesisCredentials kinesisCredentials = KinesisCredentials.defaultChain();
    private KinesisCredentials dynamoDBCredentials;
    private KinesisCredentials cloudWatchCredentials;
    private MetricsLevel metricsLevel = MetricsLevel.DETAILED;
    private KinesisRetrieval retrieval = KinesisRetrieval.POLLING;
    private io.tributary.Duration pollingInterval = io.tributary.Durations.milliseconds(1000);
    private int maxRecordsPerFetch = 10_000;
    private io.tributary.Duration failoverTime = io.tributary.Durations.milliseconds(10_000);
    private io.tributary.Duration shardSyncInterval = io.tributary.Durations.milliseconds(60_000);
    private String workerId;

    private Builder() {}

    /** The context the stream belongs to (required). */
    public Builder streamingContext(StreamingContext ssc) {
      this.ssc = ssc;
      return this;
    }

    /** The Kinesis stream to read (required). */
    public Builder streamName(String streamName) {
      this.streamName = streamName;
      return this;
    }

    /**
     * The KCL application name (required): the DynamoDB lease table holding leases and
     * checkpoints, and the fan-out consumer name. Receivers with the same name share the shards.
     */
    public Builder checkpointAppName(String checkpointAppName) {
      this.checkpointAppName = checkpointAppName;
      return this;
    }

    /** The Kinesis endpoint, e.g. a VPC endpoint or an emulator; default: the region's. */
    public Builder endpointUrl(String endpointUrl) {
      this.endpointUrl = endpointUrl;
      return this;
    }

    /** The DynamoDB endpoint of the lease table; default: the region's. */
    public Builder dynamoDBEndpointUrl(String dynamoDBEndpointUrl) {
      this.dynamoDBEndpointUrl = dynamoDBEndpointUrl;
      return this;
    }

    /** The CloudWatch endpoint the KCL metrics go to; default: the region's. */
    public Builder cloudWatchEndpointUrl(String cloudWatchEndpointUrl) {
      this.cloudWatchEndpointUrl = cloudWatchEndpointUrl;
      return this;
    }

    /** The AWS region of the stream, the lease table and the metrics; default {@code us-east-1}. */
    public Builder regionName(String regionName) {
      this.regionName = regionName;
      return this;
    }

    /** Where shards without a checkpoint start; default {@link KinesisInitialPosition#latest()}. */
    public Builder initialPosition(KinesisInitialPosition initialPosition) {
      this.initialPosition = initialPosition;
      return this;
    }

    /** How often each shard's stored position is checkpointed to the lease table; default: the batch interval. */
    public Builder checkpointInterval(io.tributary.Duration checkpointInterval) {
      this.checkpointInterval = checkpointInterval;
      return this;
    }

    /** Storage level of the received blocks; default {@code MEMORY_AND_DISK_2}. */
    public Builder storageLevel(StorageLevel storageLevel) {
      this.storageLevel = storageLevel;
      return this;
    }

    /** Credentials for Kinesis; default {@link KinesisCredentials#defaultChain()}. */
    public Builder kinesisCredentials(KinesisCredentials credentials) {
      this.kinesisCredentials = credentials;
      return this;
    }

    /** Credentials for the DynamoDB lease table; default: the Kinesis credentials. */
    public Builder dynamoDBCredentials(KinesisCredentials credentials) {
      this.dynamoDBCredentials = credentials;
      return this;
    }

    /** Credentials for CloudWatch metrics; default: the Kinesis credentials. */
    public Builder cloudWatchCredentials(KinesisCredentials credentials) {
      this.cloudWatchCredentials = credentials;
      return this;
    }

    /** KCL metrics published to CloudWatch: {@code NONE}, {@code SUMMARY} or {@code DETAILED} (the default). */
    public Builder metricsLevel(MetricsLevel metricsLevel) {
      this.metricsLevel = metricsLevel;
      return this;
    }

    /** Polling (the default) or enhanced fan-out; see {@link KinesisRetrieval}. */
    public Builder retrieval(KinesisRetrieval retrieval) {
      this.retrieval = retrieval;
      return this;
    }

    /** Polling only: the pause between two {@code GetRecords} calls on a shard; default 1 s (at most 5 calls/s per shard). */
    public Builder pollingInterval(io.tributary.Duration pollingInterval) {
      this.pollingInterval = pollingInterval;
      return this;
    }

    /** Polling only: records per {@code GetRecords} call, 1 to 10,000 (the default). */
    public Builder maxRecordsPerFetch(int maxRecordsPerFetch) {
      this.maxRecordsPerFetch = maxRecordsPerFetch;
      return this;
    }

    /**
     * How long a lease not renewed by its worker stays its own before another worker may take it
     * (KCL {@code failoverTimeMillis}); default 10 s. Shorter moves the shards of a dead worker
     * sooner, at more DynamoDB calls.
     */
    public Builder failoverTime(io.tributary.Duration failoverTime) {
      this.failoverTime = failoverTime;
      return this;
    }

    /**
     * The pause of KCL's shard sync (lease creation for new shards) after each run, its first run
     * at start-up included (KCL {@code shardSyncIntervalMillis}); default 60 s. The worker that
     * fills an empty lease table starts reading only after it.
     */
    public Builder shardSyncInterval(io.tributary.Duration shardSyncInterval) {
      this.shardSyncInterval = shardSyncInterval;
      return this;
    }

    /** This receiver's worker id in the lease table; default: the host name and a random id, new at each start. */
    public Builder workerId(String workerId) {
      this.workerId = workerId;
      return this;
    }

    /** The stream of the records' data. */
    public KinesisInputDStream<byte[]> build() {
      return buildWithMessageHandler(KinesisRecord::data);
    }

    /**
     * The stream of what {@code handler} makes of each record (it sees the partition key,
     * sequence number, shard and arrival time); it runs in the receiver, before storing. A
     * record whose handler throws is skipped, counted and reported.
     */
    public <T> KinesisInputDStream<T> buildWithMessageHandler(Function<KinesisRecord, T> handler) {
      if (handler == null) {
        throw new IllegalArgumentException("messageHandler must not be null");
      }
      if (ssc == null) {
        throw new IllegalArgumentException("streamingContext is required: call .streamingContext(ssc)");
      }
      KinesisSettings settings = settings(ssc.batchDuration());
      return new KinesisInputDStream<>(ssc, new KinesisReceiver<>(settings, handler));
    }

    private KinesisSettings settings(io.tributary.Duration batchInterval) {
      require(streamName, "streamName");
      if (!STREAM_NAME.matcher(streamName).matches()) {
        throw new IllegalArgumentException("streamName '" + streamName
            + "' is not a Kinesis stream name: 1 to 128 letters, digits, '_', '.' or '-'");
      }
      require(checkpointAppName, "checkpointAppName");
      if (!TABLE_NAME.matcher(checkpointAppName).matches()) {
        throw new IllegalArgumentException("checkpointAppName '" + checkpointAppName
            + "' cannot name a DynamoDB table: 3 to 255 letters, digits, '_', '.' or '-'");
      }
      require(regionName, "regionName");
      if (!REGION.matcher(regionName).matches()) {
        throw new IllegalArgumentException("regionName '" + regionName + "' is not an AWS region name such as us-east-1");
      }
      URI kinesis = endpoint(endpointUrl, "endpointUrl");
      URI dynamo = endpoint(dynamoDBEndpointUrl, "dynamoDBEndpointUrl");
      URI cloudWatch = endpoint(cloudWatchEndpointUrl, "cloudWatchEndpointUrl");
      notNull(initialPosition, "initialPosition");
      notNull(storageLevel, "storageLevel");
      notNull(kinesisCredentials, "kinesisCredentials");
      notNull(metricsLevel, "metricsLevel");
      notNull(retrieval, "retrieval");
      Duration checkpoint = positive(checkpointInterval == null ? batchInterval : checkpointInterval, "checkpointInterval");
      Duration polling = positive(pollingInterval, "pollingInterval");
      Duration failover = positive(failoverTime, "failoverTime");
      Duration shardSync = positive(shardSyncInterval, "shardSyncInterval");
      if (maxRecordsPerFetch < 1 || maxRecordsPerFetch > 10_000) {
        throw new IllegalArgumentException("maxRecordsPerFetch must be between 1 and 10000 (GetRecords' limit), not "
            + maxRecordsPerFetch);
      }
      if (workerId != null && workerId.isBlank()) {
        throw new IllegalArgumentException("workerId must not be blank (leave it unset for a generated one)");
      }
      return new KinesisSettings(streamName, checkpointAppName, regionName, kinesis, dynamo, cloudWatch,
          initialPosition, checkpoint, storageLevel, kinesisCredentials,
          dynamoDBCredentials == null ? kinesisCredentials : dynamoDBCredentials,
          cloudWatchCredentials == null ? kinesisCredentials : cloudWatchCredentials,
          metricsLevel, retrieval, polling, maxRecordsPerFetch, failover, shardSync, workerId);
    }

    private static void require(String value, String option) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(option + " is required: call ." + option + "(...)");
      }
    }

    private static void notNull(Object value, String option) {
      if (value == null) {
        throw new IllegalArgumentException(option + " must not be null");
      }
    }

    private static Duration positive(io.tributary.Duration value, String option) {
      if (value == null || value.milliseconds() <= 0) {
        throw new IllegalArgumentException(option + " must be a positive duration, not " + value);
      }
      return Duration.ofMillis(value.milliseconds());
    }

    private static URI endpoint(String url, String option) {
      if (url == null) {
        return null;
      }
      try {
        URI uri = new URI(url);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
            || uri.getHost() == null) {
          throw new IllegalArgumentException(option + " '" + url
              + "' is not an http(s) URL with a host, such as https://kinesis.us-east-1.amazonaws.com");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(option + " '" + url + "' is not a URL: " + e.getMessage(), e);
      }
    }
  }

  static String defaultWorkerId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getCanonicalHostName();
    } catch (java.io.IOException e) {
      host = "localhost";
    }
    return host + ":" + UUID.randomUUID();
  }
}
