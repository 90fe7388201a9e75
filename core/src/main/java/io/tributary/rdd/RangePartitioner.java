package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Places keys in sorted, roughly equal ranges: partition 0 holds the smallest keys (the largest
 * when descending). Bounds come from a deterministic sample of the keys, taken by one job.
 */
final class RangePartitioner extends Partitioner {
  private static final int SAMPLE_PER_PARTITION = 60;

  private final Object[] bounds;
  private final Comparator<Object> ordering;
  private final boolean ascending;

  @SuppressWarnings("unchecked")
  private RangePartitioner(Object[] bounds, Comparator<?> ordering, boolean ascending) {
    this.bounds = bounds;
    this.ordering = (Comparator<Object>) ordering;
    this.ascending = ascending;
  }

  /** Samples the keys of {@code rdd} and returns a partitioner into {@code partitions} ranges. */
  @SuppressWarnings("unchecked")
  public static <K> RangePartitioner of(
      Rdd<? extends Tuple2<K, ?>> rdd, Comparator<? super K> ordering, boolean ascending,
      int partitions) {
    if (partitions <= 1 || rdd.numPartitions() == 0) {
      return new RangePartitioner(new Object[0], ordering, ascending);
    }
    int perPartition = Math.max(SAMPLE_PER_PARTITION, SAMPLE_PER_PARTITION * partitions / rdd.numPartitions());
    List<List<K>> samples =
        rdd.mapPartitionsWithIndex(
                (index, it) -> {
                  Random random = new Random(index);
                  List<K> reservoir = new ArrayList<>(perPartition);
                  long seen = 0;
                  while (it.hasNext()) {
                    K key = it.next()._1();
                    if (reservoir.size() < perPartition) {
                      reservoir.add(key);
                    } else {
                      long slot = (long) (random.nextDouble() * (seen + 1));
                      if (slot < perPartition) {
                        reservoir.set((int) slot, key);
                      }
                    }
                    seen++;
                  }
                  return List.of(reservoir).iterator();
                },
                false)
            .collect();
    List<K> keys = new ArrayList<>();
    samples.forEach(keys::addAll);
    keys.sort(ordering);
    List<Object> bounds = new ArrayList<>();
    for (int i = 1; i < partitions && !keys.isEmpty(); i++) {
      K bound = keys.get(Math.min(keys.size() - 1, (int) ((long) i * keys.size() / partitions)));
      if (bounds.isEmpty() || ordering.compare(bound, (K) bounds.get(bounds.size() - 1)) > 0) {
        bounds.add(bound);
      }
    }
    return new RangePartitioner(bounds.toArray(), ordering, ascending);
  }

  @Override
  public int numPartitions() {
    return bounds.length + 1;
  }

  @Override
  public int getPartition(Object key) {
    int pos = Arrays.binarySearch(bounds, key, ordering);
    int partition = pos >= 0 ? pos : -pos - 1;
    return ascending ? partition : bounds.length - partition;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RangePartitioner r
        && r.ascending == ascending
        && Arrays.equals(r.bounds, bounds)
        && r.ordering.equals(ordering);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds) * 31 + (ascending ? 1 : 0);
  }
}
