package io.tributary.internal.rdd;

import io.tributary.TaskContext;
import io.tributary.function.FlatMapFunction;
import io.tributary.internal.Sneaky;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;

/**
 * Reads an external, replayable source: each partition is a serializable description of a range
 * (a file split, a Kafka offset range, ...) and a reader turns it into records. Reading the same
 * range again yields the same records, which is what makes recomputation and replay exact.
 */
public final class SourceRdd<S extends Serializable, T> extends Rdd<T> {
  private final List<S> ranges;
  private final FlatMapFunction<S, T> reader;

  public SourceRdd(RddContext context, List<S> ranges, FlatMapFunction<S, T> reader) {
    super(context);
    this.ranges = List.copyOf(ranges);
    this.reader = reader;
  }

  /** The ranges this dataset reads, one per partition. */
  public List<S> ranges() {
    return ranges;
  }

  @Override
  protected int getNumPartitions() {
    return ranges.size();
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  public Iterator<T> compute(int partition, TaskContext task) {
    try {
      return reader.call(ranges.get(partition));
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
