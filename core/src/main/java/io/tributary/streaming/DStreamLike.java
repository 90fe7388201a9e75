package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.function.Function3;
import io.tributary.function.PairFlatMapFunction;
import io.tributary.function.PairFunction;
import io.tributary.function.VoidFunction;
import io.tributary.function.VoidFunction2;
import io.tributary.internal.Checks;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.SortedMap;
import java.io.Serializable;
import io.tributary.streaming.internal.checkpoint.Checkpoint;

/**
 * The operations of every discretized stream: a sequence of datasets ({@link Rdd}), one per batch interval, each
 * holding the data of that interval. Transformations (map, filter, reduceByKey on {@link
 * PairDStream}, window operations, transform, ...) define new streams; output operations (print,
 * foreachRDD, save...) make the context run a job for every batch. Everything is defined before
 * {@link StreamingContext#start()}.
 *
 * <pre>{@code
 * DStream<String> lines = ssc.socketTextStream("localhost", 9999);
 * PairDStream<String, Integer> counts = lines
 *     .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
 *     .mapToPair(word -> new Tuple2<>(word, 1))
 *     .reduceByKey(Integer::sum);
 * counts.print();
 * }</pre>
 *
 * <p>Two stream types share these operations: {@link DStream} (datasets typed {@code Rdd<T>})
 * and {@link PairDStream} (datasets typed {@code PairRdd<K, V>}, so functions given to
 * foreachRDD or transform see the by-key operations), as Spark's {@code JavaDStreamLike} does.
 *
 * <p>Subclasses (input streams of connectors, and the engine's own kinds) define {@link
 * #slideDuration()}, {@link #dependencies()} and {@link #compute(Time)}. Each stream computes the
 * dataset of a batch time once ({@link #getOrCompute(Time)} memoizes it), so a stream feeding
 * several outputs is computed once per batch, and drops it once no window or {@code remember}
 * needs it.
 */
public abstract class DStreamLike<T, R extends Rdd<T>, S extends DStreamLike<T, R, S>> {
  protected final StreamingContext ssc;
  private final int id;
  private final TreeMap<Time, Rdd<T>> generated = new TreeMap<>();
  private Time zeroTime;
  private Time lastComputedTime;
  private final java.util.TreeSet<Time> failedTimes = new java.util.TreeSet<>();
  private Duration rememberDuration;
  private Duration checkpointDuration;
  private StorageLevel storageLevel = StorageLevel.NONE;
  private String name;

  DStreamLike(StreamingContext ssc) {
    this.ssc = Checks.notNull(ssc, "streaming context");
    ssc.checkDefinable("create a new stream");
    this.id = ssc.runtime().graph().register(this);
  }

  // ---------------------------------------------------------------- lineage (for subclasses)

  /** The interval between this stream's datasets. */
  public abstract Duration slideDuration();

  /** The streams this one is computed from. */
  public abstract List<DStreamLike<?, ?, ?>> dependencies();

  /** This stream's dataset of a batch, typed for this kind of stream. */
  abstract R typed(Rdd<T> rdd);

  /** {@code stream} (which has this stream's element type) as this kind of stream. */
  abstract S typed(DStream<T> stream);

  /** The dataset of batch {@code validTime}, or empty when this stream has none at that time. */
  public abstract Optional<Rdd<T>> compute(Time validTime);

  /** How long parents must keep their datasets for this stream; windows extend it. */
  Duration parentRememberDuration() {
    return rememberDuration;
  }

  // ---------------------------------------------------------------- identity

  /** The context this stream belongs to. */
  public StreamingContext context() {
    return ssc;
  }

  /** Position of this stream in the order the application defined its streams. */
  public int id() {
    return id;
  }

  /** The name given with {@link #name(String)}, or null. */
  public String name() {
    DStreamLike<?, ?, ?> shown = viewed();
    return shown != null ? shown.name() : name;
  }

  /** Names this stream (in logs, listener events and checkpoints). Returns this stream. */
  @SuppressWarnings("unchecked")
  public S name(String name) {
    Checks.notNull(name, "name");
    DStreamLike<?, ?, ?> shown = viewed();
    if (shown != null) {
      shown.name(name);
    } else {
      this.name = name;
    }
    return (S) this;
  }

