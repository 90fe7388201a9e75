package io.tributary.streaming;

import io.tributary.BatchFailedException;
import io.tributary.Clock;
import io.tributary.Duration;
import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function0;
import io.tributary.streaming.internal.checkpoint.Checkpoint;
import io.tributary.streaming.internal.checkpoint.CheckpointFiles;
import io.tributary.function.Function2;
import io.tributary.internal.Checks;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.internal.source.SocketReceiver;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.StreamingListener;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a streaming application: defines input streams, then runs a batch every
 * {@code batchDuration} once {@link #start()}ed, until {@link #stop()}.
 *
 * <pre>{@code
 * StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("WordCount");
 * StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
 * ssc.socketTextStream("localhost", 9999)
 *     .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
 *     .mapToPair(word -> new Tuple2<>(word, 1))
 *     .reduceByKey(Integer::sum)
 *     .print();
 * ssc.start();
 * ssc.awaitTermination();
 * }</pre>
 *
 * <p>The rules: streams and outputs are defined before {@code start()}; {@code start()} needs at
 * least one output operation; a stopped context cannot be started again; one context at a time is
 * active in a JVM. Each is checked with an error saying what to do.
 *
 * <p>Unlike Spark, receivers run on threads of their own and never take a task thread: with
 * {@code local[N]} all N threads process data, so {@code local[1]} works with receivers (in Spark's
 * {@code local[2]} a receiver holds one of the two task slots, halving processing).
 */
public final class StreamingContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingContext.class);
  private static final AtomicReference<StreamingContext> ACTIVE = new AtomicReference<>();
  /** Set on the thread running a getOrCreate factory while a checkpoint is about to be restored. */
  private static final ThreadLocal<Boolean> FACTORY_RECOVERS = new ThreadLocal<>();

  private final StreamingConf conf;
  private final Duration batchDuration;
  private final StreamingRuntime runtime;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private final Object lifecycle = new Object();
  private volatile StreamingContextState state = StreamingContextState.INITIALIZED;
  private volatile BatchFailedException failure;
  private volatile String checkpointDirectory;
  private Thread shutdownHook;
  private final boolean createdToRecover;
  private final List<AutoCloseable> plugins = new ArrayList<>();

  /** A context with batches every {@code batchDuration}, on the wall clock. */
  public StreamingContext(StreamingConf conf, Duration batchDuration) {
    this(conf, batchDuration, Clock.system());
  }

  /** A context on {@code local[*]} named {@code appName}: {@code new StreamingContext("local[2]", "app", Durations.seconds(1))}. */
  public StreamingContext(String master, String appName, Duration batchDuration) {
    this(new StreamingConf().setMaster(master).setAppName(appName), batchDuration);
  }

  /** A context whose batch times come from {@code clock} (a manual clock in tests). */
  public StreamingContext(StreamingConf conf, Duration batchDuration, Clock clock) {
    Checks.notNull(conf, "conf");
    Checks.notNull(batchDuration, "batch duration");
    Checks.notNull(clock, "clock");
    if (batchDuration.milliseconds() <= 0) {
      throw new IllegalArgumentException(
          "Batch duration must be positive, got " + batchDuration + ": use e.g. Durations.seconds(1)");
    }
    Duration blockInterval = conf.getDuration("streaming.blockInterval", new Duration(200));
    if (blockInterval.milliseconds() <= 0) {
      throw new IllegalArgumentException(
          "Configuration key 'streaming.blockInterval' must be a positive duration, got '"
              + conf.get("streaming.blockInterval") + "': use e.g. 200ms");
    }
    this.conf = new StreamingConf(conf);
    this.batchDuration = batchDuration;
    this.runtime = new StreamingRuntime(this, this.conf, batchDuration, clock, this::stopOnFailure);
    this.createdToRecover = Boolean.TRUE.equals(FACTORY_RECOVERS.get());
  }

  // ---------------------------------------------------------------- recovery

  /**
   * The context of a restartable application. With no checkpoint in {@code checkpointDirectory},
   * calls {@code factory} to define a new application. With one, also calls {@code factory} (Spark
   * does not: {@link #isRecovering()} tells the factory which case it is in), which
   * rebuilds the same streams from code, and then restores into them what the checkpoint holds:
   * state, each input's progress, and the batches that were pending or due while the application
   * was down, which run again first. The factory must define the application the same way each
   * time; compatible changes (new streams, changed functions) are fine, while a stateful stream
   * that disappeared or changed kind fails with an error naming it.
   *
   * <pre>{@code
   * StreamingContext ssc = StreamingContext.getOrCreate("hdfs:///checkpoints/app", () -> {
   *   StreamingContext created = new StreamingContext(conf, Durations.seconds(1));
   *   created.checkpoint("hdfs:///checkpoints/app");
   *   ... define streams and outputs ...
   *   return created;
   * });
   * ssc.start();
   * }</pre>
   */
  public static StreamingContext getOrCreate(String checkpointDirectory, Function0<StreamingContext> factory) {
    return getOrCreate(checkpointDirectory, factory, false);
  }

  /**
   * Like {@link #getOrCreate(String, Function0)}; with {@code createOnError}, a checkpoint that
   * cannot be read at all starts a new application instead of failing.
   */
  public static StreamingContext getOrCreate(
      String checkpointDirectory, Function0<StreamingContext> factory, boolean createOnError) {
    Checks.notNull(checkpointDirectory, "checkpoint directory");
    Checks.notNull(factory, "factory");
    java.util.Optional<Checkpoint> checkpoint;
    try {
      checkpoint =
          new CheckpointFiles(new StreamingConf().getAll(), checkpointDirectory, Integer.MAX_VALUE).readLatest();
    } catch (RuntimeException e) {
      if (!createOnError) {
        String what = e instanceof CheckpointFiles.NoReadableCheckpointException
            ? "Restore a readable checkpoint file there, or pass createOnError=true to start a new "
                + "application without the state they held"
            : "Fix access to it and try again; its state is kept there until then";
        throw new IllegalStateException(
            "Cannot read the checkpoint in '" + checkpointDirectory + "': " + e.getMessage() + ". " + what, e);
      }
      LOG.warn("Cannot read the checkpoint in {}; starting a new application", checkpointDirectory, e);
      checkpoint = java.util.Optional.empty();
    }
    StreamingContext ssc;
    FACTORY_RECOVERS.set(checkpoint.isPresent());
    try {
      ssc = factory.call();
    } catch (Exception e) {
      throw new IllegalStateException("The factory given to getOrCreate failed: " + e, e);
    } finally {
      FACTORY_RECOVERS.remove();
    }
    if (ssc == null) {
      throw new IllegalArgumentException("The factory given to getOrCreate returned null: return the new context");
    }
    if (ssc.checkpointDirectory() == null) {
      ssc.checkpoint(checkpointDirectory);
    }
    if (checkpoint.isPresent()) {
      LOG.info("Recovering from the checkpoint in {} (batch {} ms)", checkpointDirectory,
          checkpoint.get().checkpointTime());
      ssc.runtime().recoverFrom(checkpoint.get());
    }
    return ssc;
  }

  /**
   * Whether this context restores a checkpoint when it starts: true for a context created inside
   * the factory of {@link #getOrCreate(String, Function0)} when a checkpoint was found (from its
   * construction on, so the factory can ask), false for a new application. Unlike Spark, {@code
   * getOrCreate} calls the factory on every start, recovering or not; one-time side effects of a
   * new application (Spark's {@code JavaRecoverableNetworkWordCount} deletes its output file in
   * its factory) belong behind {@code if (!created.isRecovering())}.
   *
   * <pre>{@code
   * StreamingContext ssc = StreamingContext.getOrCreate(checkpointDir, () -> {
   *   StreamingContext created = new StreamingContext(conf, Durations.seconds(1));
   *   if (!created.isRecovering()) {
   *     Files.deleteIfExists(outputFile); // a new application starts with a new output
   *   }
   *   ... define streams and outputs ...
   *   return created;
   * });
   * }</pre>
   */
  public boolean isRecovering() {
    return createdToRecover || runtime.isRecovering();
  }

  // ---------------------------------------------------------------- basics

  public StreamingConf conf() {
    return new StreamingConf(conf);
  }

  public Duration batchDuration() {
    return batchDuration;
  }

  /** The context that makes datasets, e.g. reference data to join with every batch. */
  public RddContext rddContext() {
    return runtime.rddContext();
  }

  public StreamingContextState getState() {
    return state;
  }

  /** The context currently started in this JVM, if any. */
  public static java.util.Optional<StreamingContext> getActive() {
    return java.util.Optional.ofNullable(ACTIVE.get());
  }

  /** The engine parts of this context, for the streams of this package. */
  StreamingRuntime runtime() {
    return runtime;
  }

  /** Keeps every stream's datasets at least {@code duration}, e.g. to query old batches in slice. */
  public void remember(Duration duration) {
    Checks.notNull(duration, "remember duration");
    checkDefinable("change the remember duration");
    runtime.graph().remember(duration);
  }

  /**
   * Sets the directory for checkpoints and the write-ahead log: a local path, or with {@code
   * tributary-hadoop} any Hadoop FileSystem URI ({@code hdfs://}, {@code s3a://}).
   * Stateful operations need it.
   */
  public void checkpoint(String directory) {
    Checks.notNull(directory, "checkpoint directory");
    checkDefinable("set the checkpoint directory");
    rddContext().setCheckpointDir(directory);
    this.checkpointDirectory = rddContext().checkpointDir();
  }

  /** The checkpoint directory, or null when none was set. */
  public String checkpointDirectory() {
    return checkpointDirectory;
  }

  public void addStreamingListener(StreamingListener listener) {
    runtime.listenerBus().add(Checks.notNull(listener, "listener"));
  }

  public void removeStreamingListener(StreamingListener listener) {
    runtime.listenerBus().remove(listener);
  }

  // ---------------------------------------------------------------- sources

  /** Lines of UTF-8 text from a TCP server, stored at {@code MEMORY_AND_DISK_SER_2}. */
  public ReceiverInputDStream<String> socketTextStream(String host, int port) {
    return socketTextStream(host, port, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /**
   * Lines of UTF-8 text from a TCP server. A refused or broken connection is reported and retried
   * after {@code streaming.receiverRestartDelay}; the stream resumes when the server is back.
   * Unreliable: a socket cannot replay, so lines buffered but not yet in a block when the process
   * dies are lost.
   */
  public ReceiverInputDStream<String> socketTextStream(String host, int port, StorageLevel level) {
    long maxLine = conf.getSizeAsBytes("streaming.socket.maxLineBytes", 64L << 20);
    if (maxLine <= 0 || maxLine > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("Configuration key 'streaming.socket.maxLineBytes' must be a positive size "
          + "below 2g, got '" + conf.get("streaming.socket.maxLineBytes") + "'");
    }
    return receiverStream(SocketReceiver.lines(host, port, level, (int) maxLine));
  }

  /** Records read from a TCP server by {@code converter}, which turns the connection's stream into records. */
  public <T> ReceiverInputDStream<T> socketStream(
      String host, int port, Function<InputStream, Iterable<T>> converter, StorageLevel level) {
    Checks.notNull(converter, "converter");
    return receiverStream(new SocketReceiver<>(host, port, converter, level));
  }

  /**
   * Pre-serialized blocks from a TCP server: each frame is a 4-byte big-endian length followed by
   * that many bytes, an array of records written with this context's serializer. Blocks are stored
   * whole, without per-record work: the most efficient socket source.
   */
  public <T> ReceiverInputDStream<T> rawSocketStream(String host, int port) {
    return rawSocketStream(host, port, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  public <T> ReceiverInputDStream<T> rawSocketStream(String host, int port, StorageLevel level) {
    return receiverStream(SocketReceiver.raw(host, port, level));
  }

  /**
   * Lines of the new text files of a directory (a local path; {@code hdfs://}, {@code s3a://} and
   * other Hadoop file systems with {@code tributary-hadoop}). Files must be moved in atomically;
   * names starting with {@code .} or {@code _} are ignored; {@code .gz} and {@code .deflate} files
   * are decoded. No receiver is used.
   */
  public DStream<String> textFileStream(String directory) {
    java.util.Map<String, String> settings = rddContext().fileSystemSettings();
    return fileStream(directory,
        file -> io.tributary.internal.fs.TextFiles.lines(io.tributary.fs.FileSystems.forPath(file, settings), file),
        path -> true, true);
  }

  /**
   * The records of the new files in {@code directory}, each file read by {@code readFile} (given
   * the file's qualified path; it opens it with {@code rddContext().fileSystem(path)} or any
   * reader of its own) as one partition of the batch. Only files accepted by {@code filter} (given
   * the path) are read. As in Spark, each batch reads the files not read before whose
   * modification time is at most the batch time and within {@code
   * streaming.fileStream.minRememberDuration} (1 min) of it; with {@code newFilesOnly} also after
   * the time this stream was defined, so files written before {@code start()} are read too while
   * files present at definition never are. Without it, the files present at start modified within
   * that minute are read in the first batch. For Hadoop InputFormats see {@code HadoopStreams.fileStream} in
   * {@code tributary-hadoop}.
   */
  public <T> DStream<T> fileStream(
      String directory, FlatMapFunction<String, T> readFile, Function<String, Boolean> filter,
      boolean newFilesOnly) {
    Checks.notNull(directory, "directory");
    Checks.notNull(readFile, "readFile");
    Checks.notNull(filter, "filter");
    rddContext().fileSystem(directory); // an unknown scheme fails here, naming the artifact to add
    return new FileInputDStream<T>(this, directory, readFile, filter, newFilesOnly);
  }

  /** One dataset per batch from {@code queue}; for tests. See {@link #queueStream(Queue, boolean, Rdd)}. */
  public <T> InputDStream<T> queueStream(Queue<Rdd<T>> queue) {
    return queueStream(queue, true);
  }

  public <T> InputDStream<T> queueStream(Queue<Rdd<T>> queue, boolean oneAtATime) {
    return queueStream(queue, oneAtATime, null);
  }

  /**
   * Batches taken from {@code queue}: one dataset per batch when {@code oneAtATime}, else all
   * queued datasets together. With the queue empty a batch is {@code defaultRdd}, or empty when
   * that is null. Datasets added to the queue after start are picked up.
   */
  public <T> InputDStream<T> queueStream(Queue<Rdd<T>> queue, boolean oneAtATime, Rdd<T> defaultRdd) {
    Checks.notNull(queue, "queue");
    return new QueueInputDStream<>(this, queue, oneAtATime, defaultRdd);
  }

  /** The stream of a user-written {@link Receiver}. */
  public <T> ReceiverInputDStream<T> receiverStream(Receiver<T> receiver) {
    return new ReceiverInputDStream<>(this, receiver);
  }

  // ---------------------------------------------------------------- combining streams

  /**
   * The batches of all the given streams together; they must have the same slide duration. A
   * stream without a dataset for a batch fails that batch, as in Spark.
   */
  @SafeVarargs
  public final <T> DStream<T> union(DStream<T>... streams) {
    Checks.notNull(streams, "streams");
    return union(Arrays.asList(streams));
  }

  /** Pair-typed {@link #union(DStream[])}. */
  @SafeVarargs
  public final <K, V> PairDStream<K, V> union(PairDStream<K, V>... streams) {
    Checks.notNull(streams, "streams");
    List<DStreamLike<Tuple2<K, V>, ?, ?>> all = new ArrayList<>(Arrays.asList(streams));
    return PairDStream.fromDStream(union(all));
  }

  <T> DStream<T> union(List<? extends DStreamLike<T, ?, ?>> streams) {
    if (streams.isEmpty()) {
      throw new IllegalArgumentException("union needs at least one stream");
    }
    return new TransformedDStream<T>(
        this,
        new ArrayList<>(streams),
        (rdds, time) -> {
          @SuppressWarnings("unchecked")
          List<Rdd<T>> typed = (List<Rdd<T>>) (List<?>) rdds;
          return rddContext().union(typed);
        },
        "union");
  }

  /**
   * A stream computed from the same batch of several streams by {@code f}. As in Spark, every
   * stream must have a dataset for each batch: one without (not an empty one: none at all) fails
   * the batch.
   */
  public <T> DStream<T> transform(
      List<? extends DStreamLike<?, ?, ?>> streams, Function2<List<Rdd<?>>, Time, Rdd<T>> f) {
    Checks.notNull(streams, "streams");
    Checks.notNull(f, "transform function");
    return new TransformedDStream<>(this, streams, f, "transform");
  }

  /** Pair-typed {@link #transform(List, Function2)}: the result's by-key operations need no conversion. */
  public <K, V> PairDStream<K, V> transformToPair(
      List<? extends DStreamLike<?, ?, ?>> streams, Function2<List<Rdd<?>>, Time, PairRdd<K, V>> f) {
    Checks.notNull(streams, "streams");
    Checks.notNull(f, "transformToPair function");
    return PairDStream.fromDStream(
        new TransformedDStream<Tuple2<K, V>>(this, streams, (rdds, time) -> f.call(rdds, time), "transformToPair"));
  }

  // ---------------------------------------------------------------- life cycle

  /**
   * Starts receivers and the batch timer. Fails when there is no output operation, when this
   * context was stopped, or when another context is active in this JVM.
   */
  public void start() {
    synchronized (lifecycle) {
      switch (state) {
        case ACTIVE -> throw new IllegalStateException("StreamingContext has already been started");
        case STOPPED -> throw new IllegalStateException(
            "StreamingContext has already been stopped and cannot be restarted: create a new one");
        default -> {}
      }
      boolean stopOnShutdown = conf.getBoolean("streaming.stopGracefullyOnShutdown", false);
      if (!ACTIVE.compareAndSet(null, this)) {
        throw new IllegalStateException(
            "Only one StreamingContext may be active in a JVM, and another one is running: "
                + "stop it before starting this one");
      }
      try {
        startPlugins();
        runtime.start();
      } catch (RuntimeException e) {
        ACTIVE.compareAndSet(this, null);
        runtime.stop(false, false, true);
        closePlugins();
        state = StreamingContextState.STOPPED;
        terminated.countDown();
        throw e;
      }
      state = StreamingContextState.ACTIVE;
      if (stopOnShutdown) {
        shutdownHook = new Thread(() -> stop(true), "tributary-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
    }
    LOG.info("StreamingContext started: batches every {}", batchDuration.prettyPrint());
  }

  /**
   * Blocks until the context is stopped. Throws the {@link BatchFailedException} that stopped it
   * when a batch failed for good (see {@code streaming.batch.onFailure}).
   */
  public void awaitTermination() throws InterruptedException {
    terminated.await();
    throwFailure();
  }

  /**
   * Blocks until the context is stopped or {@code timeoutMs} passed; true if it stopped. Throws the
   * {@link BatchFailedException} that stopped it, as {@link #awaitTermination()} does.
   */
  public boolean awaitTerminationOrTimeout(long timeoutMs) throws InterruptedException {
    boolean stopped = terminated.await(timeoutMs, TimeUnit.MILLISECONDS);
    throwFailure();
    return stopped;
  }

  private void throwFailure() {
    BatchFailedException failed = failure;
    if (failed != null) {
      throw failed;
    }
  }

  /** Stops at once: receivers stop, data not yet processed is dropped. */
  public void stop() {
    stop(false);
  }

  /**
   * Stops the context. Gracefully: receivers stop first, every record already received is
   * processed in the remaining batches, then the context stops (waiting at most {@code
   * streaming.gracefulStopTimeout}). Calling stop on a stopped context does nothing.
   */
  public void stop(boolean stopGracefully) {
    stop(true, stopGracefully);
  }

  /**
   * Stops the context as {@link #stop(boolean)} does; with {@code stopRddContext} false the
   * {@link #rddContext()} stays usable for batch work afterwards (close it when done).
   */
  public void stop(boolean stopRddContext, boolean stopGracefully) {
    synchronized (lifecycle) {
      if (state == StreamingContextState.STOPPED) {
        return;
      }
      boolean wasActive = state == StreamingContextState.ACTIVE;
      state = StreamingContextState.STOPPED;
      try {
        runtime.stop(wasActive, stopGracefully, stopRddContext);
      } finally {
        closePlugins();
        ACTIVE.compareAndSet(this, null);
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
          try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
          } catch (IllegalStateException ignored) {
            // the JVM is already shutting down
          }
        }
        terminated.countDown();
      }
    }
    LOG.info("StreamingContext stopped{}", stopGracefully ? " gracefully" : "");
  }

  /** {@code stop()}. */
  @Override
  public void close() {
    stop();
  }

  // ---------------------------------------------------------------- monitoring

  /**
   * The input streams of this context, in the order they were defined, with the rate each may
   * use now: a snapshot, for monitoring (the web UI, a metrics exporter).
   */
  public List<io.tributary.streaming.scheduler.InputStreamStatus> inputStreams() {
    List<io.tributary.streaming.scheduler.InputStreamStatus> statuses = new ArrayList<>();
    for (InputDStream<?> input : runtime.graph().inputs()) {
      String name = input.name();
      if (name == null) {
        name = input instanceof ReceiverInputDStream<?> r && r.getReceiver() != null
            ? r.getReceiver().getClass().getSimpleName() : input.getClass().getSimpleName();
      }
      statuses.add(new io.tributary.streaming.scheduler.InputStreamStatus(
          input.inputId(), name, input instanceof ReceiverInputDStream<?>, input.rateLimit()));
    }
    return statuses;
  }

  /**
   * Bytes of received data held in memory now: blocks stored and not yet released, and records
   * receivers took in and have not stored yet. Bounded by {@link #maxBufferedBytes()}; a value
   * that stays near the bound means receivers are being held back.
   */
  public long bufferedBytes() {
    return runtime.blockStore().bufferedBytes();
  }

  /** The bound of {@link #bufferedBytes()}: {@code streaming.receiver.maxBufferedBytes}. */
  public long maxBufferedBytes() {
    return runtime.blockStore().maxBufferedBytes();
  }

  // ---------------------------------------------------------------- internals

  /**
   * Starts every {@link StreamingPlugin} on the class path. One whose configuration is wrong
   * ({@link IllegalArgumentException}) fails the start; one that fails otherwise is logged and left out.
   */
  private void startPlugins() {
    List<java.util.ServiceLoader.Provider<StreamingPlugin>> providers;
    try {
      providers = java.util.ServiceLoader.load(StreamingPlugin.class).stream().toList();
    } catch (java.util.ServiceConfigurationError e) {
      LOG.warn("Could not list the streaming plugins on the class path; the context runs without them", e);
      return;
    }
    for (java.util.ServiceLoader.Provider<StreamingPlugin> provider : providers) {
      try {
        AutoCloseable handle = provider.get().start(this);
        if (handle != null) {
          plugins.add(handle);
        }
      } catch (IllegalArgumentException e) {
        closePlugins();
        throw e; // its configuration is wrong: the message names the key
      } catch (Exception | java.util.ServiceConfigurationError e) {
        LOG.warn("Plugin {} did not start; the context runs without it", provider.type().getName(), e);
      }
    }
  }

  private void closePlugins() {
    for (AutoCloseable plugin : plugins) {
      try {
        plugin.close();
      } catch (Exception e) {
        LOG.warn("Plugin {} did not stop cleanly", plugin, e);
      }
    }
    plugins.clear();
  }

  /** A batch failed for good: stops the context at once (on a thread of its own) with {@code failed}. */
  private void stopOnFailure(BatchFailedException failed) {
    failure = failed;
    Thread stopper = new Thread(() -> stop(true, false), "tributary-stop-on-failure");
    stopper.setDaemon(true);
    stopper.start();
  }

  void checkDefinable(String action) {
    if (state != StreamingContextState.INITIALIZED) {
      throw new IllegalStateException(
          "Cannot " + action + " after the StreamingContext was started or stopped: define all "
              + "streams and output operations before start()");
    }
  }
}
