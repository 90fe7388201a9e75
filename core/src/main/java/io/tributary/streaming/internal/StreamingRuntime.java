package io.tributary.streaming.internal;

import io.tributary.internal.serializer.Serializer;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.Clock;
import io.tributary.streaming.Duration;
import io.tributary.streaming.InputDStream;
import io.tributary.streaming.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.Time;
import io.tributary.streaming.internal.receiver.BlockStore;
import io.tributary.streaming.internal.receiver.ReceiverTracker;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListenerStreamingStarted;
import java.util.HashMap;
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
public final class StreamingRuntime {
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
  private final ConcurrentSkipListMap<Time, Map<Integer, StreamInputInfo>> inputInfos =
      new ConcurrentSkipListMap<>();
  private JobScheduler jobScheduler;
  private JobGenerator jobGenerator;

  public StreamingRuntime(StreamingContext ssc, StreamingConf conf, Duration batchDuration, Clock clock) {
    this.conf = conf;
    this.batchDuration = batchDuration;
    this.clock = clock;
    this.rddContext = new RddContext(conf);
    this.serializer = Serializer.named(conf.get("serializer", "kryo"));
    this.blockStore = new BlockStore(serializer);
    this.receiverTracker = new ReceiverTracker(this);
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

  public ReceiverTracker receiverTracker() {
    return receiverTracker;
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
    Time first = new Time((Math.floorDiv(clock.getTimeMillis(), period) + 1) * period);
    Time zero = first.minus(batchDuration);
    graph.start(zero);
    listenerBus.start();
    for (InputDStream<?> input : graph.inputs()) {
      input.start();
    }
    jobScheduler =
        new JobScheduler(listenerBus, conf.getInt("streaming.concurrentJobs", 1), this::onBatchCompleted);
    receiverTracker.start();
    jobGenerator = new JobGenerator(this, graph, receiverTracker, jobScheduler);
    // posted before the timer starts, so listeners see it before the first batch's events
    listenerBus.post(new StreamingListenerStreamingStarted(System.currentTimeMillis()));
    jobGenerator.start(first);
    LOG.info("First batch at {}", first);
  }

  /** Stops everything; gracefully: receivers first, then every received block is processed. */
  public void stop(boolean wasActive, boolean graceful) {
    try {
      if (wasActive && jobGenerator != null) {
        long timeout =
            conf.getDuration("streaming.gracefulStopTimeout", batchDuration.times(10)).milliseconds();
        if (graceful) {
          receiverTracker.stop(true);
          jobGenerator.stopTimer();
          jobGenerator.drain();
          jobScheduler.stop(true, timeout);
        } else {
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
      listenerBus.stop();
    } finally {
      rddContext.close();
    }
  }

  private void onBatchCompleted(Time time) {
    graph.clearMetadata(time, conf.getBoolean("streaming.unpersist", true));
    Time threshold = time.minus(graph.maxRememberDuration());
    receiverTracker.cleanupOldBatches(threshold);
    inputInfos.headMap(threshold).clear();
  }
}
