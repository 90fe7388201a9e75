package io.tributary.kafka;

import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka offset ranges of one dataset, one range per partition: a batch of a direct stream, or
 * a {@code createRdd} dataset. The dataset is a source over {@link KafkaSplit}s ({@link
 * RddContext#fromSplits}); reading a partition again reads the same range again. Immutable.
 */
final class KafkaRanges implements Serializable {
  private final List<OffsetRange> ranges;
  private final OffsetRangeReader reader;
  private final Map<TopicPartition, String> preferredHosts;
  private final String groupId;

  private KafkaRanges(List<OffsetRange> ranges, OffsetRangeReader reader, Map<TopicPartition, String> preferredHosts,
      String groupId) {
    this.ranges = List.copyOf(ranges);
    this.reader = reader;
    this.preferredHosts = Map.copyOf(preferredHosts);
    this.groupId = groupId;
  }

  /**
   * The dataset of the records of {@code ranges}, one partition per range.
   *
   * @param groupId the consumer group of the stream the ranges belong to (where an exactly-once
   *     sink commits them), or null when unknown
   */
  public static <K, V> Rdd<ConsumerRecord<K, V>> rdd(RddContext context, List<OffsetRange> ranges,
      OffsetRangeReader reader, Map<TopicPartition, String> preferredHosts, String groupId) {
    KafkaRanges batch = new KafkaRanges(ranges, reader, preferredHosts, groupId);
    List<KafkaSplit> splits = new ArrayList<>(batch.ranges.size());
    for (int i = 0; i < batch.ranges.size(); i++) {
      splits.add(new KafkaSplit(batch, i));
    }
    return context.fromSplits(splits, split -> split.batch().<K, V>read(split.index()));
  }

  /** The batch {@code rdd} reads, when it is a Kafka source dataset itself (not one computed from it). */
  public static Optional<KafkaRanges> of(Rdd<?> rdd) {
    List<?> splits = rdd.splits().orElse(List.of());
    return !splits.isEmpty() && splits.get(0) instanceof KafkaSplit split ? Optional.of(split.batch()) : Optional.empty();
  }

  /** The consumer group of the stream that made this batch, or null (a {@code createRdd} without group). */
  public String groupId() {
    return groupId;
  }

  /** The ranges read, one per partition (a copy). */
  public OffsetRange[] offsetRanges() {
    return ranges.toArray(new OffsetRange[0]);
  }

  /** The ranges read, one per partition. */
  public List<OffsetRange> ranges() {
    return ranges;
  }

  /** The host the task of {@code partition} would rather run on (location strategy), if any. */
  public Optional<String> preferredLocation(int partition) {
    return Optional.ofNullable(preferredHosts.get(ranges.get(partition).topicPartition()));
  }

  /**
   * The records of range {@code partition}: all of them, except in the tasks of an exactly-once
   * sink's job that resumes the range where an earlier run's commit ended ({@link TransactionPlan}).
   */
  private <K, V> Iterator<ConsumerRecord<K, V>> read(int partition) {
    return reader.read(TransactionPlan.rangeToRead(ranges.get(partition)));
  }

  @Override
  public String toString() {
    return "KafkaRanges" + ranges;
  }
}
