package io.tributary.rdd;

import io.tributary.Tuple2;
import io.tributary.internal.Checks;
import io.tributary.internal.engine.Engine;
import io.tributary.internal.engine.LocalEngine;
import io.tributary.internal.rdd.ParallelCollectionRdd;
import io.tributary.internal.rdd.UnionRdd;
import io.tributary.internal.serializer.Serializer;
import io.tributary.streaming.StreamingConf;
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
  private final java.util.Map<String, String> fileSystemSettings;
  private volatile String checkpointDir;

  /** A context running tasks as {@code conf.master()} says ({@code local[*]} by default). */
  public RddContext(StreamingConf conf) {
    this.conf = new StreamingConf(Checks.notNull(conf, "conf"));
    this.engine =
        new LocalEngine(LocalEngine.threadsOf(conf.master()), conf.getInt("task.maxFailures", 1));
    this.serializer = io.tributary.internal.serializer.SerializerSpec.of(conf).get();
    this.fileSystemSettings = this.conf.getAll();
  }

  public StreamingConf conf() {
    return new StreamingConf(conf);
  }

  /** Partitions used by shuffles when none is given: {@code default.parallelism}, else the thread count. */
  public int defaultParallelism() {
    return conf.getInt("default.parallelism", engine.parallelism());
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

  /** Stops the task threads. Datasets of this context cannot run jobs afterwards. */
  @Override
  public void close() {
    engine.close();
  }

  // ---------------------------------------------------------------- internals (same package)

  Engine engine() {
    return engine;
  }

  Serializer serializer() {
    return serializer;
  }

  int newRddId() {
    return rddIds.getAndIncrement();
  }
}
