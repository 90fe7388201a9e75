package io.tributary.rdd;

import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.StorageLevel;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.function.PairFlatMapFunction;
import io.tributary.function.PairFunction;
import io.tributary.function.VoidFunction;
import io.tributary.internal.Checks;
import io.tributary.internal.Sneaky;
import io.tributary.internal.rdd.Iterators;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An immutable, partitioned dataset with lineage: the data of one batch of a stream, or any
 * dataset made with {@link RddContext}. Transformations (map, filter, reduceByKey on {@link
 * PairRdd}, ...) are lazy and return a new dataset; actions (collect, count, foreach, ...) run a
 * job on the engine and return a result. A partition lost or dropped is recomputed from lineage.
 *
 * <p>The lineage is public data: {@link #numPartitions()}, {@link #dependencies()} (whose kind says
 * how partitions relate, e.g. {@link Dependency.OneToOne}), {@link #partitioner()} and, for a
 * dataset read from a source, {@link #splits()}. The set of kinds is closed (this class is sealed):
 * datasets are made by {@link RddContext} (including {@link RddContext#fromSplits} for connectors)
 * and combined through the operations, not by subclassing.
 */
public abstract sealed class Rdd<T> implements java.io.Serializable
    permits PairRdd, MapPartitionsRdd, ShuffledRdd, UnionRdd, CoalescedRdd, CoGroupedRdd,
        ZippedPartitionsRdd, ParallelCollectionRdd, SourceRdd, CheckpointFileRdd, ExternalRdd {
  private static final long serialVersionUID = 1L;
  private final RddContext context;
  private final int id;
  private volatile StorageLevel storageLevel = StorageLevel.NONE;
  private transient volatile AtomicReferenceArray<Object> cache;
  private volatile String name;
  private volatile boolean checkpointRequested;
  private volatile Checkpointed checkpointed;

  Rdd(RddContext context) {
    this.context = Checks.notNull(context, "context");
    this.id = context.newRddId();
  }

  /** A dataset standing for dataset {@code id} of {@code context} (a {@link ExternalRdd}). */
  Rdd(RddContext context, int id) {
    this.context = Checks.notNull(context, "context");
    this.id = id;
  }

  // ---------------------------------------------------------------- lineage

  /** The number of partitions. */
  public final int numPartitions() {
    Checkpointed done = checkpointed;
    return done != null ? done.partitions() : getNumPartitions();
  }

  /** The edges to the datasets this one is computed from; none once checkpointed. */
  public final List<Dependency> dependencies() {
    return checkpointed != null ? List.of() : getDependencies();
  }

  /** How keys are placed in partitions, if this dataset was partitioned by key. */
  public final Optional<Partitioner> partitioner() {
    Checkpointed done = checkpointed;
    return done != null ? done.partitioner() : getPartitioner();
  }

  /**
   * The splits this dataset reads, one per partition, when it is read from a source ({@link
   * RddContext#fromSplits}); empty for every other kind. Walk {@link #dependencies()} down {@link
   * Dependency.OneToOne} edges to find the source a partition was computed from.
   */
  public Optional<List<?>> splits() {
    return Optional.empty();
  }

  /** Computes one partition from the parents, inside a task. */
  abstract Iterator<T> compute(int partition, TaskContext task);

  /** The partition count of this kind of dataset. */
  abstract int getNumPartitions();

  /** The lineage edges of this kind of dataset. */
  abstract List<Dependency> getDependencies();

  /** The partitioner of this kind of dataset; none by default. */
  Optional<Partitioner> getPartitioner() {
    return Optional.empty();
  }

  /**
   * Drops the references to the parents once the data is checkpointed, so the old lineage can be
   * garbage collected. Kinds that hold parents override it.
   */
  void clearDependencies() {}

  /** The records of one partition: from the cache when persisted, the checkpoint when written, else computed. */
  @SuppressWarnings("unchecked")
  final Iterator<T> iterator(int partition, TaskContext task) {
    AtomicReferenceArray<Object> slots = cache;
    if (slots == null) {
      return computeOrRead(partition, task);
    }
    Object stored = slots.get(partition);
    if (stored == null) {
      List<T> records = new ArrayList<>();
      computeOrRead(partition, task).forEachRemaining(records::add);
      stored = storageLevel.serialized() ? context.serializer().serialize(records) : records;
      slots.compareAndSet(partition, null, stored);
    }
    List<T> records =
        stored instanceof byte[] bytes ? context.serializer().deserialize(bytes) : (List<T>) stored;
    return records.iterator();
  }

  private Iterator<T> computeOrRead(int partition, TaskContext task) {
    Checkpointed done = checkpointed;
    if (done != null) {
      String file = RddFiles.partFile(done.directory(), partition);
      try {
        return RddFiles.readObjects(context.fileSystemSettings(), file, context.serializer());
      } catch (RuntimeException e) {
        throw new IllegalStateException("Cannot read data checkpoint file '" + file + "' of dataset " + this
            + ": it is damaged or was deleted (" + io.tributary.internal.Throwables.rootCause(e) + "). Restore it (e.g. from a backup) and start "
            + "again: the checkpoints of this application need it; to give up the data it holds instead, start "
            + "without this checkpoint directory", e);
      }
    }
    return compute(partition, task);
  }

  // ---------------------------------------------------------------- checkpointing

  /**
   * Asks for this dataset to be written to the checkpoint directory ({@link
   * RddContext#setCheckpointDir}) after the next job that computes it; from then on it is read
   * from there and its lineage is dropped. Persist it first, or it is computed twice.
   */
  public void checkpoint() {
    if (context.checkpointDir() == null) {
      throw new IllegalStateException(
          "Checkpoint directory is not set: call rddContext().setCheckpointDir(dir) or "
              + "ssc.checkpoint(dir) before checkpointing dataset " + id);
    }
    if (checkpointed == null) {
      checkpointRequested = true;
    }
  }

  /** True once this dataset's data was written to the checkpoint directory. */
  public boolean isCheckpointed() {
    return checkpointed != null;
  }

  /** The directory holding this dataset's checkpoint, if written. */
  public Optional<String> getCheckpointFile() {
    Checkpointed done = checkpointed;
    return done == null ? Optional.empty() : Optional.of(done.directory());
  }

  /**
   * After a job on this dataset: writes every dataset of the lineage that asked for a checkpoint
   * and drops the lineage behind it.
   */
  void doCheckpoint() {
    doCheckpoint(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
  }

  private void doCheckpoint(java.util.Set<Rdd<?>> visited) {
    if (!visited.add(this) || checkpointed != null) {
      return;
    }
    synchronized (this) {
      if (checkpointRequested && checkpointed == null) {
        checkpointRequested = false; // the write runs a job on this dataset, which must not write again
        try {
          writeCheckpoint();
        } catch (RuntimeException | Error e) {
          checkpointRequested = true; // the next job on this dataset (a retry of its batch) writes it
          throw e;
        }
        return;
      }
    }
    for (Dependency dep : dependencies()) {
      dep.parent().doCheckpoint(visited);
    }
  }

  private void writeCheckpoint() {
    String dir = context.checkpointDir() + "/rdd-" + id + "-" + java.util.UUID.randomUUID();
    java.util.Map<String, String> settings = context.fileSystemSettings();
    io.tributary.internal.serializer.SerializerSpec serializer =
        io.tributary.internal.serializer.SerializerSpec.of(context.conf().getAll());
    try {
      runJob(
          (c, it) -> {
            RddFiles.writeObjects(settings, RddFiles.partFile(dir, c.partitionId()), it, serializer.get());
            return null;
          });
    } catch (RuntimeException | Error e) {
      try { // the parts written so far: nothing refers to them, so cleanup would never delete them
        io.tributary.fs.FileSystems.forPath(dir, settings).delete(dir, true);
      } catch (java.io.IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    restoreFromCheckpoint(dir, getNumPartitions(), getPartitioner());
  }

  /**
   * From now on this dataset is the data in checkpoint directory {@code dir} ({@code partitions}
   * part files), and its lineage is dropped.
   */
  void restoreFromCheckpoint(String dir, int partitions, Optional<Partitioner> partitioner) {
    checkpointed = new Checkpointed(dir, partitions, partitioner.orElse(null));
    checkpointRequested = false;
    clearDependencies();
  }

  private record Checkpointed(String directory, int partitions, Partitioner partitionerOrNull)
      implements java.io.Serializable {
    Optional<Partitioner> partitioner() {
      return Optional.ofNullable(partitionerOrNull);
    }
  }

  /** True when persisted and every partition is in the cache, so no ancestor must run. */
  boolean isFullyCached() {
    AtomicReferenceArray<Object> slots = cache;
    if (slots == null) {
      return false;
    }
    for (int i = 0; i < slots.length(); i++) {
      if (slots.get(i) == null) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- identity

  public final RddContext context() {
    return context;
  }

  /** Unique id of this dataset within its context. */
  public final int id() {
    return id;
  }

  public String name() {
    return name;
  }

  public Rdd<T> setName(String name) {
    this.name = name;
    return this;
  }

  // ---------------------------------------------------------------- persistence

  /** Keeps computed partitions at {@code level} so later jobs reuse them. */
  public Rdd<T> persist(StorageLevel level) {
    Checks.notNull(level, "storage level");
    if (storageLevel != StorageLevel.NONE && storageLevel != level) {
      throw new IllegalStateException(
          "Cannot change the storage level of dataset " + id + " from " + storageLevel + " to "
              + level + ": unpersist it first");
    }
    if (level != StorageLevel.NONE && cache == null) {
      cache = new AtomicReferenceArray<>(numPartitions());
    }
    storageLevel = level;
    return this;
  }

  /** {@code persist(MEMORY_ONLY)}. */
  public Rdd<T> persist() {
    return persist(StorageLevel.MEMORY_ONLY);
  }

  /** {@code persist(MEMORY_ONLY)}. */
  public Rdd<T> cache() {
    return persist();
  }

  /** Drops cached partitions; later jobs recompute them from lineage. */
  public Rdd<T> unpersist() {
    storageLevel = StorageLevel.NONE;
    cache = null;
    return this;
  }

  public StorageLevel getStorageLevel() {
    return storageLevel;
  }

  // ---------------------------------------------------------------- transformations

  public <U> Rdd<U> map(Function<T, U> f) {
    Checks.notNull(f, "map function");
    return mapPartitionsInternal((p, it) -> Iterators.map(it, f), false);
  }

  public <U> Rdd<U> flatMap(FlatMapFunction<T, U> f) {
    Checks.notNull(f, "flatMap function");
    return mapPartitionsInternal((p, it) -> Iterators.flatMap(it, f), false);
  }

  public Rdd<T> filter(Function<T, Boolean> f) {
    Checks.notNull(f, "filter function");
    return mapPartitionsInternal((p, it) -> Iterators.filter(it, f), true);
  }

  /** Applies {@code f} once per partition, to the partition's whole iterator. */
  public <U> Rdd<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f) {
    return mapPartitions(f, false);
  }

  public <U> Rdd<U> mapPartitions(FlatMapFunction<Iterator<T>, U> f, boolean preservesPartitioning) {
    Checks.notNull(f, "mapPartitions function");
    return mapPartitionsInternal((p, it) -> f.call(it), preservesPartitioning);
  }

  /** Like mapPartitions, with the partition index as first argument. */
  public <U> Rdd<U> mapPartitionsWithIndex(
      Function2<Integer, Iterator<T>, Iterator<U>> f, boolean preservesPartitioning) {
    Checks.notNull(f, "mapPartitionsWithIndex function");
    return mapPartitionsInternal(f::call, preservesPartitioning);
  }

  public <K, V> PairRdd<K, V> mapToPair(PairFunction<T, K, V> f) {
    Checks.notNull(f, "mapToPair function");
    return PairRdd.fromRdd(mapPartitionsInternal((p, it) -> Iterators.map(it, f::call), false));
  }

  public <K, V> PairRdd<K, V> flatMapToPair(PairFlatMapFunction<T, K, V> f) {
    Checks.notNull(f, "flatMapToPair function");
    return PairRdd.fromRdd(mapPartitionsInternal((p, it) -> Iterators.flatMap(it, f::call), false));
  }

  public <K, V> PairRdd<K, V> mapPartitionsToPair(PairFlatMapFunction<Iterator<T>, K, V> f) {
    Checks.notNull(f, "mapPartitionsToPair function");
    return PairRdd.fromRdd(mapPartitionsInternal((p, it) -> f.call(it), false));
  }

  /** Pairs each element with the key {@code f} gives it. */
  public <K> PairRdd<K, T> keyBy(Function<T, K> f) {
    Checks.notNull(f, "keyBy function");
    return mapToPair(t -> new Tuple2<>(f.call(t), t));
  }

  /** All elements of each partition as one list. */
  public Rdd<List<T>> glom() {
    return mapPartitionsInternal(
        (p, it) -> {
          List<T> all = new ArrayList<>();
          it.forEachRemaining(all::add);
          return List.of(all).iterator();
        },
        false);
  }

  /** The elements of this dataset followed by those of {@code other} (duplicates kept). */
  public Rdd<T> union(Rdd<T> other) {
    Checks.notNull(other, "other dataset");
    return new UnionRdd<>(context, List.of(this, other));
  }

  /**
   * Combines partition {@code i} of this dataset with partition {@code i} of {@code other}, in
   * one task: {@code f} gets both iterators and returns the records of partition {@code i} of the
   * result. Both datasets must have the same number of partitions; the result depends {@link
   * Dependency.OneToOne one to one} on both (Spark's {@code zipPartitions}).
   */
  public <U, V> Rdd<V> zipPartitions(
      Rdd<U> other, Function2<Iterator<T>, Iterator<U>, Iterator<V>> f) {
    return zipPartitions(other, false, f);
  }

  /**
   * As {@link #zipPartitions(Rdd, Function2)}; with {@code preservesPartitioning} the result keeps
   * this dataset's partitioner (when {@code f} keeps each key in its partition).
   */
  public <U, V> Rdd<V> zipPartitions(
      Rdd<U> other, boolean preservesPartitioning, Function2<Iterator<T>, Iterator<U>, Iterator<V>> f) {
    Checks.notNull(other, "other dataset");
    Checks.notNull(f, "zipPartitions function");
    if (other.context() != context) {
      throw new IllegalArgumentException(
          "Cannot zip dataset " + id + " with dataset " + other.id() + " of another context");
    }
    if (other.numPartitions() != numPartitions()) {
      throw new IllegalArgumentException(
          "Cannot zip the partitions of dataset " + id + " (" + numPartitions() + " partitions) with those of dataset "
              + other.id() + " (" + other.numPartitions() + " partitions): both need the same number of partitions");
    }
    return new ZippedPartitionsRdd<>(this, other, f, preservesPartitioning);
  }

  public Rdd<T> distinct() {
    return distinct(numPartitions() == 0 ? 1 : numPartitions());
  }

  public Rdd<T> distinct(int numPartitions) {
    Checks.positive(numPartitions, "numPartitions");
    return this.<T, Boolean>mapToPair(t -> new Tuple2<>(t, Boolean.TRUE))
        .reduceByKey((a, b) -> a, numPartitions)
        .keys();
  }

  /** Exactly {@code numPartitions} partitions of about equal size, through a shuffle. */
  public Rdd<T> repartition(int numPartitions) {
    return coalesce(numPartitions, true);
  }

  /** At most {@code numPartitions} partitions, merging neighbours without a shuffle. */
  public Rdd<T> coalesce(int numPartitions) {
    return coalesce(numPartitions, false);
  }

  public Rdd<T> coalesce(int numPartitions, boolean shuffle) {
    Checks.positive(numPartitions, "numPartitions");
    if (!shuffle) {
      return new CoalescedRdd<>(this, numPartitions);
    }
    PairRdd<Integer, T> spread =
        PairRdd.fromRdd(
            mapPartitionsInternal(
                (p, it) -> {
                  int[] next = {p};
                  return Iterators.map(it, t -> new Tuple2<>(next[0]++, t));
                },
                false));
    return spread.partitionBy(new HashPartitioner(numPartitions)).values();
  }

  /** Sorted by the key {@code f} gives each element, range-partitioned into {@code numPartitions}. */
  public <S extends Comparable<? super S>> Rdd<T> sortBy(
      Function<T, S> f, boolean ascending, int numPartitions) {
    Checks.notNull(f, "sortBy function");
    return keyBy(f).sortByKey(Comparator.<S>naturalOrder(), ascending, numPartitions).values();
  }

  // ---------------------------------------------------------------- actions

  /** All elements, in partition order. Only for results that fit in memory. */
  public List<T> collect() {
    List<List<T>> parts =
        runJob(
            (c, it) -> {
              List<T> list = new ArrayList<>();
              it.forEachRemaining(list::add);
              return list;
            });
    List<T> all = new ArrayList<>();
    parts.forEach(all::addAll);
    return all;
  }

  public long count() {
    long total = 0;
    for (long n :
        runJob(
            (c, it) -> {
              long k = 0;
              for (; it.hasNext(); it.next()) {
                k++;
              }
              return k;
            })) {
      total += n;
    }
    return total;
  }

  /** How often each distinct element occurs. */
  public Map<T, Long> countByValue() {
    return this.<T, Long>mapToPair(t -> new Tuple2<>(t, 1L))
        .reduceByKey(Long::sum)
        .collectAsMap();
  }

  public boolean isEmpty() {
    return numPartitions() == 0 || take(1).isEmpty();
  }

  /** The first {@code n} elements, reading as few partitions as possible. */
  public List<T> take(int n) {
    List<T> taken = new ArrayList<>();
    int total = numPartitions();
    int scanned = 0;
    int step = 1;
    while (taken.size() < n && scanned < total) {
      int end = Math.min(total, scanned + step);
      int[] parts = new int[end - scanned];
      for (int i = 0; i < parts.length; i++) {
        parts[i] = scanned + i;
      }
      int want = n - taken.size();
      List<List<T>> got =
          Jobs.run(
              this,
              parts,
              (c, it) -> {
                List<T> list = new ArrayList<>();
                while (list.size() < want && it.hasNext()) {
                  list.add(it.next());
                }
                return list;
              });
      for (List<T> list : got) {
        for (T t : list) {
          if (taken.size() < n) {
            taken.add(t);
          }
        }
      }
      scanned = end;
      step *= 4;
    }
    return taken;
  }

  /** The first element; fails on an empty dataset. */
  public T first() {
    List<T> one = take(1);
    if (one.isEmpty()) {
      throw new NoSuchElementException("first() called on an empty dataset (id " + id + ")");
    }
    return one.get(0);
  }

  /** Combines all elements with an associative, commutative function; fails when empty. */
  public T reduce(Function2<T, T, T> f) {
    Checks.notNull(f, "reduce function");
    // per partition: no element, or its result (which may be null)
    List<List<T>> partials =
        runJob(
            (c, it) -> {
              if (!it.hasNext()) {
                return List.of();
              }
              T acc = it.next();
              while (it.hasNext()) {
                acc = f.call(acc, it.next());
              }
              return Collections.singletonList(acc);
            });
    T result = null;
    boolean any = false;
    for (List<T> partial : partials) {
      if (!partial.isEmpty()) {
        result = any ? call(f, result, partial.get(0)) : partial.get(0);
        any = true;
      }
    }
    if (!any) {
      throw new UnsupportedOperationException("reduce() called on an empty dataset (id " + id + ")");
    }
    return result;
  }

  /**
   * Folds each partition from a copy of {@code zero}, then the partial results, again from a copy
   * of {@code zero}: a mutable zero value is never modified.
   */
  public T fold(T zero, Function2<T, T, T> f) {
    Checks.notNull(f, "fold function");
    return aggregate(zero, f, f);
  }

  /**
   * Folds each partition with {@code seqOp} from a copy of {@code zero} and merges the results
   * with {@code combOp}, also from a copy of {@code zero}.
   */
  public <U> U aggregate(U zero, Function2<U, T, U> seqOp, Function2<U, U, U> combOp) {
    Checks.notNull(seqOp, "seqOp");
    Checks.notNull(combOp, "combOp");
    byte[] zeroBytes = context.serializer().serialize(zero);
    List<U> partials =
        runJob(
            (c, it) -> {
              U acc = context.serializer().deserialize(zeroBytes);
              while (it.hasNext()) {
                acc = seqOp.call(acc, it.next());
              }
              return acc;
            });
    U result = context.serializer().deserialize(zeroBytes);
    for (U partial : partials) {
      result = call(combOp, result, partial);
    }
    return result;
  }

  /** Runs {@code f} on every element, in the tasks. */
  public void foreach(VoidFunction<T> f) {
    Checks.notNull(f, "foreach function");
    runJob(
        (c, it) -> {
          while (it.hasNext()) {
            f.call(it.next());
          }
          return null;
        });
  }

  /** Runs {@code f} once per partition, in the tasks: open a connection once per partition here. */
  public void foreachPartition(VoidFunction<Iterator<T>> f) {
    Checks.notNull(f, "foreachPartition function");
    runJob(
        (c, it) -> {
          f.call(it);
          return null;
        });
  }

  /**
   * Writes each element's {@code toString()} as a line of text, one {@code part-NNNNN} file per
   * partition under directory {@code path}, through the {@link io.tributary.fs.FileSystem} of its
   * scheme (local paths; {@code hdfs://}, {@code s3a://} with {@code tributary-hadoop}). Fails if
   * the directory already exists.
   */
  public void saveAsTextFile(String path) {
    RddFiles.saveAsTextFile(this, path);
  }

  /**
   * Writes the elements as SequenceFiles of serialized chunks under directory {@code path}; read
   * them back with {@link RddContext#objectFile(String)}.
   */
  public void saveAsObjectFile(String path) {
    RddFiles.saveAsObjectFile(this, path);
  }

  /** A description of the lineage, one dataset per line, indented by depth. */
  public String toDebugString() {
    StringBuilder out = new StringBuilder();
    debug(out, 0);
    return out.toString();
  }

  private void debug(StringBuilder out, int depth) {
    out.append("  ".repeat(depth))
        .append('(')
        .append(numPartitions())
        .append(") ")
        .append(getClass().getSimpleName())
        .append('[')
        .append(id)
        .append(']');
    if (storageLevel != StorageLevel.NONE) {
      out.append(" ").append(storageLevel);
    }
    out.append('\n');
    for (Dependency dep : dependencies()) {
      dep.parent().debug(out, depth + (dep instanceof Dependency.Shuffle ? 2 : 1));
    }
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + "[" + id + "]" + (name == null ? "" : " " + name);
  }

  // ---------------------------------------------------------------- internals

  <U> Rdd<U> mapPartitionsInternal(PartitionFunction<T, U> f, boolean preservesPartitioning) {
    return new MapPartitionsRdd<>(this, f, preservesPartitioning);
  }

  <U> List<U> runJob(TaskFunction<T, U> f) {
    return Jobs.run(this, Jobs.allPartitions(this), f);
  }

  static <A, B, R> R call(Function2<A, B, R> f, A a, B b) {
    try {
      return f.call(a, b);
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
  }
}
