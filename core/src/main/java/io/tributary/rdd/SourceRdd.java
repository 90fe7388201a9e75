package io.tributary.rdd;

import io.tributary.TaskContext;
import io.tributary.internal.Sneaky;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * Reads an external, replayable source: each partition is a serializable description of a range
 * (a file, a Kafka offset range, a received block, ...) and a reader turns it into records.
 */
final class SourceRdd<S, T> extends Rdd<T> {
  private final List<S> splits;
  private final SplitReader<S, T> reader;

  SourceRdd(RddContext context, List<S> splits, SplitReader<S, T> reader) {
    super(context);
    this.splits = List.copyOf(splits);
    this.reader = reader;
  }

  @Override
  public Optional<List<?>> splits() {
    return Optional.of(splits);
  }

  @Override
  int getNumPartitions() {
    return splits.size();
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  Iterator<T> compute(int partition, TaskContext task) {
    try {
      return reader.read(splits.get(partition));
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
