package io.tributary.spark;

/**
 * The Spark partitioner of a Tributary shuffle: the map side already placed every bucket with
 * Tributary's own partitioner, so the key of a Spark record is its reduce partition.
 */
final class ReducePartitioner extends org.apache.spark.Partitioner {
  private static final long serialVersionUID = 1L;
  private final int partitions;

  ReducePartitioner(int partitions) {
    this.partitions = partitions;
  }

  @Override
  public int numPartitions() {
    return partitions;
  }

  @Override
  public int getPartition(Object key) {
    return (Integer) key;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ReducePartitioner p && p.partitions == partitions;
  }

  @Override
  public int hashCode() {
    return partitions;
  }
}
