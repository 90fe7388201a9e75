package io.tributary.rdd;

import io.tributary.Tuple2;
import io.tributary.internal.Checks;
import io.tributary.Partitioner;
import io.tributary.engine.Engine;
import io.tributary.engine.EngineFactory;
import io.tributary.internal.serializer.Serializer;
import io.tributary.StreamingConf;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Creates datasets and runs their jobs: the batch side of Tributary (Spark's {@code
 * JavaSparkContext}). A {@link io.tributary.streaming.StreamingContext} owns one, reachable with
 * {@code ssc.rddContext()}, so reference data made here can be joined with every batch: {@code
 * stream.transformToPair(rdd -> rdd.join(reference))}.
 */
public final class RddContext implements AutoCloseable {
  private final StreamingConf conf;
  private final Engine engine;
  private final Serializer serializer;
  private final AtomicInteger rddIds = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong broadcastIds = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.Map<String, String> fileSystemSettings;
  private final io.tributary.Resources resources;
  private final ThreadLocal<java.util.Map<String, String>> localProperties =
      ThreadLocal.withInitial(java.util.HashMap::new);
  private volatile String checkpointDir;
  private volatile boolean closed;

  /**
   * A context running tasks as {@code conf.master()} says ({@code local[*]} by default): the
   * {@link EngineFactory} on the classpath that accepts the master makes its engine.
   *
   * @throws IllegalArgumentException when the master is malformed or no engine on the classpath
   *     runs it (naming the artifact to add)
   */
  public RddContext(StreamingConf conf) {
    this.conf = new StreamingConf(Checks.notNull(conf, "conf"));
    this.serializer = io.tributary.internal.serializer.SerializerSpec.of(this.conf.getAll()).get();
    this.engine = EngineFactory.forMaster(this.conf.master()).create(this.conf.master(), this.conf.getAll());
    this.fileSystemSettings = this.conf.getAll();
    this.resources = new io.tributary.Resources("RddContext of master " + this.conf.master());
  }

  /** The context of the tasks in this JVM of an application whose driver has {@code conf}: no engine. */
  private RddContext(StreamingConf conf, String executorOf) {
    this.conf = new StreamingConf(conf);
    this.serializer = io.tributary.internal.serializer.SerializerSpec.of(this.conf.getAll()).get();
    this.engine = null;
    this.fileSystemSettings = this.conf.getAll();
    this.resources = new io.tributary.Resources(executorOf);
  }

