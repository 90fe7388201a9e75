package io.tributary.rdd;

import io.tributary.Partitioner;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An edge of an {@link Rdd}'s lineage. A {@link OneToOne} edge means partition {@code i} of the
 * child is computed from partition {@code i} of the parent (map, filter, mapPartitions, pair views,
 * zipPartitions, ...); a {@link Narrow} edge means partitions of the child read other partitions of
 * the parent directly in the same task (union, coalesce); a {@link Shuffle} edge is a stage
 * boundary: the parent is first computed and redistributed by key, then the child reads the
 * redistributed data. Jobs are split into stages at shuffle edges. Serializable: lineage travels
 * to the tasks of an engine that runs them in other JVMs ({@link LineageEngine}).
 */
public sealed interface Dependency extends java.io.Serializable
    permits Dependency.OneToOne, Dependency.Narrow, Dependency.Shuffle {

  /** The dataset this edge points to. */
  Rdd<?> parent();

  /** Partition {@code i} of the child reads exactly partition {@code i} of the parent, in the same task. */
  record OneToOne(Rdd<?> parent) implements Dependency {}

  /**
   * The child reads partitions of its parent in the same task, without data movement, but not
   * partition for partition (a union places the parent's partitions after those of the parents
   * before it; coalesce merges neighbouring partitions).
   */
  record Narrow(Rdd<?> parent) implements Dependency {}

  /**
   * The child reads its parent's records redistributed by {@code partitioner}. With an {@code
   * aggregator} and {@code mapSideCombine}, values are combined per key before the redistribution.
   * The parent's elements must be {@code Tuple2}.
   */
  final class Shuffle implements Dependency {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private final int shuffleId = NEXT_ID.getAndIncrement();
    private final Rdd<?> parent;
    private final Partitioner partitioner;
    private final Aggregator<?, ?, ?> aggregator;
    private final boolean mapSideCombine;
    /** Set once by the job that ran the map stage; the outputs live as long as the lineage. */
    private transient volatile Object mapOutput;

    public Shuffle(
        Rdd<?> parent, Partitioner partitioner, Aggregator<?, ?, ?> aggregator,
        boolean mapSideCombine) {
      this.parent = parent;
      this.partitioner = partitioner;
      this.aggregator = aggregator;
      this.mapSideCombine = mapSideCombine && aggregator != null;
    }

    @Override
    public Rdd<?> parent() {
      return parent;
    }

    public int shuffleId() {
      return shuffleId;
    }

    public Partitioner partitioner() {
      return partitioner;
    }

    /** The aggregation applied to the values of one key, or null for plain redistribution. */
    public Aggregator<?, ?, ?> aggregator() {
      return aggregator;
    }

    public boolean mapSideCombine() {
      return mapSideCombine;
    }

    /** The map stage's output, or null while it has not run. */
    Object mapOutput() {
      return mapOutput;
    }

    /** Records the map stage's output. */
    void mapOutput(Object output) {
      this.mapOutput = output;
    }
  }
}