  // ---------------------------------------------------------------- per-batch transformations

  public <U> DStream<U> map(Function<T, U> f) {
    Checks.notNull(f, "map function");
    return transformed(rdd -> rdd.map(f));
  }

  public <U> DStream<U> flatMap(FlatMapFunction<T, U> f) {
    Checks.notNull(f, "flatMap function");
    return transformed(rdd -> rdd.flatMap(f));
  }

  public S filter(Function<T, Boolean> f) {
    Checks.notNull(f, "filter function");
    return typed(transformed(rdd -> rdd.filter(f)));
  }

  /** Applies {@code f} to each partition's iterator of each batch. */
  public <U> DStream<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    Checks.notNull(f, "mapPartitions function");
    return transformed(rdd -> rdd.mapPartitions(f));
  }

  public <K, V> PairDStream<K, V> mapToPair(PairFunction<T, K, V> f) {
    Checks.notNull(f, "mapToPair function");
    return PairDStream.fromDStream(transformed(rdd -> rdd.mapToPair(f)));
  }

  public <K, V> PairDStream<K, V> flatMapToPair(PairFlatMapFunction<T, K, V> f) {
    Checks.notNull(f, "flatMapToPair function");
    return PairDStream.fromDStream(transformed(rdd -> rdd.flatMapToPair(f)));
  }

  public <K, V> PairDStream<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f) {
    Checks.notNull(f, "mapPartitionsToPair function");
    return PairDStream.fromDStream(transformed(rdd -> rdd.mapPartitionsToPair(f)));
  }

  /** Each partition of each batch as one list. */
  public DStream<List<T>> glom() {
    return transformed(Rdd::glom);
  }

  /** Each batch spread evenly over {@code numPartitions} partitions (a shuffle). */
  public S repartition(int numPartitions) {
    Checks.positive(numPartitions, "numPartitions");
    return typed(transformed(rdd -> rdd.repartition(numPartitions)));
  }

  /**
   * The batches of this stream and {@code other} together; both must have the same slide. A batch
   * for which either has no dataset fails, as in Spark.
   */
  public S union(S other) {
    Checks.notNull(other, "other stream");
    return typed(ssc.union(List.of(this, other)));
  }

  /** One element per batch: the number of elements in it (0 for an empty batch). */
  public DStream<Long> count() {
    return this.<Long>mapPartitions(
            it -> {
              long n = 0;
              for (; it.hasNext(); it.next()) {
                n++;
              }
              return List.of(n).iterator();
            })
        .transformed(rdd -> rdd.union(rdd.context().parallelize(List.of(0L), 1)))
        .reduce(Long::sum);
  }

  /** One element per non-empty batch: all its elements combined with {@code f}. */
  public DStream<T> reduce(Function2<T, T, T> f) {
    Checks.notNull(f, "reduce function");
    return this.<Integer, T>mapToPair(t -> new Tuple2<>(0, t)).reduceByKey(f, 1).map(Tuple2::_2);
  }

  /** Each distinct element of each batch with its number of occurrences. */
  public PairDStream<T, Long> countByValue() {
    return countByValue(ssc.rddContext().defaultParallelism());
  }

  public PairDStream<T, Long> countByValue(int numPartitions) {
    return this.<T, Long>mapToPair(t -> new Tuple2<>(t, 1L)).reduceByKey(Long::sum, numPartitions);
  }

  /**
   * Applies an arbitrary dataset-to-dataset function to each batch. As in Spark, a batch for which
   * this stream has no dataset at all fails (the element-wise operations skip it instead).
   */
  public <U> DStream<U> transform(Function<R, Rdd<U>> f) {
    Checks.notNull(f, "transform function");
    return transform((rdd, time) -> f.call(rdd));
  }

  /** Like {@link #transform(Function)}, with the batch time. */
  public <U> DStream<U> transform(Function2<R, Time, Rdd<U>> f) {
    Checks.notNull(f, "transform function");
    return new TransformedDStream<U>(
        ssc, List.of(this), (rdds, time) -> f.call(typed(first(rdds)), time), "transform");
  }

  public <K, V> PairDStream<K, V> transformToPair(Function<R, PairRdd<K, V>> f) {
    Checks.notNull(f, "transformToPair function");
    return transformToPair((rdd, time) -> f.call(rdd));
  }

  public <K, V> PairDStream<K, V> transformToPair(Function2<R, Time, PairRdd<K, V>> f) {
    Checks.notNull(f, "transformToPair function");
    return PairDStream.fromDStream(
        new TransformedDStream<Tuple2<K, V>>(
            ssc, List.of(this), (rdds, time) -> f.call(typed(first(rdds)), time), "transformToPair"));
  }

  /** Combines each batch of this stream with the same batch of {@code other}; both must have one. */
  public <U, RU extends Rdd<U>, W> DStream<W> transformWith(
      DStreamLike<U, RU, ?> other, Function3<R, RU, Time, Rdd<W>> f) {
    Checks.notNull(other, "other stream");
    Checks.notNull(f, "transformWith function");
    return new TransformedDStream<W>(
        ssc,
        List.of(this, other),
        (rdds, time) -> f.call(typed(first(rdds)), other.typed(second(rdds)), time),
        "transformWith");
  }

  public <U, RU extends Rdd<U>, K, V> PairDStream<K, V> transformWithToPair(
      DStreamLike<U, RU, ?> other, Function3<R, RU, Time, PairRdd<K, V>> f) {
    Checks.notNull(other, "other stream");
    Checks.notNull(f, "transformWithToPair function");
    return PairDStream.fromDStream(
        new TransformedDStream<Tuple2<K, V>>(
            ssc,
            List.of(this, other),
            (rdds, time) -> f.call(typed(first(rdds)), other.typed(second(rdds)), time),
            "transformWithToPair"));
  }

  // ---------------------------------------------------------------- windows

  /**
   * Every batch, the elements of the last {@code windowDuration} of batches (a multiple of this
   * stream's slide duration). The batches are kept (and persisted) as long as the window needs them.
   */
  public S window(Duration windowDuration) {
    return window(windowDuration, slideDuration());
  }

  /**
   * Every {@code slideDuration}, the elements of the batches in the last {@code windowDuration}
   * ({@code (t - window, t]}). Both must be multiples of this stream's slide duration.
   */
  public S window(Duration windowDuration, Duration slideDuration) {
    return typed(new WindowedDStream<>(this, windowDuration, slideDuration));
  }

  /**
   * Every {@code slideDuration}, the number of elements in the last {@code windowDuration},
   * counted incrementally ({@link #reduceByWindow(Function2, Function2, Duration, Duration)}), so
   * it needs {@link StreamingContext#checkpoint(String)}. Once data was seen, an empty window
   * counts 0.
   */
  public DStream<Long> countByWindow(Duration windowDuration, Duration slideDuration) {
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "countByWindow");
    return this.map(t -> 1L).reduceByWindow(Long::sum, (a, b) -> a - b, windowDuration, slideDuration);
  }

  /**
   * Every {@code slideDuration}, all elements of the last {@code windowDuration} combined with
   * {@code reduceFunc} (associative and commutative); nothing for a window without elements.
   */
  public DStream<T> reduceByWindow(Function2<T, T, T> reduceFunc, Duration windowDuration, Duration slideDuration) {
    Checks.notNull(reduceFunc, "reduce function");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "reduceByWindow");
    return reduce(reduceFunc).window(windowDuration, slideDuration).reduce(reduceFunc);
  }

  /**
   * Like {@link #reduceByWindow(Function2, Duration, Duration)}, computed incrementally: the
   * previous window's value, with the batches leaving the window removed with {@code
   * invReduceFunc} (the inverse of {@code reduceFunc}: {@code inv(reduce(a, b), b) == a}) and the
   * batches entering it added. Needs {@link StreamingContext#checkpoint(String)}.
   */
  public DStream<T> reduceByWindow(
      Function2<T, T, T> reduceFunc, Function2<T, T, T> invReduceFunc, Duration windowDuration,
      Duration slideDuration) {
    Checks.notNull(reduceFunc, "reduce function");
    Checks.notNull(invReduceFunc, "inverse reduce function");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "reduceByWindow");
    return this.<Integer, T>mapToPair(t -> new Tuple2<>(0, t))
        .reduceByKeyAndWindow(reduceFunc, invReduceFunc, windowDuration, slideDuration, 1, null)
        .map(Tuple2::_2);
  }

  /**
   * Every {@code slideDuration}, each distinct element of the last {@code windowDuration} with its
   * number of occurrences, counted incrementally (elements whose count drops to 0 are left out).
   * Needs {@link StreamingContext#checkpoint(String)}.
   */
  public PairDStream<T, Long> countByValueAndWindow(Duration windowDuration, Duration slideDuration) {
    return countByValueAndWindow(windowDuration, slideDuration, ssc.rddContext().defaultParallelism());
  }

  /** Like {@link #countByValueAndWindow(Duration, Duration)}, in {@code numPartitions} partitions. */
  public PairDStream<T, Long> countByValueAndWindow(
      Duration windowDuration, Duration slideDuration, int numPartitions) {
    Checks.positive(numPartitions, "numPartitions");
    WindowedDStream.checkWindow(this, windowDuration, slideDuration, "countByValueAndWindow");
    return this.<T, Long>mapToPair(t -> new Tuple2<>(t, 1L))
        .reduceByKeyAndWindow(
            Long::sum, (a, b) -> a - b, windowDuration, slideDuration, numPartitions, kv -> kv._2() != 0L);
  }

  // ---------------------------------------------------------------- persistence

  /** Keeps every generated dataset of this stream at {@code level} while it is remembered. */
  @SuppressWarnings("unchecked")
  public S persist(StorageLevel level) {
    Checks.notNull(level, "storage level");
    ssc.checkDefinable("change the storage level of a stream");
    this.storageLevel = level;
    return (S) this;
  }

  /** {@code persist(MEMORY_ONLY_SER)}, as in Spark. */
  public S persist() {
    return persist(StorageLevel.MEMORY_ONLY_SER);
  }

  /** {@code persist()}. */
  public S cache() {
    return persist();
  }

  public StorageLevel storageLevel() {
    return storageLevel;
  }

  /**
   * Writes this stream's datasets to the checkpoint directory every {@code interval} (a multiple
   * of the slide), cutting their lineage. Stateful streams do it by default every 10 s or so.
   */
  @SuppressWarnings("unchecked")
  public S checkpoint(Duration interval) {
    Checks.notNull(interval, "checkpoint interval");
    DStreamLike<?, ?, ?> shown = viewed();
    if (shown != null) {
      shown.checkpoint(interval);
      return (S) this;
    }
    ssc.checkDefinable("set the checkpoint interval of a stream");
    if (!interval.isMultipleOf(slideDuration())) {
      throw new IllegalArgumentException(
          "Checkpoint interval " + interval + " of " + this + " must be a multiple of its slide "
              + "duration " + slideDuration());
    }
    this.checkpointDuration = interval;
    return (S) this;
  }

  /** The data checkpoint interval, or null when this stream is not checkpointed. */
  public Duration checkpointDuration() {
    DStreamLike<?, ?, ?> shown = viewed();
    return shown != null ? shown.checkpointDuration() : checkpointDuration;
  }

  /**
   * The stream whose datasets this one only shows in another form (a pair view, a view of
   * state), or null. A view has no name or checkpoint interval of its own: setting them sets the
   * viewed stream's, which is what holds the data.
   */
  DStreamLike<?, ?, ?> viewed() {
    return null;
  }

  /**
   * The checkpoint interval of a stream that {@link #mustCheckpoint()} when none was set: as in
   * Spark, the smallest multiple of the slide that is at least 10 s.
   */
  Duration defaultCheckpointDuration() {
    long slide = slideDuration().milliseconds();
    return new Duration(slide * Math.max(1, (10_000 + slide - 1) / slide));
  }

  /**
   * True for kinds whose lineage grows batch after batch (state, incremental windows): they are
   * checkpointed by default and need a checkpoint directory.
   */
  boolean mustCheckpoint() {
    return false;
  }

  // ---------------------------------------------------------------- output operations

  /** Prints the first ten elements of every batch. */
  public void print() {
    print(10);
  }

  /**
   * Prints the first {@code num} elements of every batch to standard output, under a header with
   * the batch time, and {@code ...} when the batch has more.
   */
  public void print(int num) {
    Checks.positive(num, "num");
    foreachRDD(
        (rdd, time) -> {
          List<T> first = rdd.take(num + 1);
          StringBuilder out = new StringBuilder();
          out.append("-------------------------------------------\n");
          out.append("Time: ").append(time).append('\n');
          out.append("-------------------------------------------\n");
          for (int i = 0; i < Math.min(num, first.size()); i++) {
            out.append(first.get(i)).append('\n');
          }
          if (first.size() > num) {
            out.append("...\n");
          }
          out.append('\n');
          System.out.print(out);
          System.out.flush();
        },
        "print");
  }

  /** Runs {@code f} on the dataset of every batch, on the job's thread; the basis of all outputs. */
  public void foreachRDD(VoidFunction<R> f) {
    Checks.notNull(f, "foreachRDD function");
    foreachRDD((rdd, time) -> f.call(typed(rdd)), "foreachRDD");
  }

  /** Like {@link #foreachRDD(VoidFunction)}, with the batch time. */
  public void foreachRDD(VoidFunction2<R, Time> f) {
    Checks.notNull(f, "foreachRDD function");
    foreachRDD((rdd, time) -> f.call(typed(rdd), time), "foreachRDD");
  }

  /** Saves each batch as text files in directory {@code prefix-TIME_IN_MS[.suffix]}. */
  public void saveAsTextFiles(String prefix, String suffix) {
    Checks.notNull(prefix, "prefix");
    foreachRDD((rdd, time) -> rdd.saveAsTextFile(batchPath(prefix, suffix, time)), "saveAsTextFiles");
  }

  /**
   * Saves each batch as object files (SequenceFiles of serialized records) in directory {@code
   * prefix-TIME_IN_MS[.suffix]}; read back with {@code rddContext().objectFile(path)}.
   */
  public void saveAsObjectFiles(String prefix, String suffix) {
    Checks.notNull(prefix, "prefix");
    foreachRDD(
        (rdd, time) -> rdd.saveAsObjectFile(batchPath(prefix, suffix, time)),
        "saveAsObjectFiles");
  }

  /**
   * The datasets of every batch time in {@code [from, to]}, both ends included, as Spark's {@code
   * slice}: a time between two batch times is aligned down to the batch time before it. A batch
   * time up to the current time that this stream has not computed yet is computed now (and is then
   * the batch's dataset); batch times after the current time have none yet, and a batch no longer
   * remembered is not computed again ({@link StreamingContext#remember} keeps batches longer).
   *
   * @throws IllegalStateException when the stream has not been initialized: before start(), or
   *     when no output operation uses it
   */
  public List<R> slice(Time from, Time to) {
    Checks.notNull(from, "from");
    Checks.notNull(to, "to");
    if (zeroTime == null) {
      throw new IllegalStateException(
          this + " has not been initialized: slice() works once the context is started (call it after "
              + "start()), on a stream that an output operation uses");
    }
    Duration slide = slideDuration();
    Time now = new Time(ssc.runtime().clock().getTimeMillis());
    Time last = to.floor(slide, zeroTime);
    if (last.greater(now)) {
      last = now.floor(slide, zeroTime);
    }
    List<R> rdds = new ArrayList<>();
    for (Time t = from.floor(slide, zeroTime); t.lessEq(last); t = t.plus(slide)) {
      if (t.greater(zeroTime)) {
        getOrCompute(t).ifPresent(rdd -> rdds.add(typed(rdd)));
      }
    }
    return rdds;
  }

  // ---------------------------------------------------------------- engine use (package-private, or protected for direct sources)

  /**
   * The dataset of batch {@code time}: the remembered one, or a newly computed one when {@code
   * time} is a batch time of this stream later than any computed before, or one whose computation
   * failed (a retried batch). Otherwise each time is computed at most once: a forgotten earlier
   * batch stays empty, as computing it again would read a source again (taking data of later
   * batches). Engine and subclass use.
   */
  final synchronized Optional<Rdd<T>> getOrCompute(Time time) {
    Rdd<T> existing = generated.get(time);
    if (existing != null) {
      return Optional.of(existing);
    }
    if (!isTimeValid(time)
        || (lastComputedTime != null && !time.greater(lastComputedTime) && !failedTimes.contains(time))) {
      return Optional.empty();
    }
    Optional<Rdd<T>> computed;
    try {
      computed = compute(time);
    } catch (RuntimeException | Error e) {
      failedTimes.add(time); // may be computed again when its batch is retried
      throw e;
    }
    failedTimes.remove(time);
    if (lastComputedTime == null || time.greater(lastComputedTime)) {
      lastComputedTime = time;
    }
    computed.ifPresent(
        rdd -> {
          if (storageLevel != StorageLevel.NONE && rdd.getStorageLevel() == StorageLevel.NONE) {
            rdd.persist(storageLevel);
          }
          if (checkpointDuration != null && time.minus(zeroTime).isMultipleOf(checkpointDuration)) {
            rdd.checkpoint();
          }
          generated.put(time, rdd);
        });
    return computed;
  }

  /** Whether {@code time} is one of this stream's batch times. */
  protected final boolean isTimeValid(Time time) {
    if (zeroTime == null) {
      throw new IllegalStateException("Stream " + this + " has not been initialized: start the context first");
    }
    return time.greater(zeroTime) && time.minus(zeroTime).isMultipleOf(slideDuration());
  }

  /** Engine use: sets the time before the first batch, here and upstream. */
  void initialize(Time zero) {
    if (zeroTime != null && !zeroTime.equals(zero)) {
      throw new IllegalStateException(
          "Stream " + this + " already initialized with zero time " + zeroTime + ", not " + zero);
    }
    zeroTime = zero;
    if (mustCheckpoint() && checkpointDuration == null) {
      checkpointDuration = defaultCheckpointDuration();
    }
    if (rememberDuration == null) {
      rememberDuration = slideDuration();
    }
    if (checkpointDuration != null && rememberDuration.lessEq(checkpointDuration.times(2))) {
      rememberDuration = checkpointDuration.times(2);
    }
    for (DStreamLike<?, ?, ?> parent : dependencies()) {
      parent.initialize(zero);
    }
  }

  /** Engine use: keep datasets at least {@code duration}, and make parents keep what this needs. */
  void remember(Duration duration) {
    if (duration != null && (rememberDuration == null || duration.greater(rememberDuration))) {
      rememberDuration = duration;
    }
    for (DStreamLike<?, ?, ?> parent : dependencies()) {
      parent.remember(parentRememberDuration());
    }
  }

  protected final Duration rememberDuration() {
    return rememberDuration;
  }

  final Time zeroTime() {
    return zeroTime;
  }

  /**
   * Engine use: drops the datasets of {@code time - rememberDuration} and older here and upstream,
   * unpersisting them when {@code unpersist} is true.
   */
  protected void clearMetadata(Time time, boolean unpersist) {
    synchronized (this) {
      // as Spark: a batch exactly rememberDuration old is no longer remembered
      Map<Time, Rdd<T>> old = generated.headMap(time.minus(rememberDuration), true);
      failedTimes.headSet(time.minus(rememberDuration), true).clear();
      if (unpersist) {
        old.values().forEach(Rdd::unpersist);
      }
      old.clear();
    }
    for (DStreamLike<?, ?, ?> parent : dependencies()) {
      parent.clearMetadata(time, unpersist);
    }
  }

  /** Engine use: the datasets this stream currently remembers, oldest first. */
  final synchronized List<Rdd<T>> rememberedDatasets() {
    return List.copyOf(generated.values());
  }

  /** Engine use: how many datasets this stream currently remembers. */
  final synchronized int rememberedCount() {
    return generated.size();
  }

  /**
   * Engine use: the key under which this stream's progress is checkpointed: its name, else its
   * position in the graph. Name stateful streams to keep recovery working when streams are added
   * or removed before them.
   */
  protected String checkpointKey() {
    return name != null ? name : "#" + id; // a view's name() shows its parent's: not its key
  }

  /** Engine use: the kind of stream recorded in checkpoints, to detect a stream retyped between versions. */
  String checkpointKind() {
    return getClass().getSimpleName();
  }

  /** Engine use: whether recovery must find this stream again (it keeps state across batches). */
  boolean isStateful() {
    return mustCheckpoint();
  }

  /**
   * Engine use: what this stream needs to resume after a restart, per batch time. By default the
   * remembered datasets that data checkpoints wrote.
   */
  protected synchronized SortedMap<Long, Serializable> checkpointData() {
    TreeMap<Long, Serializable> entries = new TreeMap<>();
    for (Map.Entry<Time, Rdd<T>> e : generated.entrySet()) {
      Rdd<T> rdd = e.getValue();
      rdd.getCheckpointFile()
          .ifPresent(
              dir ->
                  entries.put(
                      e.getKey().milliseconds(),
                      new Checkpoint.CheckpointedRdd(dir, rdd.numPartitions(), rdd.partitioner().orElse(null))));
    }
    return entries;
  }

  /** Engine use: restores what {@link #checkpointData()} returned, before the first batch after recovery. */
  protected synchronized void restoreCheckpointData(SortedMap<Long, Serializable> entries) {
    for (Map.Entry<Long, Serializable> e : entries.entrySet()) {
      if (e.getValue() instanceof Checkpoint.CheckpointedRdd c) {
        restoreDataset(
            new Time(e.getKey()),
            ssc.rddContext().checkpointFile(c.directory(), c.partitions(), c.partitioner()));
      }
    }
  }

  /** Engine and subclass use: makes {@code rdd} this stream's dataset of {@code time}, as if computed. */
  protected final synchronized void restoreDataset(Time time, Rdd<T> rdd) {
    generated.put(time, rdd);
    if (lastComputedTime == null || time.greater(lastComputedTime)) {
      lastComputedTime = time;
    }
  }

  /** Engine use: checks made when the context starts; fails naming the problem. */
  void validateAtStart() {
    if (checkpointDuration != null && ssc.checkpointDirectory() == null) {
      throw new IllegalStateException(
          "Stream " + this + " must be checkpointed" + (mustCheckpoint() ? " (stateful operations "
              + "and windows with an inverse function keep their data in checkpoints)" : "")
              + ", but no checkpoint directory is set: call ssc.checkpoint(directory) before start()");
    }
    for (DStreamLike<?, ?, ?> parent : dependencies()) {
      parent.validateAtStart();
    }
  }

  @Override
  public String toString() {
    String named = name();
    return getClass().getSimpleName() + "#" + id + (named == null ? "" : "(" + named + ")");
  }

  // ---------------------------------------------------------------- internals

  /** A stream of {@code f} applied to each batch's dataset. */
  <U> DStream<U> transformed(Function<Rdd<T>, Rdd<U>> f) {
    return new TransformedDStream<U>(ssc, List.of(this), (rdds, time) -> f.call(first(rdds)));
  }

  /** Registers an output operation named {@code operation}. */
  void foreachRDD(VoidFunction2<Rdd<T>, Time> f, String operation) {
    ssc.checkDefinable("add an output operation (" + operation + ")");
    new ForEachDStream<>(ssc, this, f, operation);
  }

  static String batchPath(String prefix, String suffix, Time time) {
    String base = prefix + "-" + time.milliseconds();
    return suffix == null || suffix.isEmpty() ? base : base + "." + suffix;
  }

  @SuppressWarnings("unchecked")
  private static <T> Rdd<T> first(List<Rdd<?>> rdds) {
    return (Rdd<T>) rdds.get(0);
  }

  @SuppressWarnings("unchecked")
  private static <U> Rdd<U> second(List<Rdd<?>> rdds) {
    return (Rdd<U>) rdds.get(1);
  }
}
