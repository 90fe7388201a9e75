package io.tributary.kafka;

/**
 * A dataset that knows the Kafka offset ranges it reads: every batch dataset of a direct stream
 * and every dataset of {@link KafkaUtils#createRdd}. Partition {@code i} of the dataset reads
 * {@code offsetRanges()[i]}, so inside a task {@code offsetRanges()[TaskContext.get().partitionId()]}
 * is the range being read. Cast the dataset given to {@code foreachRDD} or {@code transform}
 * directly on the Kafka stream: after a map or a shuffle it is a different dataset.
 *
 * <pre>{@code
 * stream.foreachRDD(rdd -> {
 *   OffsetRange[] ranges = ((HasOffsetRanges) rdd).offsetRanges();
 *   ... write the output ...
 *   stream.commitAsync(ranges);
 * });
 * }</pre>
 */
public interface HasOffsetRanges {
  /** The ranges read, one per partition of the dataset (a copy: changing it changes nothing). */
  OffsetRange[] offsetRanges();
}
