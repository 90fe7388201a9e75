package io.tributary.kinesis;

import io.tributary.StorageLevel;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import software.amazon.kinesis.metrics.MetricsLevel;

/** The validated options of one Kinesis stream, as the builder made them; serializable with the receiver. */
record KinesisSettings(
    String streamName,
    String applicationName,
    String regionName,
    URI kinesisEndpoint,
    URI dynamoDBEndpoint,
    URI cloudWatchEndpoint,
    KinesisInitialPosition initialPosition,
    Duration checkpointInterval,
    StorageLevel storageLevel,
    KinesisCredentials kinesisCredentials,
    KinesisCredentials dynamoDBCredentials,
    KinesisCredentials cloudWatchCredentials,
    MetricsLevel metricsLevel,
    KinesisRetrieval retrieval,
    Duration pollingInterval,
    int maxRecordsPerFetch,
    Duration failoverTime,
    Duration shardSyncInterval,
    String workerId) implements Serializable {}
