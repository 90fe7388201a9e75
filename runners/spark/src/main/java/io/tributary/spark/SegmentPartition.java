package io.tributary.spark;

import org.apache.spark.Partition;

/** Partition {@code index} of a {@link SegmentRDD} (the partition of the Tributary dataset it computes). */
final class SegmentPartition implements Partition {
  private static final long serialVersionUID = 1L;
  private final int index;

  SegmentPartition(int index) {
    this.index = index;
  }

  @Override
  public int index() {
    return index;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SegmentPartition p && p.index == index;
  }

  @Override
  public int hashCode() {
    return index;
  }
}
