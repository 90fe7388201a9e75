package io.tributary;

/** Partitions keys by {@code hashCode} modulo the partition count; null goes to partition 0. */
public final class HashPartitioner extends Partitioner {
  private final int partitions;

  public HashPartitioner(int partitions) {
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "Number of partitions must be at least 1, got " + partitions);
    }
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    if (key == null) {
      return 0;
    }
    int mod = key.hashCode() % partitions;
    return mod < 0 ? mod + partitions : mod;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HashPartitioner h && h.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }

  @Override
  public String toString() {
    return "HashPartitioner(" + partitions + ")";
  }
}
