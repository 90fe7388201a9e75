package io.tributary.kafka;

import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Which Kafka partitions a direct stream reads, with which consumer parameters, from which
 * offsets. Made with {@link ConsumerStrategies}; implement it to choose partitions another way.
 *
 * <p>A direct stream does not join its consumer group as a member: it owns every partition the
 * strategy returns (one stream per group id), so no rebalance ever takes partitions away from it.
 * The group id names where offsets are committed ({@link CanCommitOffsets}) and the committed
 * offsets it starts from.
 */
public interface ConsumerStrategy<K, V> {
  /** The Kafka consumer parameters (validated when the strategy was made). */
  Map<String, Object> kafkaParams();

  /**
   * Offsets to start from for some partitions, overriding the group's committed offsets; the
   * other partitions start at their committed offset, else as {@code auto.offset.reset} says.
   */
  Map<TopicPartition, Long> startingOffsets();

  /**
   * The partitions to read now, called when the stream starts and before every batch (which is
   * how partitions added later are picked up). {@code metadata} is the stream's driver consumer,
   * to be used for metadata only ({@code partitionsFor}, {@code listTopics}); it is not
   * thread-safe and must not be kept.
   */
  Set<TopicPartition> partitions(Consumer<K, V> metadata);

  /** A short description, like {@code subscribe[orders,payments]}: used in logs and checkpoint keys. */
  String describe();
}
