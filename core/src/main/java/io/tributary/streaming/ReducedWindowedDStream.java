package io.tributary.streaming;

import io.tributary.Partitioner;
import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.internal.Checks;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code reduceByKeyAndWindow} with an inverse function: each window is the previous one (of
 * {@code t - slide}) with the batches leaving the window removed with {@code invReduceFunc} and
 * the batches entering it added with {@code reduceFunc}, then filtered with {@code filterFunc}.
 * The parent is the per-batch {@code reduceByKey} of the input, so each key has at most one value
 * per batch. Without a previous window (the first one, or a window shorter than its slide) the
 * whole window is reduced.
 *
 * <p>Each window's lineage includes the previous window's, so this stream persists its datasets
 * and must be checkpointed (every 10 s or so by default): {@code start()} fails without a
 * checkpoint directory.
 *
 * <p>A {@code filterFunc} should only drop keys whose windowed value is the identity of the
 * reduction (like a count of 0): a dropped key counts as absent from the previous window, so only
 * the batches entering the window give its next value.
 */
final class ReducedWindowedDStream<K, V> extends DStream<Tuple2<K, V>> {
  private final DStreamLike<Tuple2<K, V>, ?, ?> reduced;
  private final Function2<V, V, V> reduceFunc;
  private final Function2<V, V, V> invReduceFunc;
  private final Function<Tuple2<K, V>, Boolean> filterFunc;
  private final Duration windowDuration;
  private final Duration slideDuration;
  private final Partitioner partitioner;
  private Duration requestedRemember;

  /** Marks a key with no value (a static, so the per-partition function captures nothing). */
  private static final Object ABSENT = new Object();

  /**
   * A window over {@code reduced}, whose batches must already be reduced by key with {@code
   * partitioner}. {@code filterFunc} may be null (keep every key).
   */
  public ReducedWindowedDStream(
      DStreamLike<Tuple2<K, V>, ?, ?> reduced,
      Function2<V, V, V> reduceFunc,
      Function2<V, V, V> invReduceFunc,
      Function<Tuple2<K, V>, Boolean> filterFunc,
      Duration windowDuration,
      Duration slideDuration,
      Partitioner partitioner) {
    super(WindowedDStream.checkWindow(reduced, windowDuration, slideDuration, "reduceByKeyAndWindow"));
    this.reduced = reduced;
    this.reduceFunc = Checks.notNull(reduceFunc, "reduce function");
    this.invReduceFunc = Checks.notNull(invReduceFunc, "inverse reduce function");
    this.filterFunc = filterFunc;
    this.windowDuration = windowDuration;
    this.slideDuration = slideDuration;
    this.partitioner = Checks.notNull(partitioner, "partitioner");
    if (reduced.storageLevel() == StorageLevel.NONE) {
      reduced.persist(StorageLevel.MEMORY_ONLY);
    }
    persist(StorageLevel.MEMORY_ONLY);
  }

  /** The length of each window. */
  public Duration windowDuration() {
    return windowDuration;
  }

  @Override
  public Duration slideDuration() {
    return slideDuration;
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of(reduced);
  }

  @Override
  protected boolean mustCheckpoint() {
    return true;
  }

  @Override
  public void remember(Duration duration) {
    if (duration != null && (requestedRemember == null || duration.greater(requestedRemember))) {
      requestedRemember = duration;
    }
    super.remember(duration);
  }

  /**
   * The parent's batches are read for one window and one slide (the batches leaving the window
   * come out of the previous one), plus what streams downstream asked this one to remember; not
   * the longer remember duration this stream keeps for its own checkpoints.
   */
  @Override
  protected Duration parentRememberDuration() {
    Duration asked = requestedRemember == null ? slideDuration : requestedRemember.max(slideDuration);
    return asked.plus(windowDuration);
  }

