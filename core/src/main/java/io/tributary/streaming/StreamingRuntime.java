package io.tributary.streaming;

import io.tributary.streaming.internal.scheduler.JobScheduler;
import io.tributary.streaming.internal.scheduler.ListenerBus;
import io.tributary.internal.serializer.Serializer;
import io.tributary.rdd.RddContext;
import io.tributary.Clock;
import io.tributary.Duration;
import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.streaming.internal.block.BlockStore;
import io.tributary.streaming.internal.receiver.ReceiverTracker;
import io.tributary.streaming.internal.scheduler.ReceivedBlockTracker;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.HashMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import io.tributary.streaming.internal.checkpoint.Checkpoint;
import io.tributary.streaming.internal.checkpoint.CheckpointFiles;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a running {@link StreamingContext} is made of: the stream graph, the batch timer,
 * the job scheduler, receivers and their blocks, the listener bus. Internal: connectors use it to
 * report input and reach the block store; applications never need it.
 */
final class StreamingRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingRuntime.class);

  private final StreamingConf conf;
  private final Duration batchDuration;
  private final Clock clock;
  private final RddContext rddContext;
  private final Serializer serializer;
  private final DStreamGraph graph = new DStreamGraph();
  private final ListenerBus listenerBus = new ListenerBus();
  private final BlockStore blockStore;
  private final ReceiverTracker receiverTracker;
  private final ReceivedBlockTracker blockTracker;
  private final io.tributary.streaming.RateControl rateControl;
  private final ConcurrentSkipListMap<Time, Map<Integer, StreamInputInfo>> inputInfos =
      new ConcurrentSkipListMap<>();
  private final StreamingContext ssc;
  private final JobScheduler.FailurePolicy failurePolicy;
  private final java.util.function.Consumer<io.tributary.BatchFailedException> onFatal;
  private JobScheduler jobScheduler;
  private JobGenerator jobGenerator;
  private Checkpoint recovered;
  private volatile boolean abandoned;
  private CheckpointFiles checkpoints;
  private final java.util.ArrayDeque<Set<String>> referencedByKept = new java.util.ArrayDeque<>();
  private final Set<String> writtenDataCheckpoints = new HashSet<>();

  /** @param onFatal stops the context when a batch failed for good */
  public StreamingRuntime(StreamingContext ssc, StreamingConf conf, Duration batchDuration, Clock clock,
      java.util.function.Consumer<io.tributary.BatchFailedException> onFatal) {
    this.ssc = ssc;
    this.onFatal = onFatal;
    this.conf = conf;
    this.batchDuration = batchDuration;
    this.clock = clock;
    this.rddContext = new RddContext(conf);
    this.serializer = io.tributary.internal.serializer.SerializerSpec.of(conf.getAll()).get();
    this.blockStore = new BlockStore(serializer, BlockStore.maxBytesOf(conf));
    this.failurePolicy = JobScheduler.FailurePolicy.of(conf);
    this.rateControl =
        new io.tributary.streaming.RateControl(conf, listenerBus, batchDuration.milliseconds());
    io.tributary.streaming.internal.receiver.ReceiverEnvironment receiving = new io.tributary.streaming.internal.receiver.ReceiverEnvironment(
        conf, clock, batchDuration, serializer, blockStore, id -> rateControl.limiterFor(id), listenerBus::post,
        rddContext.fileSystemSettings(), this::checkpointDirectory, this::isRecovering);
    this.blockTracker = new ReceivedBlockTracker(receiving);
    this.receiverTracker = new ReceiverTracker(receiving, blockTracker::addBlock);
    listenerBus.add(new io.tributary.streaming.internal.scheduler.ProgressLog(conf, batchDuration.milliseconds()));
  }

  public StreamingConf conf() {
    return conf;
  }

  public Duration batchDuration() {
    return batchDuration;
  }

  public Clock clock() {
    return clock;
  }

  public RddContext rddContext() {
    return rddContext;
  }

  public Serializer serializer() {
    return serializer;
  }

  public DStreamGraph graph() {
    return graph;
  }

  public ListenerBus listenerBus() {
    return listenerBus;
  }

  public BlockStore blockStore() {
    return blockStore;
  }

  /** Batch allocation of received blocks. */
  ReceivedBlockTracker blockTracker() {
    return blockTracker;
  }

  /**
   * Batch allocation: receivers cut what they buffered into blocks (waiting one batch interval at
   * most), then every block stored so far joins batch {@code time}; once per time.
   */
  void allocateBlocks(Time time) {
    if (blockTracker.isAllocated(time)) {
      return;
    }
    receiverTracker.flush(System.nanoTime() + batchDuration.milliseconds() * 1_000_000L);
    blockTracker.allocate(time);
  }

  /** Static rate limits, receivers' rate limiters and backpressure. */
  public io.tributary.streaming.RateControl rateControl() {
    return rateControl;
  }

  /** The job scheduler; null before start. */
  public JobScheduler jobScheduler() {
    return jobScheduler;
  }

  /** Records what input stream {@code info.inputStreamId()} contributed to batch {@code time}. */
  public void reportInput(Time time, StreamInputInfo info) {
    inputInfos.computeIfAbsent(time, t -> new ConcurrentHashMap<>()).put(info.inputStreamId(), info);
  }

  Map<Integer, StreamInputInfo> inputInfosOf(Time time) {
    Map<Integer, StreamInputInfo> infos = inputInfos.get(time);
    return infos == null ? Map.of() : new HashMap<>(infos);
  }

  public void start() {
    long period = batchDuration.milliseconds();
    long now = clock.getTimeMillis();
    Time zero;
    List<Time> restartTimes = new ArrayList<>();
    Time first;
    if (recovered == null) {
      first = new Time((Math.floorDiv(now, period) + 1) * period);
      zero = first.minus(batchDuration);
      graph.start(zero);
    } else {
      zero = new Time(recovered.zeroTime());
      graph.start(zero);
      graph.restore(recovered);
      TreeSet<Long> times = new TreeSet<>(recovered.pendingTimes());
      long lastDue = zero.milliseconds() + Math.floorDiv(now - zero.milliseconds(), period) * period;
      for (long t = recovered.checkpointTime() + period; t <= lastDue; t += period) {
        times.add(t);
      }
      times.forEach(t -> restartTimes.add(new Time(t)));
      long last = Math.max(recovered.checkpointTime(), times.isEmpty() ? lastDue : times.last());
      first = new Time(Math.max(last, lastDue) + period);
      LOG.info("Recovered from the checkpoint of batch {} ms: {} batch(es) to run again ({} pending at "
          + "the checkpoint), then batches from {}", recovered.checkpointTime(), restartTimes.size(),
          recovered.pendingTimes().size(), first);
    }
    if (checkpointDirectory() != null) {
      checkpoints = new CheckpointFiles(rddContext.fileSystemSettings(), checkpointDirectory(),
          conf.getInt("streaming.checkpoint.keep", 10));
    }
    listenerBus.start();
    rateControl.start(graph.inputs());
    for (InputDStream<?> input : graph.inputs()) {
      input.start();
    }
    jobScheduler = new JobScheduler(listenerBus, conf.getInt("streaming.concurrentJobs", 1), failurePolicy,
        this::onBatchCompleted, onFatal);
    Map<Integer, io.tributary.streaming.receiver.Receiver<?>> receivers = new java.util.LinkedHashMap<>();
    for (ReceiverInputDStream<?> input : graph.receiverInputs()) {
      receivers.put(input.inputId(), input.getReceiver());
    }
    blockTracker.start();
    receiverTracker.start(receivers);
    jobGenerator = new JobGenerator(this, graph, jobScheduler);
    // posted before the timer starts, so listeners see it before the first batch's events
    listenerBus.post(new StreamingListenerStreamingStarted(System.currentTimeMillis()));
    if (recovered == null) {
      writeCheckpoint(); // from now on a crash recovers, even before the first batch completes
    }
    jobGenerator.start(restartTimes, first);
    LOG.info("First batch at {}", first);
  }

  /**
   * Stops everything; gracefully: receivers first, then every received block is processed. The
   * dataset context is closed too unless {@code closeRddContext} is false.
   */
  public void stop(boolean wasActive, boolean graceful, boolean closeRddContext) {
    try {
      if (wasActive && jobGenerator != null) {
        long timeout =
            conf.getDuration("streaming.gracefulStopTimeout", batchDuration.times(10)).milliseconds();
        if (graceful) {
          receiverTracker.stop(true);
          jobGenerator.stopTimer();
          jobGenerator.drain();
          jobScheduler.stop(true, timeout);
          writeCheckpoint();
        } else {
          abandoned = true; // batches cut short by this stop stay pending in the last checkpoint
          jobScheduler.abandon();
          jobGenerator.stopTimer();
          receiverTracker.stop(false);
          jobScheduler.stop(false, 0);
        }
        for (InputDStream<?> input : graph.inputs()) {
          try {
            input.stop();
          } catch (RuntimeException e) {
            LOG.warn("Error stopping input stream {}", input, e);
          }
        }
      } else {
        receiverTracker.stop(false);
      }
      blockTracker.stop(); // after the last batch: a graceful stop allocates (and logs) its own
      listenerBus.stop();
    } finally {
      rateControl.stop();
      if (closeRddContext) {
        rddContext.close();
      }
    }
  }

  private void onBatchCompleted(Time time) {
    graph.clearMetadata(time, conf.getBoolean("streaming.unpersist", true));
    Time threshold = time.minus(graph.maxRememberDuration());
    blockStore.remove(blockTracker.cleanupOldBatches(threshold));
    receiverTracker.cleanLogs(threshold.milliseconds());
    inputInfos.headMap(threshold).clear();
    writeCheckpoint();
  }

  /** Recovers from {@code checkpoint} when started: called by {@code StreamingContext.getOrCreate}. */
  public void recoverFrom(Checkpoint checkpoint) {
    if (checkpoint.batchMillis() != batchDuration.milliseconds()) {
      throw new IllegalStateException(
          "The checkpoint was written by an application with batches of " + checkpoint.batchMillis()
              + " ms, but this one has batches of " + batchDuration.milliseconds() + " ms: use the "
              + "same batch duration, or delete the checkpoint directory to start afresh");
    }
    this.recovered = checkpoint;
  }

  /** Writes a metadata checkpoint of the progress so far (after each batch, and at stop). */
  synchronized void writeCheckpoint() {
    if (abandoned || checkpoints == null || jobGenerator == null) {
      return;
    }
    Time generated = jobGenerator.lastGenerated();
    Checkpoint checkpoint =
        new Checkpoint(
            generated != null ? generated.milliseconds() : graph.zeroTime().milliseconds(),
            graph.zeroTime().milliseconds(),
            batchDuration.milliseconds(),
            conf.getAll(),
            jobScheduler.pendingTimes(),
            graph.checkpointData());
    checkpoints.write(checkpoint);
    deleteUnreferencedCheckpointFiles(checkpoint);
  }

  /**
   * The data checkpoints the running streams still read: those reachable through the lineage of any
   * remembered dataset (a state whose later batches failed still builds on its last checkpoint).
   */
  private Set<String> liveDataCheckpoints() {
    Set<String> live = new HashSet<>();
    Set<io.tributary.rdd.Rdd<?>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    java.util.ArrayDeque<io.tributary.rdd.Rdd<?>> todo = new java.util.ArrayDeque<>();
    for (io.tributary.streaming.DStreamLike<?, ?, ?> stream : graph.streams()) {
      todo.addAll(stream.rememberedDatasets());
    }
    while (!todo.isEmpty()) {
      io.tributary.rdd.Rdd<?> rdd = todo.pop();
      if (seen.add(rdd)) {
        rdd.getCheckpointFile().ifPresent(live::add);
        rdd.dependencies().forEach(dep -> todo.push(dep.parent()));
      }
    }
    return live;
  }

  /**
   * Deletes data checkpoint directories that neither a kept metadata checkpoint nor the running
   * streams refer to any more.
   */
  private void deleteUnreferencedCheckpointFiles(Checkpoint checkpoint) {
    Set<String> referenced = new HashSet<>();
    for (Checkpoint.StreamData stream : checkpoint.streams().values()) {
      for (java.io.Serializable entry : stream.entries().values()) {
        if (entry instanceof Checkpoint.CheckpointedRdd rdd) {
          referenced.add(rdd.directory());
        }
      }
    }
    referencedByKept.addLast(referenced);
    while (referencedByKept.size() > conf.getInt("streaming.checkpoint.keep", 10)) {
      referencedByKept.removeFirst();
    }
    Set<String> live = liveDataCheckpoints();
    referencedByKept.forEach(live::addAll);
    writtenDataCheckpoints.addAll(referenced);
    for (java.util.Iterator<String> it = writtenDataCheckpoints.iterator(); it.hasNext(); ) {
      String dir = it.next();
      if (!live.contains(dir)) {
        try {
          rddContext.fileSystem(dir).delete(dir, true);
        } catch (java.io.IOException e) {
          LOG.warn("Could not delete the old data checkpoint {}", dir, e);
        }
        it.remove();
      }
    }
  }

  /** The checkpoint directory, or null when none is set. */
  public String checkpointDirectory() {
    return ssc.checkpointDirectory();
  }

  /** Whether this start recovers from a checkpoint. */
  public boolean isRecovering() {
    return recovered != null;
  }
}
