package io.tributary.kafka;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** The {@link LocationStrategy} factories. Use {@link #preferConsistent()} unless you know better. */
public final class LocationStrategies {
  private LocationStrategies() {}

  /** Spread partitions evenly over the executors, each partition on the same executor every batch. */
  public static LocationStrategy preferConsistent() {
    return new LocationStrategy.PreferConsistent();
  }

  /**
   * Run each partition's task on its leader broker's host; only useful when executors run on the
   * brokers' hosts. Not available for {@link KafkaUtils#createRdd} (it has no consumer to ask).
   */
  public static LocationStrategy preferBrokers() {
    return new LocationStrategy.PreferBrokers();
  }

  /** Run the listed partitions on the hosts given (e.g. after an uneven load); the others spread evenly. */
  public static LocationStrategy preferFixed(Map<TopicPartition, String> hostMap) {
    Objects.requireNonNull(hostMap, "hostMap");
    return new LocationStrategy.PreferFixed(hostMap);
  }

  // Spark's spelling, so ported code compiles after renaming its imports.

  /** Spark's name for {@link #preferConsistent()}. */
  @SuppressWarnings("MethodName")
  public static LocationStrategy PreferConsistent() {
    return preferConsistent();
  }

  /** Spark's name for {@link #preferBrokers()}. */
  @SuppressWarnings("MethodName")
  public static LocationStrategy PreferBrokers() {
    return preferBrokers();
  }

  /** Spark's name for {@link #preferFixed(Map)}. */
  @SuppressWarnings("MethodName")
  public static LocationStrategy PreferFixed(Map<TopicPartition, String> hostMap) {
    return preferFixed(hostMap);
  }
}