  @Override
  public Optional<Rdd<Tuple2<K, V>>> compute(Time validTime) {
    Time previousTime = validTime.minus(slideDuration);
    Optional<Rdd<Tuple2<K, V>>> previous =
        windowDuration.greaterEq(slideDuration) && previousTime.greater(zeroTime())
            ? getOrCompute(previousTime)
            : Optional.empty();
    PairRdd<K, V> window;
    if (previous.isEmpty()) {
      List<Rdd<Tuple2<K, V>>> all =
          WindowedDStream.datasetsIn(reduced, validTime.minus(windowDuration), validTime, slideDuration);
      window = PairRdd.fromRdd(ssc.rddContext().union(all)).reduceByKey(reduceFunc, partitioner);
    } else {
      // previous window (t - slide - window, t - slide]; current window (t - window, t]
      List<Rdd<Tuple2<K, V>>> old = WindowedDStream.datasetsIn(
          reduced, previousTime.minus(windowDuration), validTime.minus(windowDuration), new Duration(0));
      List<Rdd<Tuple2<K, V>>> entering =
          WindowedDStream.datasetsIn(reduced, previousTime, validTime, new Duration(0));
      window = incremental(previous.get(), old, entering);
    }
    return Optional.of(filterFunc == null ? window : window.filter(filterFunc));
  }

  private PairRdd<K, V> incremental(
      Rdd<Tuple2<K, V>> previous, List<Rdd<Tuple2<K, V>>> old, List<Rdd<Tuple2<K, V>>> entering) {
    List<Rdd<Tuple2<K, V>>> all = new ArrayList<>(1 + old.size() + entering.size());
    all.add(previous);
    all.addAll(old);
    all.addAll(entering);
    int numOld = old.size();
    Function2<V, V, V> reduceF = reduceFunc;
    Function2<V, V, V> invReduceF = invReduceFunc;
    PairRdd<K, List<List<V>>> grouped = previous.context().cogroup(all, partitioner);
    Rdd<Tuple2<K, V>> merged =
        grouped.mapPartitions(
            it -> {
              List<Tuple2<K, V>> out = new ArrayList<>();
              while (it.hasNext()) {
                Tuple2<K, List<List<V>>> kv = it.next();
                @SuppressWarnings("unchecked")
                List<List<Object>> values = (List<List<Object>>) (List<?>) kv._2();
                Object value = merge(values, numOld, reduceF, invReduceF);
                if (value != ABSENT) {
                  @SuppressWarnings("unchecked")
                  V v = (V) value;
                  out.add(new Tuple2<>(kv._1(), v));
                }
              }
              return out.iterator();
            },
            true);
    return PairRdd.fromRdd(merged);
  }

  /**
   * The key's new window value from its values in (previous window, old batches..., new
   * batches...), or {@link #ABSENT} when the key is in neither the previous window nor a new batch.
   */
  @SuppressWarnings("unchecked")
  private static <V> Object merge(
      List<List<Object>> values, int numOld, Function2<V, V, V> reduceF, Function2<V, V, V> invReduceF)
      throws Exception {
    Object oldValues = reduceAll(values.subList(1, 1 + numOld), reduceF);
    Object newValues = reduceAll(values.subList(1 + numOld, values.size()), reduceF);
    List<Object> previous = values.get(0);
    if (previous.isEmpty()) {
      return newValues;
    }
    V value = (V) previous.get(0);
    if (oldValues != ABSENT) {
      value = invReduceF.call(value, (V) oldValues);
    }
    if (newValues != ABSENT) {
      value = reduceF.call(value, (V) newValues);
    }
    return value;
  }

  /** The reduction of the value of each non-empty list, or {@link #ABSENT} when all are empty. */
  @SuppressWarnings("unchecked")
  private static <V> Object reduceAll(List<List<Object>> lists, Function2<V, V, V> reduceF) throws Exception {
    Object result = ABSENT;
    for (List<Object> values : lists) {
      if (!values.isEmpty()) {
        V v = (V) values.get(0);
        result = result == ABSENT ? v : reduceF.call((V) result, v);
      }
    }
    return result;
  }
}
