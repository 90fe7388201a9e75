package io.tributary.kafka.internal;

import io.tributary.TaskContext;
import io.tributary.kafka.HasOffsetRanges;
import io.tributary.kafka.OffsetRange;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of a list of Kafka offset ranges, one range per partition: a batch of a direct
 * stream, or a {@code createRdd} dataset. Reading a partition again reads the same range again.
 */
public final class KafkaRdd<K, V> extends Rdd<ConsumerRecord<K, V>> implements HasOffsetRanges {
  private final List<OffsetRange> ranges;
  private final OffsetRangeReader reader;
  private final Map<TopicPartition, String> preferredHosts;
  private final String groupId;
  private final Map<Integer, Long> readFrom = new ConcurrentHashMap<>();

  /**
   * @param groupId the consumer group of the stream the ranges belong to (where an exactly-once
   *     sink commits them), or null when unknown
   */
  public KafkaRdd(RddContext context, List<OffsetRange> ranges, OffsetRangeReader reader,
      Map<TopicPartition, String> preferredHosts, String groupId) {
    super(context);
    this.ranges = List.copyOf(ranges);
    this.reader = reader;
    this.preferredHosts = Map.copyOf(preferredHosts);
    this.groupId = groupId;
  }

  /** The consumer group of the stream that made this batch, or null (a {@code createRdd} without group). */
  public String groupId() {
    return groupId;
  }

  /**
   * Sink use: while set, partition {@code partition} reads its range from {@code offset} on
   * instead of from its start (the offsets before were already written by an earlier run). Only
   * for the job of that sink; {@link #clearReadFrom()} after it.
   */
  public void readFrom(int partition, long offset) {
    OffsetRange range = ranges.get(partition);
    if (offset < range.fromOffset() || offset > range.untilOffset()) {
      throw new IllegalArgumentException("Offset " + offset + " is outside range " + range);
    }
    readFrom.put(partition, offset);
  }

  /** Sink use: every partition reads its whole range again. */
  public void clearReadFrom() {
    readFrom.clear();
  }

  @Override
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

  @Override
  protected int getNumPartitions() {
    return ranges.size();
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  public Iterator<ConsumerRecord<K, V>> compute(int partition, TaskContext task) {
    OffsetRange range = ranges.get(partition);
    Long from = readFrom.get(partition);
    if (from != null) {
      range = OffsetRange.create(range.topicPartition(), from, range.untilOffset());
    }
    return reader.read(range);
  }

  @Override
  public String toString() {
    return "KafkaRdd" + ranges;
  }
}