  private static final java.util.concurrent.ConcurrentHashMap<java.util.Map<String, String>, RddContext> EXECUTOR_CONTEXTS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The context that datasets shipped to the tasks of this JVM read back with (one per driver
   * configuration): its serializer, file-system settings and {@linkplain #resource resources}
   * (closed when the JVM exits), but no engine: a task cannot run jobs.
   */
  static RddContext forExecutor(StreamingConf conf) {
    return EXECUTOR_CONTEXTS.computeIfAbsent(conf.getAll(), key -> {
      RddContext context = new RddContext(conf, "tasks of application " + conf.appName() + " in this executor");
      Runtime.getRuntime().addShutdownHook(new Thread(context.resources::close, "tributary-executor-resources"));
      return context;
    });
  }

  public StreamingConf conf() {
    return new StreamingConf(conf);
  }

  /** Partitions used by shuffles when none is given: {@code default.parallelism}, else the thread count. */
  public int defaultParallelism() {
    return conf.getInt("default.parallelism", engine == null ? 1 : engine.parallelism());
  }

  /**
   * The settings every file system of this context is configured with: its configuration (a
   * Hadoop file system takes the {@code hadoop.*} keys, as Spark takes {@code spark.hadoop.*}).
   */
  public java.util.Map<String, String> fileSystemSettings() {
    return fileSystemSettings;
  }

  /** The file system of {@code path}, chosen by its URI scheme ({@link io.tributary.fs.FileSystems}). */
  public io.tributary.fs.FileSystem fileSystem(String path) {
    return io.tributary.fs.FileSystems.forPath(path, fileSystemSettings);
  }

  /** A dataset of {@code data} (copied), cut into {@link #defaultParallelism()} slices. */
  public <T> Rdd<T> parallelize(List<T> data) {
    return parallelize(data, defaultParallelism());
  }

  public <T> Rdd<T> parallelize(List<T> data, int numSlices) {
    Checks.notNull(data, "data");
    return new ParallelCollectionRdd<>(this, data, Checks.positive(numSlices, "numSlices"));
  }

  public <K, V> PairRdd<K, V> parallelizePairs(List<Tuple2<K, V>> data) {
    return PairRdd.fromRdd(parallelize(data));
  }

  public <K, V> PairRdd<K, V> parallelizePairs(List<Tuple2<K, V>> data, int numSlices) {
    return PairRdd.fromRdd(parallelize(data, numSlices));
  }

  /**
   * A dataset read from a source: one partition per split, whose records {@code reader} reads in
   * that partition's task. The way for connectors to describe their data (a Kafka offset range, a
   * file, a received block, ...): the dataset exposes the splits ({@link Rdd#splits()}), and a
   * dataset computed from it partition by partition reaches it through {@link
   * Dependency.OneToOne} edges. Reading a split again must yield the same records.
   */
  public <S extends Serializable, T> Rdd<T> fromSplits(List<S> splits, SplitReader<S, T> reader) {
    Checks.notNull(splits, "splits");
    Checks.notNull(reader, "split reader");
    for (int i = 0; i < splits.size(); i++) {
      if (splits.get(i) == null) {
        throw new IllegalArgumentException("Split " + i + " of the source is null");
      }
    }
    return new SourceRdd<>(this, splits, reader);
  }

  /**
   * The dataset a data checkpoint wrote to {@code directory} ({@code partitions} part files, as
   * {@link Rdd#getCheckpointFile()} names it), read back from there: how a recovery restores a
   * checkpointed dataset. {@code partitioner} (or null) is the one the dataset had.
   */
  public <T> Rdd<T> checkpointFile(String directory, int partitions, Partitioner partitioner) {
    Checks.notNull(directory, "checkpoint directory");
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + partitions);
    }
    return new CheckpointFileRdd<>(this, directory, partitions, partitioner);
  }

  /** A dataset with no partitions. */
  public <T> Rdd<T> emptyRdd() {
    return new ParallelCollectionRdd<>(this, List.of(), 0);
  }

  /** The elements of all the given datasets, in order. */
  @SafeVarargs
  public final <T> Rdd<T> union(Rdd<T>... rdds) {
    Checks.notNull(rdds, "datasets");
    if (rdds.length == 0) {
      throw new IllegalArgumentException("union needs at least one dataset");
    }
    return union(Arrays.asList(rdds));
  }

  public <T> Rdd<T> union(List<? extends Rdd<T>> rdds) {
    Checks.notNull(rdds, "datasets");
    return new UnionRdd<>(this, new ArrayList<>(rdds));
  }

  /**
   * For each key in any of {@code rdds}, one list of its values per dataset, in the order of
   * {@code rdds} (empty where a dataset has none), partitioned by {@code partitioner}. A dataset
   * already partitioned by an equal partitioner is read in place, the others are shuffled.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public <K, V> PairRdd<K, List<List<V>>> cogroup(List<? extends Rdd<Tuple2<K, V>>> rdds, Partitioner partitioner) {
    Checks.notNull(rdds, "datasets");
    Checks.notNull(partitioner, "partitioner");
    if (rdds.isEmpty()) {
      throw new IllegalArgumentException("cogroup needs at least one dataset");
    }
    for (Rdd<?> rdd : rdds) {
      if (Checks.notNull(rdd, "dataset").context() != this) {
        throw new IllegalArgumentException("Cannot cogroup dataset " + rdd.id() + ": it belongs to another context");
      }
    }
    return PairRdd.fromRdd((Rdd) new CoGroupedRdd<K>(List.copyOf(rdds), partitioner));
  }

  /**
   * The lines of a text file, of every visible file in a directory, or of the files a glob
   * matches, through the file system of the path's scheme (local paths; {@code hdfs://}, {@code
   * s3a://} with {@code tributary-hadoop}). {@code .gz} and {@code .deflate} files are decoded.
   * One partition per file. Fails naming the path if nothing is there.
   */
  public Rdd<String> textFile(String path) {
    return RddFiles.textFile(this, path);
  }

  /** Reads back what {@code saveAsObjectFile}/{@code saveAsObjectFiles} wrote. */
  public <T> Rdd<T> objectFile(String path) {
    return RddFiles.objectFile(this, path);
  }

  /**
   * Sets the directory (a local path, or any URI a {@link io.tributary.fs.FileSystemProvider}
   * serves) where {@link Rdd#checkpoint()} writes; created
   * if missing.
   */
  public void setCheckpointDir(String directory) {
    Checks.notNull(directory, "checkpoint directory");
    try {
      io.tributary.fs.FileSystem fs = fileSystem(directory);
      fs.mkdirs(directory);
      checkpointDir = fs.qualify(directory);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot create checkpoint directory '" + directory + "'", e);
    }
  }

  /** The checkpoint directory, or null when none was set. */
  public String checkpointDir() {
    return checkpointDir;
  }

  /**
   * Sets local property {@code key} of the calling thread to {@code value} (null removes it): every
   * job this thread submits from now on carries it, and its tasks read it with {@link
   * io.tributary.TaskContext#getLocalProperty}. Other threads' jobs do not see it. Set it around
   * the action it is meant for and remove it afterwards (try/finally). Like Spark's {@code
   * setLocalProperty}: a value for the tasks of a job, not a change of the datasets it runs. A
   * property that changes what a task computes must only be used on datasets that no other job
   * shares partial results of (persisted datasets, shuffles); the job that writes a checkpoint the
   * lineage asked for runs without the properties, so a checkpoint holds the dataset itself.
   */
  public void setLocalProperty(String key, String value) {
    Checks.notNull(key, "local property key");
    if (value == null) {
      localProperties.get().remove(key);
    } else {
      localProperties.get().put(key, value);
    }
  }

  /** The local property {@code key} of the calling thread ({@link #setLocalProperty}), or null. */
  public String getLocalProperty(String key) {
    return localProperties.get().get(key);
  }

  /**
   * The resource of {@code key} owned by this context, made with {@code factory} on first use and
   * closed when the context closes (after its engine stopped). Tasks reach the same registry with
   * {@code TaskContext.get().resources()}: the local engine runs them in this JVM. For what a
   * connector keeps open between batches (producer pools, connections).
   *
   * @throws IllegalArgumentException when the resource of {@code key} is not a {@code type}
   * @throws IllegalStateException after {@link #close()}
   */
  public <R extends AutoCloseable> R resource(String key, Class<R> type, java.util.function.Supplier<? extends R> factory) {
    return resources.get(key, type, factory);
  }

  // ---------------------------------------------------------------- shared variables

  /**
   * A read-only {@code value} for every task, as Spark's {@code JavaSparkContext.broadcast}: tasks
   * read it with {@link Broadcast#value()}. See {@link Broadcast} for how engines ship it.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public <T> Broadcast<T> broadcast(T value) {
    checkOpen("broadcast a value");
    return new Broadcast<>(broadcastIds.getAndIncrement(), value);
  }

  /** An unnamed {@link #longAccumulator(String)}. */
  public LongAccumulator longAccumulator() {
    return longAccumulator(null);
  }

  /**
   * A sum (and count) of {@code long}s that tasks add to and the driver reads, as Spark's {@code
   * longAccumulator(name)}; see {@link Accumulator} for when task updates count.
   *
   * @param name shown in logs and {@code toString}; may be null
   * @throws IllegalStateException after {@link #close()}
   */
  public LongAccumulator longAccumulator(String name) {
    checkOpen("create an accumulator");
    return new LongAccumulator(name);
  }

  /** An unnamed {@link #collectionAccumulator(String)}. */
  public <T> CollectionAccumulator<T> collectionAccumulator() {
    return collectionAccumulator(null);
  }

  /**
   * A list that tasks add elements to and the driver reads, as Spark's {@code
   * collectionAccumulator(name)}; see {@link Accumulator} for when task updates count.
   *
   * @throws IllegalStateException after {@link #close()}
   */
  public <T> CollectionAccumulator<T> collectionAccumulator(String name) {
    checkOpen("create an accumulator");
    return new CollectionAccumulator<>(name);
  }

  private void checkOpen(String action) {
    if (closed) {
      throw new IllegalStateException(
          "Cannot " + action + ": this RddContext is closed; after a restart, create it from the new "
              + "context (e.g. rdd.context() inside foreachRDD)");
    }
  }

  /**
   * Stops the task threads, then closes the context's {@linkplain #resource resources}. Datasets
   * of this context cannot run jobs afterwards.
   */
  @Override
  public void close() {
    closed = true;
    try {
      if (engine != null) {
        engine.close();
      }
    } finally {
      resources.close();
    }
  }

  // ---------------------------------------------------------------- internals (same package)

  /** The engine; fails in a task of another JVM, whose context has none. */
  Engine engine() {
    if (engine == null) {
      throw new IllegalStateException(
          "Cannot run a job inside a task: datasets are computed and acted on from the driver "
              + "(in foreachRDD, transform or main), not from within a function running in a task");
    }
    return engine;
  }

  boolean isClosed() {
    return closed;
  }

  io.tributary.Resources resources() {
    return resources;
  }

  /** Removes the local properties of the calling thread, returning them for {@link #restoreLocalProperties}. */
  java.util.Map<String, String> clearLocalProperties() {
    java.util.Map<String, String> saved = localProperties.get();
    localProperties.set(new java.util.HashMap<>());
    return saved;
  }

  void restoreLocalProperties(java.util.Map<String, String> saved) {
    localProperties.set(saved);
  }

  /** The local properties of the calling thread, as a job submitted now carries them. */
  java.util.Map<String, String> localProperties() {
    java.util.Map<String, String> current = localProperties.get();
    return current.isEmpty() ? java.util.Map.of() : java.util.Map.copyOf(current);
  }

  Serializer serializer() {
    return serializer;
  }

  int newRddId() {
    return rddIds.getAndIncrement();
  }
}
