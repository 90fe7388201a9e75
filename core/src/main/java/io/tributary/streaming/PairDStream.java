package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.Tuple3;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.function.Function4;
import io.tributary.internal.Checks;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.internal.state.StateUpdaters;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A stream of key-value pairs, with the by-key operations applied batch by batch: aggregation,
 * grouping and joins with another pair stream (Hadoop output formats: {@code HadoopStreams} in
 * {@code tributary-hadoop}). Without a partition count, by-key operations use {@code
 * rddContext().defaultParallelism()} partitions.
 *
 * <p>A typed view of a {@code DStream<Tuple2<K, V>>}; {@link #fromDStream} wraps any such stream.
 */
public final class PairDStream<K, V>
    extends DStreamLike<Tuple2<K, V>, PairRdd<K, V>, PairDStream<K, V>> {
  private final DStreamLike<Tuple2<K, V>, ?, ?> parent;

  private PairDStream(DStreamLike<Tuple2<K, V>, ?, ?> parent) {
    super(parent.context());
    this.parent = parent;
  }

  /** The pair view of {@code stream} (itself if it already is one). */
  public static <K, V> PairDStream<K, V> fromDStream(DStreamLike<Tuple2<K, V>, ?, ?> stream) {
    Checks.notNull(stream, "stream");
    if (stream instanceof PairDStream<?, ?> pairs) {
      @SuppressWarnings("unchecked")
      PairDStream<K, V> same = (PairDStream<K, V>) pairs;
      return same;
    }
    return new PairDStream<>(stream);
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
  public Optional<Rdd<Tuple2<K, V>>> compute(Time validTime) {
    return parent.getOrCompute(validTime).map(PairRdd::fromRdd);
  }

  @Override
  protected PairRdd<K, V> typed(Rdd<Tuple2<K, V>> rdd) {
    return PairRdd.fromRdd(rdd);
  }

  @Override
  protected PairDStream<K, V> typed(DStream<Tuple2<K, V>> stream) {
    return fromDStream(stream);
  }

  @Override
  protected DStreamLike<?, ?, ?> viewed() {
    return parent;
  }

  /** Persists the stream this one views: a pair view holds no datasets of its own. */
  @Override
  public PairDStream<K, V> persist(io.tributary.StorageLevel level) {
    parent.persist(level);
    return this;
  }

  /** The level of the stream this one views. */
  @Override
  public io.tributary.StorageLevel storageLevel() {
    return parent.storageLevel();
  }

  /** This stream as a plain {@code DStream} of pairs. */
  public DStream<Tuple2<K, V>> toDStream() {
    return transformed(rdd -> rdd);
  }

  // ---------------------------------------------------------------- per-batch, by key

  public <U> PairDStream<K, U> mapValues(Function<V, U> f) {
    Checks.notNull(f, "mapValues function");
    return pairs(rdd -> rdd.mapValues(f));
  }

  public <U> PairDStream<K, U> flatMapValues(FlatMapFunction<V, U> f) {
    Checks.notNull(f, "flatMapValues function");
    return pairs(rdd -> rdd.flatMapValues(f));
  }

  public PairDStream<K, Iterable<V>> groupByKey() {
    return groupByKey(defaultPartitioner());
  }

  public PairDStream<K, Iterable<V>> groupByKey(int numPartitions) {
    return groupByKey(hash(numPartitions));
  }

  public PairDStream<K, Iterable<V>> groupByKey(Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return pairs(rdd -> rdd.groupByKey(partitioner));
  }

  /** Merges the values of each key in each batch with an associative, commutative function. */
  public PairDStream<K, V> reduceByKey(Function2<V, V, V> f) {
    return reduceByKey(f, defaultPartitioner());
  }

  public PairDStream<K, V> reduceByKey(Function2<V, V, V> f, int numPartitions) {
    return reduceByKey(f, hash(numPartitions));
  }

  public PairDStream<K, V> reduceByKey(Function2<V, V, V> f, Partitioner partitioner) {
    Checks.notNull(f, "reduce function");
    Checks.notNull(partitioner, "partitioner");
    return pairs(rdd -> rdd.reduceByKey(f, partitioner));
  }

  /** The general per-batch aggregation; see {@link PairRdd#combineByKey}. */
  public <C> PairDStream<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner, boolean mapSideCombine) {
    Checks.notNull(createCombiner, "createCombiner");
    Checks.notNull(mergeValue, "mergeValue");
    Checks.notNull(mergeCombiners, "mergeCombiners");
    Checks.notNull(partitioner, "partitioner");
    return pairs(
        rdd -> rdd.combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, mapSideCombine));
  }

  public <C> PairDStream<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, Partitioner partitioner) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, partitioner, true);
  }

  public <C> PairDStream<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners, int numPartitions) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, hash(numPartitions));
  }

  public <C> PairDStream<K, C> combineByKey(
      Function<V, C> createCombiner, Function2<C, V, C> mergeValue,
      Function2<C, C, C> mergeCombiners) {
    return combineByKey(createCombiner, mergeValue, mergeCombiners, defaultPartitioner());
  }

  // ---------------------------------------------------------------- windows, by key

  /** Every batch, the values of each key in the last {@code windowDuration} of batches. */
  public PairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration());
  }

  /**
   * Every {@code slideDuration}, the values of each key in the last {@code windowDuration}; both
   * must be multiples of this stream's slide duration.
   */
  public PairDStream<K, Iterable<V>> groupByKeyAndWindow(Duration windowDuration, Duration slideDuration) {
    return groupByKeyAndWindow(windowDuration, slideDuration, defaultPartitioner());
  }

  public PairDStream<K, Iterable<V>> groupByKeyAndWindow(
      Duration windowDuration, Duration slideDuration, int numPartitions) {
    return groupByKeyAndWindow(windowDuration, slideDuration, hash(numPartitions));
  }

  public PairDStream<K, Iterable<V>> groupByKeyAndWindow(
      Duration windowDuration, Duration slideDuration, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "groupByKeyAndWindow");
    PairDStream<K, List<V>> grouped = groupByKey(partitioner)
        .window(windowDuration, slideDuration)
        .combineByKey(
            (Iterable<V> values) -> {
              List<V> all = new ArrayList<>();
              values.forEach(all::add);
              return all;
            },
            (List<V> all, Iterable<V> values) -> {
              values.forEach(all::add);
              return all;
            },
            (List<V> a, List<V> b) -> {
              // not a.addAll(b): a may be a map-side combiner the in-memory shuffle reads again
              List<V> all = new ArrayList<>(a.size() + b.size());
              all.addAll(a);
              all.addAll(b);
              return all;
            },
            partitioner);
    @SuppressWarnings({"unchecked", "rawtypes"})
    PairDStream<K, Iterable<V>> asIterables = (PairDStream) grouped;
    return asIterables;
  }

  /** Every batch, the values of each key in the last {@code windowDuration} merged with {@code reduceFunc}. */
  public PairDStream<K, V> reduceByKeyAndWindow(Function2<V, V, V> reduceFunc, Duration windowDuration) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, slideDuration());
  }

  /**
   * Every {@code slideDuration}, the values of each key in the last {@code windowDuration}
   * merged with {@code reduceFunc} (associative and commutative): reduced per batch, then over the
   * window's batches.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Duration windowDuration, Duration slideDuration) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, slideDuration, defaultPartitioner());
  }

  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Duration windowDuration, Duration slideDuration, int numPartitions) {
    return reduceByKeyAndWindow(reduceFunc, windowDuration, slideDuration, hash(numPartitions));
  }

  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Duration windowDuration, Duration slideDuration, Partitioner partitioner) {
    Checks.notNull(reduceFunc, "reduce function");
    Checks.notNull(partitioner, "partitioner");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "reduceByKeyAndWindow");
    return reduceByKey(reduceFunc, partitioner)
        .window(windowDuration, slideDuration)
        .reduceByKey(reduceFunc, partitioner);
  }

  /**
   * Every {@code slideDuration}, the values of each key in the last {@code windowDuration}
   * merged with {@code reduceFunc}, computed incrementally from the previous window: the batches
   * leaving the window are removed with {@code invReduceFunc} (the inverse of {@code reduceFunc}:
   * {@code inv(reduce(a, b), b) == a}) and the batches entering it are added. Cheaper than the
   * plain form for windows of many batches. Keys whose value returns to the identity (like 0) stay;
   * drop them with the {@code filterFunc} forms. Needs {@link StreamingContext#checkpoint(String)}:
   * {@code start()} fails without it.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc, Duration windowDuration,
      Duration slideDuration) {
    return reduceByKeyAndWindow(
        reduceFunc, invReduceFunc, windowDuration, slideDuration, defaultPartitioner(), null);
  }

  /**
   * Like {@link #reduceByKeyAndWindow(Function2, Function2, Duration, Duration)} in {@code
   * numPartitions} partitions, keeping only the keys for which {@code filterFunc} (null: all)
   * returns true.
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc, Duration windowDuration,
      Duration slideDuration, int numPartitions, Function<Tuple2<K, V>, Boolean> filterFunc) {
    return reduceByKeyAndWindow(
        reduceFunc, invReduceFunc, windowDuration, slideDuration, hash(numPartitions), filterFunc);
  }

  /**
   * Like {@link #reduceByKeyAndWindow(Function2, Function2, Duration, Duration)} partitioned by
   * {@code partitioner}, keeping only the keys for which {@code filterFunc} (null: all) returns
   * true. The filter should only drop keys whose value is the identity of the reduction (like a
   * count of 0).
   */
  public PairDStream<K, V> reduceByKeyAndWindow(
      Function2<V, V, V> reduceFunc, Function2<V, V, V> invReduceFunc, Duration windowDuration,
      Duration slideDuration, Partitioner partitioner, Function<Tuple2<K, V>, Boolean> filterFunc) {
    Checks.notNull(reduceFunc, "reduce function");
    Checks.notNull(invReduceFunc, "inverse reduce function");
    Checks.notNull(partitioner, "partitioner");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "reduceByKeyAndWindow");
    return fromDStream(
        new ReducedWindowedDStream<>(
            reduceByKey(reduceFunc, partitioner), reduceFunc, invReduceFunc, filterFunc, windowDuration,
            slideDuration, partitioner));
  }

  // ---------------------------------------------------------------- joins, batch by batch

  public <W> PairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(PairDStream<K, W> other) {
    return cogroup(other, defaultPartitioner());
  }

  public <W> PairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(
      PairDStream<K, W> other, int numPartitions) {
    return cogroup(other, hash(numPartitions));
  }

  public <W> PairDStream<K, Tuple2<Iterable<V>, Iterable<W>>> cogroup(
      PairDStream<K, W> other, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return joined(other, (a, b) -> a.cogroup(b, partitioner));
  }

  public <W> PairDStream<K, Tuple2<V, W>> join(PairDStream<K, W> other) {
    return join(other, defaultPartitioner());
  }

  public <W> PairDStream<K, Tuple2<V, W>> join(PairDStream<K, W> other, int numPartitions) {
    return join(other, hash(numPartitions));
  }

  public <W> PairDStream<K, Tuple2<V, W>> join(PairDStream<K, W> other, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return joined(other, (a, b) -> a.join(b, partitioner));
  }

  public <W> PairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(PairDStream<K, W> other) {
    return leftOuterJoin(other, defaultPartitioner());
  }

  public <W> PairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(
      PairDStream<K, W> other, int numPartitions) {
    return leftOuterJoin(other, hash(numPartitions));
  }

  public <W> PairDStream<K, Tuple2<V, Optional<W>>> leftOuterJoin(
      PairDStream<K, W> other, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return joined(other, (a, b) -> a.leftOuterJoin(b, partitioner));
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(PairDStream<K, W> other) {
    return rightOuterJoin(other, defaultPartitioner());
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(
      PairDStream<K, W> other, int numPartitions) {
    return rightOuterJoin(other, hash(numPartitions));
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, W>> rightOuterJoin(
      PairDStream<K, W> other, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return joined(other, (a, b) -> a.rightOuterJoin(b, partitioner));
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(PairDStream<K, W> other) {
    return fullOuterJoin(other, defaultPartitioner());
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(
      PairDStream<K, W> other, int numPartitions) {
    return fullOuterJoin(other, hash(numPartitions));
  }

  public <W> PairDStream<K, Tuple2<Optional<V>, Optional<W>>> fullOuterJoin(
      PairDStream<K, W> other, Partitioner partitioner) {
    Checks.notNull(partitioner, "partitioner");
    return joined(other, (a, b) -> a.fullOuterJoin(b, partitioner));
  }

  // ---------------------------------------------------------------- state across batches

  /**
   * A stream of every key's state, updated each batch by {@code updateFunc(values of the key in
   * the batch, previous state)}: the result is the key's new state, or empty to remove the key.
   * The function is called for every key with a state or with values in the batch, so each batch
   * costs the size of the whole state; {@link #mapWithState} costs only what the batch touches.
   * State objects are shared with earlier batches: return new objects instead of changing old
   * ones. Needs a checkpoint directory ({@link StreamingContext#checkpoint}); the state is
   * checkpointed every 10 s or so, or as {@link #checkpoint(Duration)} on the result says. Uses
   * {@code rddContext().defaultParallelism()} hash partitions.
   */
  public <S> PairDStream<K, S> updateStateByKey(Function2<List<V>, Optional<S>, Optional<S>> updateFunc) {
    return updateStateByKey(updateFunc, defaultPartitioner());
  }

  /** {@link #updateStateByKey(Function2)} keeping the state in {@code numPartitions} hash partitions. */
  public <S> PairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> updateFunc, int numPartitions) {
    return updateStateByKey(updateFunc, hash(numPartitions));
  }

  /** {@link #updateStateByKey(Function2)} keeping the state partitioned by {@code partitioner}. */
  public <S> PairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner) {
    Checks.notNull(updateFunc, "update function");
    Checks.notNull(partitioner, "partitioner");
    return stateOf(new StateDStream<K, V, S, Object>(
        this, partitioner, null, StateUpdaters.updateStateByKey(updateFunc), "updateStateByKey"), true);
  }

  /**
   * {@link #updateStateByKey(Function2, Partitioner)} starting from the states in {@code
   * initialRdd} (one per key) instead of none.
   */
  public <S> PairDStream<K, S> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner,
      PairRdd<K, S> initialRdd) {
    Checks.notNull(updateFunc, "update function");
    Checks.notNull(partitioner, "partitioner");
    Checks.notNull(initialRdd, "initial state dataset");
    return stateOf(new StateDStream<K, V, S, Object>(
        this, partitioner, initialRdd, StateUpdaters.updateStateByKey(updateFunc), "updateStateByKey"), true);
  }

  /**
   * {@code updateStateByKey} whose function also receives the batch time and the key, as Spark's
   * {@code updateStateByKey((Time, K, Seq[V], Option[S]) => Option[S], ...)}: {@code
   * updateFunc(batch time, key, values of the key in the batch, previous state)}. Otherwise as
   * {@link #updateStateByKey(Function2)}.
   */
  public <S> PairDStream<K, S> updateStateByKey(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc) {
    return updateStateByKey(updateFunc, defaultPartitioner());
  }

  /** {@link #updateStateByKey(Function4)} keeping the state partitioned by {@code partitioner}. */
  public <S> PairDStream<K, S> updateStateByKey(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner) {
    return stateWithTime(updateFunc, partitioner, null);
  }

  /** {@link #updateStateByKey(Function4, Partitioner)} starting from the states in {@code initialRdd}. */
  public <S> PairDStream<K, S> updateStateByKey(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner,
      PairRdd<K, S> initialRdd) {
    return stateWithTime(updateFunc, partitioner, Checks.notNull(initialRdd, "initial state dataset"));
  }

  private <S> PairDStream<K, S> stateWithTime(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> updateFunc, Partitioner partitioner,
      PairRdd<K, S> initialRddOrNull) {
    Checks.notNull(updateFunc, "update function");
    Checks.notNull(partitioner, "partitioner");
    StateDStream<K, V, S, Object> state = new StateDStream<>(
        this, partitioner, initialRddOrNull, StateUpdaters.updateStateByKeyWithTime(updateFunc), "updateStateByKey");
    return stateOf(state, true);
  }

  /**
   * {@code updateStateByKey} with a function over a whole partition each batch: its input has one
   * {@code (key, values in the batch, previous state)} per key with a state or with values, its
   * output is the partition's new state; keys it leaves out are removed. It must return only keys
   * of its input (the state stays partitioned by {@code partitioner}). With {@code
   * rememberPartitioner} the resulting datasets report {@code partitioner}, so by-key operations
   * on them need no shuffle.
   */
  public <S> PairDStream<K, S> updateStateByKey(
      Function<Iterator<Tuple3<K, List<V>, Optional<S>>>, Iterator<Tuple2<K, S>>> updateFunc,
      Partitioner partitioner, boolean rememberPartitioner) {
    Checks.notNull(updateFunc, "update function");
    Checks.notNull(partitioner, "partitioner");
    return stateOf(new StateDStream<K, V, S, Object>(
        this, partitioner, null, StateUpdaters.updateStateByKeyIterator(updateFunc), "updateStateByKey"),
        rememberPartitioner);
  }

  /** The partition-iterator {@code updateStateByKey} starting from the states in {@code initialRdd}. */
  public <S> PairDStream<K, S> updateStateByKey(
      Function<Iterator<Tuple3<K, List<V>, Optional<S>>>, Iterator<Tuple2<K, S>>> updateFunc,
      Partitioner partitioner, boolean rememberPartitioner, PairRdd<K, S> initialRdd) {
    Checks.notNull(updateFunc, "update function");
    Checks.notNull(partitioner, "partitioner");
    Checks.notNull(initialRdd, "initial state dataset");
    return stateOf(new StateDStream<K, V, S, Object>(
        this, partitioner, initialRdd, StateUpdaters.updateStateByKeyIterator(updateFunc), "updateStateByKey"),
        rememberPartitioner);
  }

  /**
   * Maps each record with a per-key state that lives across batches: {@code spec}'s function is
   * called once per record of each batch with the key's {@link io.tributary.State}, which it may read, update
   * or remove, and returns the mapped value. Only the keys of the batch (and, with a timeout, the
   * keys timing out) are processed, so a batch costs what it touches, not the size of the state.
   * The result's {@link MapWithStateDStream#stateSnapshots()} is the full state after each batch.
   * Needs a checkpoint directory ({@link StreamingContext#checkpoint}); the state is checkpointed
   * every 10 s or so, or as {@link #checkpoint(Duration)} on the result says.
   */
  public <S, M> MapWithStateDStream<K, V, S, M> mapWithState(StateSpec<K, V, S, M> spec) {
    Checks.notNull(spec, "state spec");
    StateDStream<K, V, S, M> state =
        new StateDStream<>(
            this,
            spec.getPartitioner().orElseGet(this::defaultPartitioner),
            spec.getInitialState().orElse(null),
            StateUpdaters.mapWithState(spec.getMappingFunction(), spec.getTimeout().orElse(null)),
            "mapWithState");
    return new MapWithStateDStreamImpl<>(state);
  }

  // ---------------------------------------------------------------- internals

  private <K2, V2> PairDStream<K2, V2> pairs(Function<PairRdd<K, V>, PairRdd<K2, V2>> f) {
    return fromDStream(transformed(rdd -> f.call(PairRdd.fromRdd(rdd))));
  }

  private <W, R> PairDStream<K, R> joined(
      PairDStream<K, W> other, Function2<PairRdd<K, V>, PairRdd<K, W>, PairRdd<K, R>> f) {
    Checks.notNull(other, "other stream");
    return transformWithToPair(other, (a, b, time) -> f.call(a, b));
  }

  private static <K, S, M> PairDStream<K, S> stateOf(StateDStream<K, ?, S, M> state, boolean keepPartitioner) {
    return fromDStream(new StateViewDStream<K, S, M, Tuple2<K, S>>(state, StateViewDStream::pairs, keepPartitioner));
  }

  private Partitioner defaultPartitioner() {
    return new HashPartitioner(ssc.rddContext().defaultParallelism());
  }

  private static Partitioner hash(int numPartitions) {
    return new HashPartitioner(Checks.positive(numPartitions, "numPartitions"));
  }
}
