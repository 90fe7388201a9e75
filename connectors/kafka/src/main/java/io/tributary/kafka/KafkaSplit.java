package io.tributary.kafka;

import java.io.Serializable;

/** Partition {@code index} of a Kafka source dataset: range {@code index} of its batch. */
record KafkaSplit(KafkaRanges batch, int index) implements Serializable {
  /** The offset range this partition reads. */
  public OffsetRange range() {
    return batch.ranges().get(index);
  }

  @Override
  public String toString() {
    return "KafkaSplit" + range();
  }
}
