package io.tributary.kafka.internal;

import io.tributary.StorageLevel;
import io.tributary.internal.rdd.CoGroupedRdd;
import io.tributary.internal.rdd.CoalescedRdd;
import io.tributary.internal.rdd.MapPartitionsRdd;
import io.tributary.internal.rdd.ShuffledRdd;
import io.tributary.internal.rdd.UnionRdd;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;

/**
 * Where the partitions of a dataset to write come from: the Kafka batch whose range {@code i}
 * partition {@code i} was computed from alone, through per-partition steps only (map, filter,
 * flatMap, mapPartitions, mapToPair, ...; pair views). Anything else (a shuffle, a union, a
 * window, coalesce, a checkpointed or non-Kafka dataset) mixes or loses that correspondence.
 *
 * @param kafka the Kafka batch
 * @param persisted whether a dataset of the path (or the batch) is persisted or checkpointed, so
 *     computing the output may not read the ranges again
 */
public record OutputLineage(KafkaRdd<?, ?> kafka, boolean persisted) {

  /**
   * The Kafka batch {@code output} was computed from partition by partition.
   *
   * @throws IllegalArgumentException naming the step that breaks the correspondence
   */
  public static OutputLineage of(Rdd<?> output, String who) {
    boolean persisted = false;
    Rdd<?> current = output;
    while (true) {
      persisted |= current.getStorageLevel() != StorageLevel.NONE || current.isCheckpointed();
      if (current instanceof KafkaRdd<?, ?> kafka) {
        return new OutputLineage(kafka, persisted);
      }
      if (current.isCheckpointed()) {
        throw misaligned(who, current, "a checkpointed dataset (its lineage back to the Kafka ranges is gone)");
      }
      if (current instanceof MapPartitionsRdd<?, ?> || current instanceof PairRdd<?, ?>) {
        current = current.dependencies().get(0).parent();
        continue;
      }
      throw misaligned(who, current, describe(current));
    }
  }

  private static String describe(Rdd<?> rdd) {
    if (rdd instanceof ShuffledRdd<?, ?, ?> || rdd instanceof CoGroupedRdd<?>) {
      return "a shuffle (reduceByKey, groupByKey, join, repartition, distinct, ...)";
    }
    if (rdd instanceof UnionRdd<?>) {
      return "a union (union, or a window operation)";
    }
    if (rdd instanceof CoalescedRdd<?>) {
      return "coalesce";
    }
    return "a dataset that is not a Kafka direct stream batch (" + rdd.getClass().getSimpleName() + ")";
  }

  private static IllegalArgumentException misaligned(String who, Rdd<?> rdd, String what) {
    return new IllegalArgumentException(who + " writes output partition i in one Kafka transaction together with the "
        + "input offsets of Kafka range i, so the output must be computed from a direct stream batch (or createRdd) "
        + "partition by partition: map, filter, flatMap, mapPartitions, mapToPair, transform with those. This output "
        + "goes through " + what + " (dataset " + rdd.id() + "), so its partitions do not line up with the input "
        + "ranges. Write it with an at-least-once sink (atLeastOnce()), or make the output idempotent per batch");
  }
}
