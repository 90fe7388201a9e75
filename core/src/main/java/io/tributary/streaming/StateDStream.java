package io.tributary.streaming;

import io.tributary.Partitioner;
import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.streaming.internal.state.StateRdd;
import io.tributary.streaming.internal.state.StateRecord;
import io.tributary.streaming.internal.state.StateUpdater;
import io.tributary.streaming.internal.state.StateUpdaters;
import java.util.List;
import java.util.Optional;

/**
 * The state behind {@code updateStateByKey} and {@code mapWithState}: one {@link StateRdd} per
 * batch, computed from the previous batch's (or the initial state) and the batch's records
 * partitioned like the state. Persisted in memory so each batch starts from the previous one's
 * maps, and checkpointed (by default every 10 s or so), so it needs a checkpoint directory.
 */
final class StateDStream<K, V, S, M> extends DStream<StateRecord<K, S, M>> {
  /** Configuration key of the delta chain length at which state maps are compacted. */
  public static final String DELTA_CHAIN_THRESHOLD = "streaming.sessionByKey.deltaChainThreshold";

  private final DStreamLike<Tuple2<K, V>, ?, ?> parent;
  private final String operation;
  private final Partitioner partitioner;
  private final PairRdd<K, S> initialState;
  private final StateUpdater<K, V, S, M> updater;
  private final int deltaChainThreshold;

  /**
   * @param operation the operation's name ({@code updateStateByKey}, {@code mapWithState}), which
   *     names this stream in errors
   * @param initialState the states before the first batch, or null for none
   */
  public StateDStream(
      DStreamLike<Tuple2<K, V>, ?, ?> parent, Partitioner partitioner, PairRdd<K, S> initialState,
      StateUpdater<K, V, S, M> updater, String operation) {
    super(parent.context());
    StreamingContext ssc = parent.context();
    if (initialState != null && initialState.context() != ssc.rddContext()) {
      throw new IllegalArgumentException(
          "The initial state of " + operation + " belongs to another context: create it with "
              + "ssc.rddContext() of the stream's context");
    }
    this.parent = parent;
    this.partitioner = partitioner;
    this.initialState = initialState;
    this.updater = updater;
    this.deltaChainThreshold = ssc.conf().getInt(DELTA_CHAIN_THRESHOLD, 20);
    if (deltaChainThreshold < 1) {
      throw new IllegalArgumentException(
          DELTA_CHAIN_THRESHOLD + " must be at least 1, got " + deltaChainThreshold);
    }
    this.operation = operation;
    persist(StorageLevel.MEMORY_ONLY);
  }

  @Override
  public String checkpointKind() {
    return "StateDStream(" + operation + ")";
  }

  @Override
  public String toString() {
    return "StateDStream#" + id() + "(" + (name() != null ? name() : operation) + ")";
  }

  /** The partitioner of the state. */
  public Partitioner partitioner() {
    return partitioner;
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected boolean mustCheckpoint() {
    return true;
  }

  /** {@code mapWithState}: every 10 batches, as Spark's; {@code updateStateByKey}: the general rule. */
  @Override
  Duration defaultCheckpointDuration() {
    return operation.equals("mapWithState") ? slideDuration().times(10) : super.defaultCheckpointDuration();
  }

  @Override
  public Optional<Rdd<StateRecord<K, S, M>>> compute(Time validTime) {
    Time previousTime = validTime.minus(slideDuration());
    Rdd<StateRecord<K, S, M>> previous = getOrCompute(previousTime).orElse(null);
    if (previous == null) {
      if (previousTime.greater(zeroTime())) {
        throw new IllegalStateException(
            "The state of " + this + " at " + previousTime + " is no longer available to compute "
                + "batch " + validTime + "; state is only kept for the remember duration");
      }
      previous = initialStateRdd(validTime);
    }
    Rdd<Tuple2<K, V>> data =
        parent.getOrCompute(validTime)
            .<Rdd<Tuple2<K, V>>>map(rdd -> PairRdd.fromRdd(rdd).partitionBy(partitioner))
            .orElse(null);
    Rdd<StateRecord<K, S, M>> state =
        StateRdd.of(ssc.rddContext(), previous, data, partitioner, validTime, updater, deltaChainThreshold);
    state.setName("state of " + this + " at " + validTime);
    return Optional.of(state);
  }

  /** The state before the first batch: the initial state loaded into maps, or none. */
  private Rdd<StateRecord<K, S, M>> initialStateRdd(Time firstBatch) {
    if (initialState == null) {
      return null;
    }
    // the loaded states count as updated at the first batch, for timeouts
    return StateRdd.<K, S, S, M>of(
        ssc.rddContext(), null, initialState.partitionBy(partitioner), partitioner, firstBatch,
        StateUpdaters.load(), deltaChainThreshold);
  }
}
