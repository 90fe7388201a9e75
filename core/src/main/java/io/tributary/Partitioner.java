package io.tributary;

import java.io.Serializable;

/**
 * Decides which partition a key goes to in a shuffle. Two datasets partitioned by equal
 * partitioners have each key in the same partition index. Implementations must be deterministic,
 * and should implement {@code equals} so equal partitioners are recognised.
 */
public abstract class Partitioner implements Serializable {

  /** The number of partitions, at least 1. */
  public abstract int numPartitions();

  /** The partition of {@code key}, in {@code [0, numPartitions())}; {@code key} may be null. */
  public abstract int getPartition(Object key);
}
