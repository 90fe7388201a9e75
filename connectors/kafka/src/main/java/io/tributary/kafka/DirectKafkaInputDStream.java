package io.tributary.kafka;

import io.tributary.rdd.Rdd;
import io.tributary.streaming.InputDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.Time;
import io.tributary.streaming.scheduler.StreamInputInfo;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka stream without receiver (made with {@link KafkaUtils#createDirectStream}): at each batch
 * it takes, per partition, the offsets from where the previous batch ended to the latest offset,
 * bounded by the rate limits, and the batch's tasks read exactly those ranges. {@link
 * KafkaUtils#offsetRanges} gives the ranges of a batch dataset.
 *
 * <p>Guarantees: with a checkpoint directory ({@code StreamingContext.getOrCreate}) the ranges of
 * every batch are in the checkpoint, so after a crash the batches run again over exactly the same
 * ranges: with an output that is idempotent per batch, every record is reflected exactly once.
 * Without checkpoints, {@link #commitAsync} stores progress in the consumer group, from where the
 * next run starts (at least once).
 *
 * <p>Rate limits per batch and partition: {@code streaming.kafka.maxRatePerPartition} records/s
 * (0 = none), at least {@code streaming.kafka.minRatePerPartition} records/s (default 1, at least
 * one record per batch), and the input's {@link #rateLimit()} (backpressure, on by default, with
 * its start rate before the first estimate) shared over partitions in proportion to their lag; a
 * batch takes at most {@link #maxRecordsPerBatch()} records in all ({@code
 * streaming.direct.maxRecordsPerBatch}), so a backlog is read over several batches. A partition range larger than {@code streaming.kafka.maxRecordsPerTask}
 * (default 1,000,000; 0 = never split) is split into consecutive ranges read by separate tasks.
 *
 * <p>Offsets out of range (deleted by retention, or a re-created topic) follow {@code
 * auto.offset.reset}: {@code earliest} or {@code latest} skip there with a warning naming the
 * skipped offsets, {@code none} fails the batch naming the partition and offsets. Partitions that
 * appear while running are read from their beginning.
 */
public final class DirectKafkaInputDStream<K, V> extends InputDStream<ConsumerRecord<K, V>>
    implements CanCommitOffsets {
  private static final Logger LOG = LoggerFactory.getLogger(DirectKafkaInputDStream.class);

  private final LocationStrategy locationStrategy;
  private final ConsumerStrategy<K, V> consumerStrategy;
  private final PerPartitionConfig perPartition;
  private final Map<String, Object> driverParams;
  private final String groupId;
  private final String resetPolicy;
  private final OffsetRangeReader reader;
  private final long maxRecordsPerTask;
  private final long connectTimeoutMs;

  private final Object lock = new Object();
  private final Map<TopicPartition, Long> currentOffsets = new HashMap<>();
  private final TreeMap<Long, List<OffsetRange>> batches = new TreeMap<>();
  private final ConcurrentLinkedQueue<PendingCommit> commitQueue = new ConcurrentLinkedQueue<>();
  private Consumer<K, V> consumer;
  private boolean recovered;

  /** The ranges of one batch: the checkpoint entry of a batch time. */
  private record KafkaBatch(List<OffsetRange> ranges) implements Serializable {}

  private record PendingCommit(OffsetRange[] ranges, OffsetCommitCallback callback) {}

  DirectKafkaInputDStream(StreamingContext ssc, LocationStrategy locationStrategy,
      ConsumerStrategy<K, V> consumerStrategy, PerPartitionConfig perPartition) {
    super(ssc);
    this.locationStrategy = locationStrategy;
    this.consumerStrategy = consumerStrategy;
    this.perPartition = perPartition;
    this.driverParams = KafkaParams.forStream(consumerStrategy.kafkaParams());
    this.groupId = KafkaParams.groupId(driverParams);
    this.resetPolicy = KafkaParams.resetPolicy(driverParams);
    StreamingConf conf = ssc.conf();
    this.reader = OffsetRangeReader.fromConf(conf, KafkaParams.forExecutor(driverParams));
    this.connectTimeoutMs = conf.getDuration("streaming.kafka.connectTimeout", new io.tributary.Duration(10_000)).milliseconds();
    this.maxRecordsPerTask = conf.getLong("streaming.kafka.maxRecordsPerTask", 1_000_000);
    if (maxRecordsPerTask < 0) {
      throw new IllegalArgumentException("streaming.kafka.maxRecordsPerTask must be >= 0 (0 = never split), got "
          + maxRecordsPerTask);
    }
  }

  /** The consumer group this stream commits to. */
  public String groupId() {
    return groupId;
  }

  /** The offset each partition's next batch starts from (a copy). */
  public Map<TopicPartition, Long> currentOffsets() {
    synchronized (lock) {
      return Map.copyOf(currentOffsets);
    }
  }

  // ---------------------------------------------------------------- life cycle

  /** True: each batch is bounded by {@link #rateLimit()}, so backpressure estimates a rate for it. */
  @Override
  public boolean followsRateLimit() {
    return true;
  }

  @Override
  public void start() {
    synchronized (lock) {
      KafkaParams.requireReachable(driverParams, connectTimeoutMs);
      consumer = new KafkaConsumer<>(driverParams);
      try {
        if (recovered) {
          LOG.info("Kafka stream {} resumes from its checkpoint at {}", describe(), describe(currentOffsets));
          assignPaused(currentOffsets.keySet());
          return;
        }
        Set<TopicPartition> partitions = consumerStrategy.partitions(consumer);
        consumer.assign(partitions);
        consumerStrategy.startingOffsets().forEach((tp, offset) -> {
          if (partitions.contains(tp)) {
            consumer.seek(tp, offset);
          }
        });
        for (TopicPartition tp : partitions) {
          try {
            currentOffsets.put(tp, consumer.position(tp));
          } catch (NoOffsetForPartitionException e) {
            throw new IllegalStateException("Group '" + groupId + "' has no committed offset for " + tp
                + " and auto.offset.reset is none: set auto.offset.reset to earliest or latest, or give "
                + "starting offsets to the consumer strategy", e);
          }
        }
        consumer.pause(partitions);
        LOG.info("Kafka stream {} starts at {}", describe(), describe(currentOffsets));
      } catch (RuntimeException e) {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
        throw e;
      }
    }
  }

  @Override
  public void stop() {
    synchronized (lock) {
      if (consumer == null) {
        return;
      }
      try {
        Map<TopicPartition, OffsetAndMetadata> pending = drainCommits(new ArrayList<>());
        if (!pending.isEmpty()) {
          consumer.commitSync(pending, Duration.ofSeconds(10));
        }
      } catch (RuntimeException e) {
        LOG.warn("Could not commit the last offsets of Kafka stream {} to group {}", describe(), groupId, e);
      } finally {
        consumer.close(Duration.ofSeconds(5));
        consumer = null;
        try {
          ConsumerPool.of(context().rddContext()).closeGroup(KafkaParams.EXECUTOR_GROUP_PREFIX + groupId);
        } catch (IllegalStateException contextClosed) {
          // its resources, the pool among them, are closed already
        }
      }
    }
  }

  // ---------------------------------------------------------------- batches

  @Override
  public Optional<Rdd<ConsumerRecord<K, V>>> compute(Time validTime) {
    synchronized (lock) {
      if (consumer == null) {
        throw new IllegalStateException("Kafka stream " + describe() + " is not started");
      }
      commitQueued();
      Set<TopicPartition> partitions = refreshPartitions();
      Map<TopicPartition, Long> latest = consumer.endOffsets(partitions);
      Map<TopicPartition, Long> earliest = consumer.beginningOffsets(partitions);
      Map<TopicPartition, Long> from = new HashMap<>();
      for (TopicPartition tp : partitions) {
        from.put(tp, inRange(tp, currentOffsets.get(tp), earliest.get(tp), latest.get(tp)));
      }
      Map<TopicPartition, Long> lags = new HashMap<>();
      for (TopicPartition tp : partitions) {
        lags.put(tp, latest.get(tp) - from.get(tp));
      }
      Map<TopicPartition, Long> take =
          recordsPerPartition(lags, perPartition::maxRatePerPartition, perPartition::minRatePerPartition);
      List<OffsetRange> ranges = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        long start = from.get(tp);
        long until = start + take.get(tp);
        split(tp, start, until, ranges);
        currentOffsets.put(tp, until);
      }
      ranges.sort(Comparator.comparing(OffsetRange::topic).thenComparingInt(OffsetRange::partition)
          .thenComparingLong(OffsetRange::fromOffset));
      batches.put(validTime.milliseconds(), List.copyOf(ranges));
      Map<String, Long> lagAfter = new java.util.TreeMap<>();
      for (TopicPartition tp : partitions) {
        lagAfter.put(tp.toString(), latest.get(tp) - currentOffsets.get(tp));
      }
      report(validTime, ranges, lagAfter);
      return Optional.of(rddOf(ranges));
    }
  }

  private Set<TopicPartition> refreshPartitions() {
    Set<TopicPartition> partitions = new HashSet<>(consumerStrategy.partitions(consumer));
    Set<TopicPartition> added = new HashSet<>(partitions);
    added.removeAll(currentOffsets.keySet());
    Set<TopicPartition> gone = new HashSet<>(currentOffsets.keySet());
    gone.removeAll(partitions);
    if (!gone.isEmpty()) {
      LOG.warn("Kafka stream {} no longer reads {}: they are gone from Kafka or from the strategy", describe(), gone);
      currentOffsets.keySet().removeAll(gone);
    }
    if (!added.isEmpty()) {
      Map<TopicPartition, Long> beginning = consumer.beginningOffsets(added);
      currentOffsets.putAll(beginning);
      LOG.info("Kafka stream {} reads new partitions from their beginning: {}", describe(), describe(beginning));
    }
    if (!added.isEmpty() || !gone.isEmpty()) {
      assignPaused(partitions);
    }
    return partitions;
  }

  /** The driver consumer is assigned the partitions (for commits and metadata) but never fetches. */
  private void assignPaused(Set<TopicPartition> partitions) {
    consumer.assign(partitions);
    currentOffsets.forEach((tp, offset) -> {
      if (partitions.contains(tp)) {
        consumer.seek(tp, offset);
      }
    });
    consumer.pause(partitions);
  }

  private long inRange(TopicPartition tp, long current, long earliest, long latest) {
    if (current >= earliest && current <= latest) {
      return current;
    }
    String problem = "Offset " + current + " of " + tp + " is out of range: Kafka holds offsets [" + earliest + ", "
        + latest + ") now (retention deleted records, or the topic was re-created)";
    switch (resetPolicy) {
      case "earliest" -> {
        LOG.warn("{}; auto.offset.reset=earliest: continuing from {}{}", problem, earliest,
            current < earliest ? ", offsets [" + current + ", " + earliest + ") are lost" : "");
        return earliest;
      }
      case "latest" -> {
        LOG.warn("{}; auto.offset.reset=latest: continuing from {}{}", problem, latest,
            current < latest ? ", offsets [" + current + ", " + latest + ") are skipped" : "");
        return latest;
      }
      default -> throw new IllegalStateException(problem + ". Set auto.offset.reset to earliest or latest to skip "
          + "there, or restart the stream from explicit starting offsets");
    }
  }

  private void split(TopicPartition tp, long from, long until, List<OffsetRange> ranges) {
    long step = maxRecordsPerTask > 0 ? maxRecordsPerTask : Long.MAX_VALUE;
    long start = from;
    do {
      long end = until - start > step ? start + step : until;
      ranges.add(OffsetRange.create(tp, start, end));
      start = end;
    } while (start < until);
  }

  /**
   * Tells the listeners the batch's ranges ({@code offsets}) and, per partition ("topic-partition"),
   * the records left after it when it was planned ({@code lag}), which the web UI shows.
   */
  private void report(Time time, List<OffsetRange> ranges, Map<String, Long> lagAfter) {
    long records = ranges.stream().mapToLong(OffsetRange::count).sum();
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("offsets", ranges);
    metadata.put("lag", Map.copyOf(lagAfter));
    metadata.put(StreamInputInfo.METADATA_KEY_DESCRIPTION, ranges.stream()
        .map(r -> "topic: " + r.topic() + "\tpartition: " + r.partition() + "\toffsets: " + r.fromOffset() + " to "
            + r.untilOffset() + (lagAfter.containsKey(r.topic() + "-" + r.partition())
                ? "\tlag: " + lagAfter.get(r.topic() + "-" + r.partition()) : ""))
        .collect(Collectors.joining("\n")));
    reportInput(time, records, metadata);
    if (records > 0) {
      LOG.debug("Kafka stream {} batch {}: {} offsets in {}", describe(), time, records, ranges);
    }
  }

  private Rdd<ConsumerRecord<K, V>> rddOf(List<OffsetRange> ranges) {
    Map<TopicPartition, String> hosts = new HashMap<>();
    if (locationStrategy instanceof LocationStrategy.PreferFixed fixed) {
      hosts.putAll(fixed.hostMap());
    } else if (locationStrategy instanceof LocationStrategy.PreferBrokers && consumer != null) {
      for (String topic : ranges.stream().map(OffsetRange::topic).collect(Collectors.toSet())) {
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
          if (info.leader() != null) {
            hosts.put(new TopicPartition(topic, info.partition()), info.leader().host());
          }
        }
      }
    }
    return KafkaRanges.rdd(ssc.rddContext(), ranges, reader, hosts, groupId);
  }

  @Override
  protected void clearMetadata(Time time, boolean unpersist) {
    super.clearMetadata(time, unpersist);
    synchronized (lock) {
      batches.headMap(time.minus(rememberDuration()).milliseconds(), false).clear();
    }
  }

  // ---------------------------------------------------------------- commits

  @Override
  public void commitAsync(OffsetRange[] offsetRanges) {
    commitAsync(offsetRanges, null);
  }

  @Override
  public void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback) {
    if (offsetRanges == null) {
      throw new IllegalArgumentException("commitAsync needs the offset ranges to commit: KafkaUtils.offsetRanges(rdd)");
    }
    commitQueue.add(new PendingCommit(offsetRanges.clone(), callback));
  }

  private Map<TopicPartition, OffsetAndMetadata> drainCommits(List<OffsetCommitCallback> callbacks) {
    Map<TopicPartition, Long> max = new HashMap<>();
    for (PendingCommit commit; (commit = commitQueue.poll()) != null; ) {
      for (OffsetRange r : commit.ranges()) {
        max.merge(r.topicPartition(), r.untilOffset(), Math::max);
      }
      if (commit.callback() != null) {
        callbacks.add(commit.callback());
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    max.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
    return offsets;
  }

  private void commitQueued() {
    List<OffsetCommitCallback> callbacks = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = drainCommits(callbacks);
    if (!offsets.isEmpty()) {
      consumer.commitAsync(offsets, (committed, error) -> {
        if (error != null) {
          LOG.warn("Committing offsets {} to group {} failed", committed, groupId, error);
        }
        callbacks.forEach(c -> c.onComplete(committed, error));
      });
    }
    consumer.poll(Duration.ZERO); // every partition is paused: this only completes commits
  }

  // ---------------------------------------------------------------- checkpoints

  /** Its name, else {@code kafka:} + the strategy + the group id. */
  @Override
  protected String checkpointKey() {
    return name() != null ? name() : "kafka:" + consumerStrategy.describe() + ":" + groupId;
  }

  /** The offset ranges of every remembered batch: recovery reads the same ranges again. */
  @Override
  protected SortedMap<Long, Serializable> checkpointData() {
    synchronized (lock) {
      TreeMap<Long, Serializable> entries = new TreeMap<>();
      batches.forEach((time, ranges) -> entries.put(time, new KafkaBatch(ranges)));
      return entries;
    }
  }

  @Override
  protected void restoreCheckpointData(SortedMap<Long, Serializable> entries) {
    synchronized (lock) {
      for (Map.Entry<Long, Serializable> e : entries.entrySet()) {
        if (e.getValue() instanceof KafkaBatch batch) {
          recovered = true;
          batches.put(e.getKey(), batch.ranges());
          for (OffsetRange r : batch.ranges()) {
            currentOffsets.merge(r.topicPartition(), r.untilOffset(), Math::max);
          }
          Time time = new Time(e.getKey());
          if (isTimeValid(time)) {
            restoreDataset(time, rddOf(batch.ranges()));
            // a batch run again shows what it reads, as any batch does (its lag then is not known)
            report(time, batch.ranges(), Map.of());
          }
        }
      }
    }
  }

  private String describe() {
    return name() != null ? name() + " (" + consumerStrategy.describe() + ")" : consumerStrategy.describe();
  }

  private static String describe(Map<TopicPartition, Long> offsets) {
    return new TreeMap<>(offsets.entrySet().stream()
        .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue))).toString();
  }
}
