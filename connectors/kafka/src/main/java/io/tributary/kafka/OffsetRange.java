package io.tributary.kafka;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * A range of offsets of one Kafka topic partition: from {@link #fromOffset()} (inclusive) to
 * {@link #untilOffset()} (exclusive). Each batch of a direct stream reads one or more ranges per
 * partition, and reading the same range again yields the same records (as long as Kafka still
 * holds them). On compacted or transactional topics a range may hold fewer records than {@link
 * #count()}: offsets of removed records, transaction markers and aborted records are skipped.
 */
public final class OffsetRange implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String topic;
  private final int partition;
  private final long fromOffset;
  private final long untilOffset;

  private OffsetRange(String topic, int partition, long fromOffset, long untilOffset) {
    if (topic == null || topic.isEmpty()) {
      throw new IllegalArgumentException("An offset range needs a topic name, got " + topic);
    }
    if (partition < 0) {
      throw new IllegalArgumentException("Partition must be >= 0, got " + partition + " for topic " + topic);
    }
    if (fromOffset < 0 || untilOffset < fromOffset) {
      throw new IllegalArgumentException("Offsets of " + topic + "-" + partition + " must satisfy 0 <= from <= until, got ["
          + fromOffset + ", " + untilOffset + ")");
    }
    this.topic = topic;
    this.partition = partition;
    this.fromOffset = fromOffset;
    this.untilOffset = untilOffset;
  }

  /** The range {@code [fromOffset, untilOffset)} of partition {@code partition} of {@code topic}. */
  public static OffsetRange create(String topic, int partition, long fromOffset, long untilOffset) {
    return new OffsetRange(topic, partition, fromOffset, untilOffset);
  }

  /** The range {@code [fromOffset, untilOffset)} of {@code topicPartition}. */
  public static OffsetRange create(TopicPartition topicPartition, long fromOffset, long untilOffset) {
    Objects.requireNonNull(topicPartition, "topicPartition");
    return new OffsetRange(topicPartition.topic(), topicPartition.partition(), fromOffset, untilOffset);
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  /** The first offset of the range (inclusive). */
  public long fromOffset() {
    return fromOffset;
  }

  /** The offset after the range (exclusive): where the next range of this partition starts. */
  public long untilOffset() {
    return untilOffset;
  }

  public TopicPartition topicPartition() {
    return new TopicPartition(topic, partition);
  }

  /** The number of offsets in the range: an upper bound of its records. */
  public long count() {
    return untilOffset - fromOffset;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OffsetRange r && r.topic.equals(topic) && r.partition == partition
        && r.fromOffset == fromOffset && r.untilOffset == untilOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, fromOffset, untilOffset);
  }

  /** {@code topic-partition [from, until)}. */
  @Override
  public String toString() {
    return topic + "-" + partition + " [" + fromOffset + ", " + untilOffset + ")";
  }
}
