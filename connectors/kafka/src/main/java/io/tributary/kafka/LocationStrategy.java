package io.tributary.kafka;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where the tasks reading each Kafka partition should run, for engines that place tasks on hosts
 * (the local engine runs everything in one JVM and ignores it). Made with {@link
 * LocationStrategies}; consumers are pooled per partition, so a stable placement lets tasks reuse
 * the consumer (and its fetched data) of the previous batch.
 */
public sealed interface LocationStrategy
    permits LocationStrategy.PreferConsistent, LocationStrategy.PreferBrokers, LocationStrategy.PreferFixed {

  /** Spread partitions evenly over the executors, each partition always on the same one. */
  record PreferConsistent() implements LocationStrategy {}

  /** Run each partition's task on the host of its leader broker (executors on the brokers' hosts). */
  record PreferBrokers() implements LocationStrategy {}

  /** Run the partitions listed on the hosts given; the others as {@link PreferConsistent}. */
  record PreferFixed(Map<TopicPartition, String> hostMap) implements LocationStrategy {
    public PreferFixed {
      hostMap = Map.copyOf(hostMap);
    }
  }
}
