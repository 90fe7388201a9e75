package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.State;
import io.tributary.Time;
import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.function.Function3;
import io.tributary.function.Function4;
import io.tributary.internal.Checks;
import io.tributary.rdd.PairRdd;
import io.tributary.streaming.internal.state.MappingFunction;
import java.util.Optional;

/**
 * What {@link PairDStream#mapWithState} does: the mapping function, called once per record of
 * each batch with the key's {@link State}, and optionally the initial state, the partitioning of
 * the state and an idle timeout. A builder: each setter returns this spec.
 *
 * <pre>{@code
 * StateSpec<String, Integer, Integer, Tuple2<String, Integer>> spec =
 *     StateSpec.function((String word, Optional<Integer> one, State<Integer> state) -> {
 *           int sum = one.orElse(0) + state.getOption().orElse(0);
 *           state.update(sum);
 *           return new Tuple2<>(word, sum);
 *         })
 *         .timeout(Durations.minutes(30));
 * MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> counts = pairs.mapWithState(spec);
 * }</pre>
 *
 * @param <K> key type
 * @param <V> value type of the input stream
 * @param <S> state type
 * @param <M> type of the mapped values, the elements of the resulting stream
 */
public final class StateSpec<K, V, S, M> {
  private final MappingFunction<K, V, S, M> mappingFunction;
  private PairRdd<K, S> initialState;
  private Partitioner partitioner;
  private Duration timeout;

  private StateSpec(MappingFunction<K, V, S, M> mappingFunction) {
    this.mappingFunction = mappingFunction;
  }

  /**
   * A spec calling {@code f(key, value, state)} for each record; every returned value (even null)
   * becomes an element of the mapped stream. On a timeout the value is empty.
   */
  public static <K, V, S, M> StateSpec<K, V, S, M> function(Function3<K, Optional<V>, State<S>, M> f) {
    Checks.notNull(f, "mapping function");
    return new StateSpec<>((time, key, value, state, out) -> out.add(f.call(key, value, state)));
  }

  /**
   * A spec calling {@code f(batchTime, key, value, state)} for each record; a present result
   * becomes an element of the mapped stream, an empty one emits nothing. Returning null fails the
   * batch.
   */
  public static <K, V, S, M> StateSpec<K, V, S, M> function(
      Function4<Time, K, Optional<V>, State<S>, Optional<M>> f) {
    Checks.notNull(f, "mapping function");
    return new StateSpec<>(
        (time, key, value, state, out) -> {
          Optional<M> mapped = f.call(time, key, value, state);
          if (mapped == null) {
            throw new IllegalStateException(
                "The mapping function of mapWithState returned null for key " + key + " in batch "
                    + time + ": return Optional.empty() to emit nothing");
          }
          mapped.ifPresent(out::add);
        });
  }

  /**
   * Starts from the states in {@code rdd} (one per key) instead of none. Returns this spec.
   */
  public StateSpec<K, V, S, M> initialState(PairRdd<K, S> rdd) {
    this.initialState = Checks.notNull(rdd, "initial state dataset");
    return this;
  }

  /** Keeps the state in {@code numPartitions} hash partitions. Returns this spec. */
  public StateSpec<K, V, S, M> numPartitions(int numPartitions) {
    this.partitioner = new HashPartitioner(Checks.positive(numPartitions, "numPartitions"));
    return this;
  }

  /** Keeps the state partitioned by {@code partitioner}. Returns this spec. */
  public StateSpec<K, V, S, M> partitioner(Partitioner partitioner) {
    this.partitioner = Checks.notNull(partitioner, "partitioner");
    return this;
  }

  /**
   * Drops the state of a key that received no data for longer than {@code idleDuration}, after
   * one last call of the mapping function with no value and {@link State#isTimingOut()} true.
   * Checking for timeouts looks at every key of the state each batch. Returns this spec.
   */
  public StateSpec<K, V, S, M> timeout(Duration idleDuration) {
    Checks.notNull(idleDuration, "timeout");
    if (idleDuration.milliseconds() <= 0) {
      throw new IllegalArgumentException("timeout must be positive, got " + idleDuration);
    }
    this.timeout = idleDuration;
    return this;
  }

  // ---------------------------------------------------------------- engine use (this package)

  MappingFunction<K, V, S, M> getMappingFunction() {
    return mappingFunction;
  }

  Optional<PairRdd<K, S>> getInitialState() {
    return Optional.ofNullable(initialState);
  }

  /** Set by {@link #partitioner} or {@link #numPartitions}. */
  Optional<Partitioner> getPartitioner() {
    return Optional.ofNullable(partitioner);
  }

  Optional<Duration> getTimeout() {
    return Optional.ofNullable(timeout);
  }
}
