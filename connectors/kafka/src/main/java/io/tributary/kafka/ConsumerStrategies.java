package io.tributary.kafka;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The {@link ConsumerStrategy} factories. Each takes the Kafka consumer parameters, which must
 * name {@code bootstrap.servers}, {@code group.id}, {@code key.deserializer} and {@code
 * value.deserializer} (as classes or class names); a missing or unusable one fails here with an
 * error naming it. {@code enable.auto.commit} is always off: commit with {@link CanCommitOffsets}.
 *
 * <pre>{@code
 * Map<String, Object> params = Map.of(
 *     "bootstrap.servers", "localhost:9092",
 *     "group.id", "word-count",
 *     "key.deserializer", StringDeserializer.class,
 *     "value.deserializer", StringDeserializer.class,
 *     "auto.offset.reset", "earliest");
 * ConsumerStrategies.<String, String>subscribe(List.of("words"), params)
 * }</pre>
 */
public final class ConsumerStrategies {
  private ConsumerStrategies() {}

  /**
   * Every partition of {@code topics}, including partitions added while the stream runs (which
   * are read from their beginning).
   */
  public static <K, V> ConsumerStrategy<K, V> subscribe(Collection<String> topics, Map<String, Object> kafkaParams) {
    KafkaClients.require();
    return subscribe(topics, kafkaParams, Map.of());
  }

  /** Like {@link #subscribe(Collection, Map)}, starting the partitions in {@code offsets} there. */
  public static <K, V> ConsumerStrategy<K, V> subscribe(
      Collection<String> topics, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    KafkaClients.require();
    Objects.requireNonNull(topics, "topics");
    if (topics.isEmpty() || topics.stream().anyMatch(t -> t == null || t.isBlank())) {
      throw new IllegalArgumentException("subscribe needs at least one topic name, and no blank one; got " + topics);
    }
    return new Subscribe<>(new TreeSet<>(topics), KafkaParams.forStream(kafkaParams), checkedOffsets(offsets));
  }

  /**
   * Every partition of every topic whose name matches {@code pattern} (internal topics excluded),
   * checked before every batch: new topics and partitions are read from their beginning.
   */
  public static <K, V> ConsumerStrategy<K, V> subscribePattern(Pattern pattern, Map<String, Object> kafkaParams) {
    KafkaClients.require();
    return subscribePattern(pattern, kafkaParams, Map.of());
  }

  /** Like {@link #subscribePattern(Pattern, Map)}, starting the partitions in {@code offsets} there. */
  public static <K, V> ConsumerStrategy<K, V> subscribePattern(
      Pattern pattern, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    KafkaClients.require();
    Objects.requireNonNull(pattern, "pattern");
    return new SubscribePattern<>(pattern, KafkaParams.forStream(kafkaParams), checkedOffsets(offsets));
  }

  // Spark's spelling, so ported code compiles after renaming its imports.

  /** Spark's name for {@link #subscribe(Collection, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> Subscribe(Collection<String> topics, Map<String, Object> kafkaParams) {
    return subscribe(topics, kafkaParams);
  }

  /** Spark's name for {@link #subscribe(Collection, Map, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> Subscribe(
      Collection<String> topics, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    return subscribe(topics, kafkaParams, offsets);
  }

  /** Spark's name for {@link #subscribePattern(Pattern, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(Pattern pattern, Map<String, Object> kafkaParams) {
    return subscribePattern(pattern, kafkaParams);
  }

  /** Spark's name for {@link #subscribePattern(Pattern, Map, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> SubscribePattern(
      Pattern pattern, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    return subscribePattern(pattern, kafkaParams, offsets);
  }

  /** Spark's name for {@link #assign(Collection, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> Assign(
      Collection<TopicPartition> partitions, Map<String, Object> kafkaParams) {
    return assign(partitions, kafkaParams);
  }

  /** Spark's name for {@link #assign(Collection, Map, Map)}. */
  @SuppressWarnings("MethodName")
  public static <K, V> ConsumerStrategy<K, V> Assign(
      Collection<TopicPartition> partitions, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    return assign(partitions, kafkaParams, offsets);
  }

