package io.tributary.kafka;

import io.tributary.StorageLevel;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import java.util.List;
import java.util.Optional;

/**
 * Where the partitions of a dataset come from: the Kafka batch whose range {@code i} partition
 * {@code i} was computed from alone, through {@link Dependency.OneToOne} steps of one parent only
 * (map, filter, flatMap, mapPartitions, mapToPair, ...; pair views). Anything else (a shuffle, a
 * union, a window of several batches, coalesce, several parents, a checkpointed or non-Kafka
 * dataset) mixes or loses that correspondence.
 *
 * @param kafka the Kafka batch
 * @param persisted whether a dataset of the path (or the batch) is persisted or checkpointed, so
 *     computing the output may not read the ranges again
 */
record OutputLineage(KafkaRanges kafka, boolean persisted) {

  /**
   * The Kafka batch {@code output} was computed from partition by partition.
   *
   * @throws IllegalArgumentException naming the step that breaks the correspondence
   */
  public static OutputLineage of(Rdd<?> output, String who) {
    Walk walk = walk(output);
    if (walk.lineage() == null) {
      throw misaligned(who, walk.brokenAt(), walk.what());
    }
    return walk.lineage();
  }

  /**
   * The ranges of the Kafka batch {@code rdd} reads or was computed from partition by partition
   * (partition {@code i} from range {@code i}).
   *
   * @throws IllegalArgumentException naming the step that breaks the correspondence
   */
  public static OffsetRange[] offsetRanges(Rdd<?> rdd) {
    Walk walk = walk(rdd);
    if (walk.lineage() == null) {
      throw new IllegalArgumentException("Dataset " + rdd.id() + " has no Kafka offset ranges: it goes through "
          + walk.what() + " (dataset " + walk.brokenAt().id() + "), so its partitions do not line up with the "
          + "ranges of a Kafka batch. Take the ranges of the batch itself: in foreachRDD or transform directly on "
          + "the direct stream, or from the dataset of createRdd");
    }
    return walk.lineage().kafka().offsetRanges();
  }

  /** Either the lineage found, or the dataset where the walk stopped and what it is. */
  private record Walk(OutputLineage lineage, Rdd<?> brokenAt, String what) {}

  private static Walk walk(Rdd<?> output) {
    boolean persisted = false;
    Rdd<?> current = output;
    while (true) {
      persisted |= current.getStorageLevel() != StorageLevel.NONE || current.isCheckpointed();
      Optional<KafkaRanges> kafka = KafkaRanges.of(current);
      if (kafka.isPresent()) {
        return new Walk(new OutputLineage(kafka.get(), persisted), null, null);
      }
      if (current.isCheckpointed()) {
        return new Walk(null, current, "a checkpointed dataset (its lineage back to the Kafka ranges is gone)");
      }
      List<Dependency> deps = current.dependencies();
      if (deps.size() == 1 && deps.get(0) instanceof Dependency.OneToOne oneToOne) {
        current = oneToOne.parent();
        continue;
      }
      return new Walk(null, current, describe(current, deps));
    }
  }

  private static String describe(Rdd<?> rdd, List<Dependency> deps) {
    if (deps.stream().anyMatch(d -> d instanceof Dependency.Shuffle)) {
      return "a shuffle (reduceByKey, groupByKey, join, repartition, distinct, ...)";
    }
    if (deps.size() > 1) {
      return deps.stream().allMatch(d -> d instanceof Dependency.Narrow)
          ? "a union (union, or a window operation)"
          : "a dataset of several parents (cogroup or join of co-partitioned datasets, zipPartitions)";
    }
    if (deps.size() == 1) {
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
