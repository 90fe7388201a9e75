package io.tributary.streaming.internal.state;

import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.Time;
import io.tributary.rdd.RddContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * The state of a stateful stream after one batch: one {@link StateRecord} per partition, computed
 * from the same partition of the previous batch's state and of this batch's records, both
 * partitioned by the state's partitioner ({@code zipPartitions}: one-to-one dependencies).
 * Persisted by its stream, so the next batch starts from the cached map; checkpointed every few
 * batches, which cuts the chain. Named {@code "state at <time>"} (its stream may rename it; state
 * datasets keep the {@code "state "} prefix).
 */
public final class StateRdd {
  private StateRdd() {}

  /**
   * The state of batch {@code time}. {@code previous} (null for none) and {@code data} (null for
   * no records) must be partitioned by {@code partitioner}.
   */
  public static <K, V, S, M> Rdd<StateRecord<K, S, M>> of(
      RddContext context, Rdd<StateRecord<K, S, M>> previous, Rdd<Tuple2<K, V>> data,
      Partitioner partitioner, Time time, StateUpdater<K, V, S, M> updater, int deltaChainThreshold) {
    checkPartitioning(previous, partitioner, "previous state");
    checkPartitioning(data, partitioner, "batch data");
    Rdd<Tuple2<K, V>> records =
        data != null ? data : PairRdd.fromRdd(context.<Tuple2<K, V>>emptyRdd()).partitionBy(partitioner);
    Rdd<StateRecord<K, S, M>> state =
        previous == null
            ? records.mapPartitions(
                it -> update(null, it, time, updater, deltaChainThreshold).iterator(), true)
            : previous.zipPartitions(
                records, true, (before, it) -> update(before, it, time, updater, deltaChainThreshold).iterator());
    return state.setName("state at " + time);
  }

  private static <K, V, S, M> List<StateRecord<K, S, M>> update(
      Iterator<StateRecord<K, S, M>> previous, Iterator<Tuple2<K, V>> records, Time time,
      StateUpdater<K, V, S, M> updater, int deltaChainThreshold) throws Exception {
    StateMap<K, S> before = previous != null && previous.hasNext() ? previous.next().stateMap() : null;
    if (before == null) {
      before = new StateMap<>(deltaChainThreshold);
    }
    return List.of(updater.update(time, before, records));
  }

  private static void checkPartitioning(Rdd<?> rdd, Partitioner partitioner, String what) {
    if (rdd != null && !partitioner.equals(rdd.partitioner().orElse(null))) {
      throw new IllegalArgumentException(
          "The " + what + " " + rdd + " is partitioned by " + rdd.partitioner().orElse(null)
              + ", not by the state's partitioner " + partitioner);
    }
  }
}
