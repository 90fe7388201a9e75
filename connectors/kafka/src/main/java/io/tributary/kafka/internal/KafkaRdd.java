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

  public KafkaRdd(RddContext context, List<OffsetRange> ranges, OffsetRangeReader reader,
      Map<TopicPartition, String> preferredHosts) {
    super(context);
    this.ranges = List.copyOf(ranges);
    this.reader = reader;
    this.preferredHosts = Map.copyOf(preferredHosts);
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
    return reader.read(ranges.get(partition));
  }

  @Override
  public String toString() {
    return "KafkaRdd" + ranges;
  }
}
