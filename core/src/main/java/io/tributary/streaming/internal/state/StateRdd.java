package io.tributary.streaming.internal.state;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.internal.Sneaky;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The state of a stateful stream after one batch: one {@link StateRecord} per partition, computed
 * from the same partition of the previous batch's state and of this batch's records, both
 * partitioned by the state's partitioner (narrow dependencies). Persisted by its stream, so the
 * next batch starts from the cached map; checkpointed every few batches, which cuts the chain.
 */
public final class StateRdd<K, V, S, M> extends Rdd<StateRecord<K, S, M>> {
  private Rdd<StateRecord<K, S, M>> previous;
  private Rdd<Tuple2<K, V>> data;
  private StateUpdater<K, V, S, M> updater;
  private final Partitioner partitioner;
  private final Time time;
  private final int deltaChainThreshold;

  /**
   * The state of batch {@code time}. {@code previous} (null for none) and {@code data} (null for
   * no records) must be partitioned by {@code partitioner}.
   */
  public StateRdd(
      io.tributary.rdd.RddContext context, Rdd<StateRecord<K, S, M>> previous, Rdd<Tuple2<K, V>> data,
      Partitioner partitioner, Time time, StateUpdater<K, V, S, M> updater, int deltaChainThreshold) {
    super(context);
    checkPartitioning(previous, partitioner, "previous state");
    checkPartitioning(data, partitioner, "batch data");
    this.previous = previous;
    this.data = data;
    this.partitioner = partitioner;
    this.time = time;
    this.updater = updater;
    this.deltaChainThreshold = deltaChainThreshold;
  }

  private static void checkPartitioning(Rdd<?> rdd, Partitioner partitioner, String what) {
    if (rdd != null && !partitioner.equals(rdd.partitioner().orElse(null))) {
      throw new IllegalArgumentException(
          "The " + what + " " + rdd + " is partitioned by " + rdd.partitioner().orElse(null)
              + ", not by the state's partitioner " + partitioner);
    }
  }

  /** The batch time this state belongs to. */
  public Time time() {
    return time;
  }

  @Override
  protected int getNumPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  protected List<Dependency> getDependencies() {
    List<Dependency> deps = new ArrayList<>(2);
    if (previous != null) {
      deps.add(new Dependency.Narrow(previous));
    }
    if (data != null) {
      deps.add(new Dependency.Narrow(data));
    }
    return deps;
  }

  @Override
  protected Optional<Partitioner> getPartitioner() {
    return Optional.of(partitioner);
  }

  @Override
  protected void clearDependencies() {
    previous = null;
    data = null;
    updater = null;
  }

  @Override
  public Iterator<StateRecord<K, S, M>> compute(int partition, TaskContext task) {
    StateMap<K, S> before = null;
    if (previous != null) {
      Iterator<StateRecord<K, S, M>> it = previous.iterator(partition, task);
      if (it.hasNext()) {
        before = it.next().stateMap();
      }
    }
    if (before == null) {
      before = new StateMap<>(deltaChainThreshold);
    }
    Iterator<Tuple2<K, V>> records =
        data == null ? Collections.emptyIterator() : data.iterator(partition, task);
    try {
      return List.of(updater.update(time, before, records)).iterator();
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