  /** Exactly the partitions given, for the whole run. */
  public static <K, V> ConsumerStrategy<K, V> assign(
      Collection<TopicPartition> partitions, Map<String, Object> kafkaParams) {
    KafkaClients.require();
    return assign(partitions, kafkaParams, Map.of());
  }

  /** Like {@link #assign(Collection, Map)}, starting the partitions in {@code offsets} there. */
  public static <K, V> ConsumerStrategy<K, V> assign(
      Collection<TopicPartition> partitions, Map<String, Object> kafkaParams, Map<TopicPartition, Long> offsets) {
    KafkaClients.require();
    Objects.requireNonNull(partitions, "partitions");
    if (partitions.isEmpty() || partitions.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("assign needs at least one partition, and no null one; got " + partitions);
    }
    Map<TopicPartition, Long> checked = checkedOffsets(offsets);
    Set<TopicPartition> unknown = new HashSet<>(checked.keySet());
    unknown.removeAll(partitions);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Starting offsets were given for partitions " + unknown
          + " that are not among the assigned partitions " + partitions + ": assign them too, or drop their offsets");
    }
    return new Assign<>(Set.copyOf(partitions), KafkaParams.forStream(kafkaParams), checked);
  }

  private static Map<TopicPartition, Long> checkedOffsets(Map<TopicPartition, Long> offsets) {
    Objects.requireNonNull(offsets, "offsets");
    offsets.forEach((tp, offset) -> {
      if (tp == null || offset == null || offset < 0) {
        throw new IllegalArgumentException(
            "Starting offsets must be non-negative, for a partition; got " + tp + " -> " + offset);
      }
    });
    return Map.copyOf(offsets);
  }

  private abstract static class Base<K, V> implements ConsumerStrategy<K, V> {
    private final Map<String, Object> params;
    private final Map<TopicPartition, Long> offsets;

    Base(Map<String, Object> params, Map<TopicPartition, Long> offsets) {
      this.params = params;
      this.offsets = offsets;
    }

    @Override
    public Map<String, Object> kafkaParams() {
      return params;
    }

    @Override
    public Map<TopicPartition, Long> startingOffsets() {
      return offsets;
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  private static final class Subscribe<K, V> extends Base<K, V> {
    private final Set<String> topics;

    Subscribe(Set<String> topics, Map<String, Object> params, Map<TopicPartition, Long> offsets) {
      super(params, offsets);
      this.topics = topics;
    }

    @Override
    public Set<TopicPartition> partitions(Consumer<K, V> metadata) {
      Set<TopicPartition> partitions = new HashSet<>();
      for (String topic : topics) {
        List<PartitionInfo> infos = metadata.partitionsFor(topic);
        if (infos != null) {
          infos.forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
      }
      return partitions;
    }

    @Override
    public String describe() {
      return "subscribe" + topics.toString().replace(" ", "");
    }
  }

  private static final class SubscribePattern<K, V> extends Base<K, V> {
    private final Pattern pattern;

    SubscribePattern(Pattern pattern, Map<String, Object> params, Map<TopicPartition, Long> offsets) {
      super(params, offsets);
      this.pattern = pattern;
    }

    @Override
    public Set<TopicPartition> partitions(Consumer<K, V> metadata) {
      Set<TopicPartition> partitions = new HashSet<>();
      for (Map.Entry<String, List<PartitionInfo>> e : metadata.listTopics().entrySet()) {
        if (!e.getKey().startsWith("__") && pattern.matcher(e.getKey()).matches()) {
          e.getValue().forEach(i -> partitions.add(new TopicPartition(i.topic(), i.partition())));
        }
      }
      return partitions;
    }

    @Override
    public String describe() {
      return "subscribePattern[" + pattern.pattern() + "]";
    }
  }

  private static final class Assign<K, V> extends Base<K, V> {
    private final Set<TopicPartition> partitions;

    Assign(Set<TopicPartition> partitions, Map<String, Object> params, Map<TopicPartition, Long> offsets) {
      super(params, offsets);
      this.partitions = partitions;
    }

    @Override
    public Set<TopicPartition> partitions(Consumer<K, V> metadata) {
      return partitions;
    }

    @Override
    public String describe() {
      return "assign" + new TreeSet<>(partitions.stream().map(TopicPartition::toString).toList())
          .toString().replace(" ", "");
    }
  }
}
