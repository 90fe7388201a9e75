package io.tributary.kafka;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.PairDStream;
import io.tributary.streaming.StreamingContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Entry point of the Kafka connector: streams and datasets of Kafka records.
 *
 * <pre>{@code
 * DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(
 *     ssc, LocationStrategies.preferConsistent(),
 *     ConsumerStrategies.<String, String>subscribe(List.of("words"), kafkaParams));
 * stream.map(ConsumerRecord::value) ... ;
 * stream.foreachRDD(rdd -> {
 *   OffsetRange[] ranges = KafkaUtils.offsetRanges(rdd);
 *   ... output ...
 *   stream.commitAsync(ranges);
 * });
 * }</pre>
 *
 * <p>Consumer records are not serializable: map them to your own values before a window, a
 * shuffle or a serialized persist.
 */
public final class KafkaUtils {
  private KafkaUtils() {}

  /**
   * A stream of the records of the partitions {@code consumerStrategy} names, without receiver:
   * each batch reads the offset ranges it computed at its batch time (see {@link
   * DirectKafkaInputDStream} for rate limits and guarantees). Rate bounds come from the context's
   * configuration.
   */
  public static <K, V> DirectKafkaInputDStream<K, V> createDirectStream(
      StreamingContext ssc, LocationStrategy locationStrategy, ConsumerStrategy<K, V> consumerStrategy) {
    KafkaClients.require();
    Objects.requireNonNull(ssc, "ssc");
    return createDirectStream(ssc, locationStrategy, consumerStrategy, PerPartitionConfig.fromConf(ssc.conf()));
  }

  /** Like {@link #createDirectStream(StreamingContext, LocationStrategy, ConsumerStrategy)}, with per-partition rate bounds. */
  public static <K, V> DirectKafkaInputDStream<K, V> createDirectStream(
      StreamingContext ssc, LocationStrategy locationStrategy, ConsumerStrategy<K, V> consumerStrategy,
      PerPartitionConfig perPartitionConfig) {
    KafkaClients.require();
    Objects.requireNonNull(ssc, "ssc");
    Objects.requireNonNull(locationStrategy, "locationStrategy: use LocationStrategies.preferConsistent()");
    Objects.requireNonNull(consumerStrategy, "consumerStrategy: use ConsumerStrategies.subscribe(topics, kafkaParams)");
    Objects.requireNonNull(perPartitionConfig, "perPartitionConfig");
    return new DirectKafkaInputDStream<>(ssc, locationStrategy, consumerStrategy, perPartitionConfig);
  }

  /**
   * A stream of the (key, value) pairs of {@code topicThreads}' topics, read by a reliable
   * receiver with as many consumer threads per topic as given, as members of the consumer group
   * {@code group.id} (Kafka balances the partitions over them and over other members). Each poll's
   * records are stored as one block before their offsets are committed, so nothing is lost when
   * the application fails: turn on {@code streaming.receiver.writeAheadLog.enable} to also survive
   * a driver failure. Records may be delivered twice after a failure (at least once); prefer
   * {@link #createDirectStream} for exactly-once.
   */
  public static <K, V> PairDStream<K, V> createStream(
      StreamingContext ssc, Map<String, Object> kafkaParams, Map<String, Integer> topicThreads,
      StorageLevel storageLevel) {
    KafkaClients.require();
    Objects.requireNonNull(ssc, "ssc");
    Objects.requireNonNull(topicThreads, "topicThreads");
    Objects.requireNonNull(storageLevel, "storageLevel");
    if (topicThreads.isEmpty() || topicThreads.values().stream().anyMatch(n -> n == null || n < 1)) {
      throw new IllegalArgumentException("createStream needs at least one topic, each with at least one thread; got "
          + topicThreads);
    }
    return PairDStream.fromDStream(
        ssc.receiverStream(new KafkaReceiver<K, V>(KafkaParams.forStream(kafkaParams), topicThreads, storageLevel)));
  }

  /**
   * The Kafka offset ranges {@code rdd} was read from, one per partition: partition {@code i} of
   * {@code rdd} reads (or was computed alone from) {@code offsetRanges()[i]}, so inside a task
   * {@code offsetRanges(rdd)[TaskContext.get().partitionId()]} is its range. For a batch dataset of
   * a direct stream, a {@code createRdd} dataset, or a dataset computed from one partition by
   * partition (map, filter, mapPartitions, ...; Spark's {@code ((HasOffsetRanges) rdd).offsetRanges()}).
   *
   * @return a copy: changing it changes nothing
   * @throws IllegalArgumentException when {@code rdd} is not such a dataset (e.g. after a shuffle),
   *     naming the step
   */
  public static OffsetRange[] offsetRanges(Rdd<?> rdd) {
    Objects.requireNonNull(rdd, "rdd");
    return OutputLineage.offsetRanges(rdd);
  }

  /**
   * A dataset of the records of {@code offsetRanges}, one partition per range, for batch jobs
   * (e.g. reprocessing what a stream read); {@link #offsetRanges} gives its ranges back. {@code
   * kafkaParams} need {@code bootstrap.servers} and both deserializers; {@code group.id} is
   * optional (an exactly-once {@link KafkaSink} writing the dataset commits the ranges there). The ranges must still be in Kafka when the dataset is computed.
   *
   * @throws IllegalArgumentException for {@link LocationStrategies#preferBrokers()}, which needs a
   *     stream's consumer: use preferConsistent or preferFixed
   */
  public static <K, V> Rdd<ConsumerRecord<K, V>> createRdd(
      RddContext rddContext, Map<String, Object> kafkaParams, OffsetRange[] offsetRanges,
      LocationStrategy locationStrategy) {
    KafkaClients.require();
    Objects.requireNonNull(rddContext, "rddContext");
    Objects.requireNonNull(offsetRanges, "offsetRanges");
    Objects.requireNonNull(locationStrategy, "locationStrategy: use LocationStrategies.preferConsistent()");
    if (locationStrategy instanceof LocationStrategy.PreferBrokers) {
      throw new IllegalArgumentException("createRdd cannot use preferBrokers (it has no consumer to find the leaders): "
          + "use LocationStrategies.preferConsistent() or preferFixed(hosts)");
    }
    List<OffsetRange> ranges = List.of(offsetRanges);
    Map<String, Object> executorParams = KafkaParams.forExecutor(KafkaParams.forRdd(kafkaParams));
    Map<org.apache.kafka.common.TopicPartition, String> hosts =
        locationStrategy instanceof LocationStrategy.PreferFixed fixed ? fixed.hostMap() : Map.of();
    Object group = kafkaParams.get(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_ID_CONFIG);
    return KafkaRanges.<K, V>rdd(rddContext, ranges, OffsetRangeReader.fromConf(rddContext.conf(), executorParams), hosts,
        group == null || group.toString().isBlank() ? null : group.toString());
  }
}
