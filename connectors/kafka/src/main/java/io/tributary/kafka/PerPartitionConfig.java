package io.tributary.kafka;

import io.tributary.StreamingConf;
import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/**
 * Rate bounds per partition of a direct stream, in records per second; override to give some
 * partitions other bounds than {@code streaming.kafka.maxRatePerPartition} and {@code
 * streaming.kafka.minRatePerPartition}.
 */
public interface PerPartitionConfig extends Serializable {
  /** The most records per second read from {@code partition}; 0 for no bound. */
  double maxRatePerPartition(TopicPartition partition);

  /**
   * The fewest records per second read from {@code partition} when it has data, even when
   * backpressure asks for less (so every partition keeps moving). At least one record per batch.
   */
  default double minRatePerPartition(TopicPartition partition) {
    return 1;
  }

  /** The bounds of the configuration keys, the same for every partition. */
  static PerPartitionConfig fromConf(StreamingConf conf) {
    double max = conf.getDouble("streaming.kafka.maxRatePerPartition", 0);
    double min = conf.getDouble("streaming.kafka.minRatePerPartition", 1);
    if (max < 0 || min <= 0) {
      throw new IllegalArgumentException("streaming.kafka.maxRatePerPartition must be >= 0 (0 = no bound) and "
          + "streaming.kafka.minRatePerPartition > 0, got " + max + " and " + min);
    }
    return new PerPartitionConfig() {
      @Override
      public double maxRatePerPartition(TopicPartition partition) {
        return max;
      }

      @Override
      public double minRatePerPartition(TopicPartition partition) {
        return min;
      }
    };
  }
}
