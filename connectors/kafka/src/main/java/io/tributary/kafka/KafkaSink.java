package io.tributary.kafka;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.DStreamLike;
import io.tributary.Time;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes datasets (one per batch, from {@code foreachRDD}) to Kafka, at least once or exactly
 * once.
 *
 * <pre>{@code
 * KafkaSink<String> sink = KafkaSink.<String, String>builder()
 *     .bootstrapServers("localhost:9092")
 *     .valueSerializer(StringSerializer.class)
 *     .exactlyOnce("upper-case-app")          // or .atLeastOnce() (the default)
 *     .forValues("output-topic");             // or forPairs(topic), forRecords(element -> ProducerRecord)
 * sink.writeStream(stream.map(r -> r.value().toUpperCase()));   // stream: a direct Kafka stream
 * // the same as: stream.map(...).foreachRDD((rdd, time) -> sink.write(rdd, time));
 * }</pre>
 *
 * <p><b>At least once</b>: every task sends its partition's records with a producer shared by the
 * tasks of the context and waits until all are acknowledged ({@code acks=all}); a failed batch or a
 * batch run again after a crash writes its records again.
 *
 * <p><b>Exactly once</b> (Kafka in, Kafka out): for the datasets computed from a batch of a
 * direct stream ({@link KafkaUtils#createDirectStream}, or {@link KafkaUtils#createRdd}) partition
 * by partition (map, filter, flatMap, mapPartitions, mapToPair and {@code transform} with those:
 * output partition {@code i} holds what input range {@code i} gave), each task writes its records
 * and commits its input range's end offset to the stream's consumer group in one Kafka transaction
 * ({@code sendOffsetsToTransaction}). The transactional id is {@code <prefix>-<input topic>-<input
 * partition>}: stable across runs, so a restarted application fences the producer of the killed
 * one and aborts its open transaction. Before writing, the sink reads the group's committed offset
 * of every range: a range committed already (a batch run again after a crash, from the checkpoint)
 * is skipped, a range committed up to an offset inside it (a batch generated again with a
 * different end) is read from there. Readers with {@code isolation.level=read_committed} see every
 * input record's output exactly once, even across {@code kill -9}; readers with {@code
 * read_uncommitted} also see the aborted attempts. Together with {@code StreamingContext.getOrCreate}
 * (or without a checkpoint: the stream then starts from the group's offsets, committed with the
 * output).
 *
 * <p><b>The batch is not changed.</b> The driver plans each write as a value, one entry per input
 * range: skip it, or write it from input offset X with transactional id I (and the producer it
 * fenced). The tasks apply that plan. Where a task must start inside its range, the plan reaches
 * the range's reader as a local property of the sink's job ({@code RddContext.setLocalProperty},
 * read in the task with {@code TaskContext.getLocalProperty}, keyed by the exact range), set on
 * the output thread for that job only: the records before X are never read, and the batch's
 * dataset stays as it was, so any other output of the same batch, and a replay, read every range
 * whole.
 *
 * <p>Exactly-once needs: one range per topic partition and batch (do not split ranges with {@code
 * streaming.kafka.maxRecordsPerTask}), batches run one at a time ({@code streaming.concurrentJobs=1},
 * the default), no other commits of the ranges to the group (no {@code commitAsync} of them), one
 * exactly-once sink per group (a second sink of the same stream commits to its own group with
 * {@link #writeWithOffsets}), and when a batch is read from an offset inside its range, no
 * persisted dataset between the batch and the output. A dataset that does not line up with the
 * input ranges (shuffles, unions, windows, coalesce) is refused, naming the step: write it at
 * least once. Transactions time out after {@code transaction.timeout.ms} (60 s by default; set it
 * with {@link Builder#property}) and a task writes its partition in one transaction. Exactly-once
 * producers retry after {@code retry.backoff.ms} = 10 ms unless set (Kafka's default, 100 ms, delays
 * a transaction that begins while the previous one of its id is still being completed).
 *
 * <p>Producers are kept from one batch to the next (one per input partition when exactly once,
 * one shared at least once) in a pool owned by the dataset context of the batches ({@code
 * RddContext.resource}): made on first use, closed when the context stops (a streaming context's
 * {@code stop()}), a transaction still open then aborted. The local engine runs tasks in the
 * context's JVM, so the driver's planning and the tasks share one pool; an engine running tasks
 * on other machines gives each executor its own pool (a task there finds a producer other than
 * the one planned with, and reads the committed offset again before writing). The sink is
 * serializable: it is part of the output operation kept in checkpoints.
 *
 * @param <T> the elements of the datasets written
 */
public final class KafkaSink<T> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);

  /** What a write promises when a batch runs again. */
  public enum Guarantee { AT_LEAST_ONCE, EXACTLY_ONCE }

  private final Map<String, Object> config;
  private final Function<T, ProducerRecord<?, ?>> toRecord;
  private final String transactionalIdPrefix;
  private final String description;
  /** The pools of the contexts written with from this JVM (not serialized: a restored sink starts afresh). */
  private transient Set<ProducerPool> pools;

  private KafkaSink(Map<String, Object> config, Function<T, ProducerRecord<?, ?>> toRecord,
      String transactionalIdPrefix, String description) {
    this.config = config;
    this.toRecord = toRecord;
    this.transactionalIdPrefix = transactionalIdPrefix;
    this.description = description;
  }

  /** A builder of sinks with keys {@code K} and values {@code V}. */
  public static <K, V> Builder<K, V> builder() {
    KafkaClients.require();
    return new Builder<>();
  }

  public Guarantee guarantee() {
    return transactionalIdPrefix == null ? Guarantee.AT_LEAST_ONCE : Guarantee.EXACTLY_ONCE;
  }

  /** The transactional id prefix (exactly once), else null. */
  public String transactionalIdPrefix() {
    return transactionalIdPrefix;
  }

  /** The transactional id of the producer writing what input partition {@code input} gave. */
  public String transactionalId(TopicPartition input) {
    return transactionalIdPrefix + "-" + input.topic() + "-" + input.partition();
  }

  // ---------------------------------------------------------------- writing

  /** Writes every batch of {@code stream}: {@code stream.foreachRDD((rdd, time) -> write(rdd, time))}. */
  public void writeStream(DStreamLike<? extends T, ?, ?> stream) {
    Objects.requireNonNull(stream, "stream");
    attach(stream);
  }

  private <U extends T, R extends Rdd<U>> void attach(DStreamLike<U, R, ?> stream) {
    stream.foreachRDD((rdd, time) -> write(rdd, time));
  }

  /**
   * Writes {@code rdd}, the output of batch {@code time}. Exactly once, {@code rdd} must be
   * computed partition by partition from a Kafka batch, whose ranges are committed to the group of
   * its stream (of {@code createRdd}'s {@code group.id}).
   *
   * @throws IllegalArgumentException exactly once, when {@code rdd} does not line up with the
   *     ranges of a Kafka batch (naming the step), has several ranges of one partition, or has no group
   */
  public void write(Rdd<? extends T> rdd, Time time) {
    Objects.requireNonNull(rdd, "rdd");
    Objects.requireNonNull(time, "time");
    if (transactionalIdPrefix == null) {
      writeAtLeastOnce(rdd, time);
      return;
    }
    OutputLineage lineage = OutputLineage.of(rdd, who());
    String group = lineage.kafka().groupId();
    if (group == null) {
      throw new IllegalArgumentException(who() + " commits the input offsets to a consumer group, and the Kafka "
          + "dataset has none: give createRdd a group.id, or use writeWithOffsets(rdd, ranges, groupId, time)");
    }
    writeExactlyOnce(rdd, lineage, group, time);
  }

  /**
   * Writes {@code rdd} exactly once, committing {@code inputRanges} (those of the Kafka batch
   * {@code rdd} was computed from, partition {@code i} from range {@code i}) to {@code groupId}:
   * for a second exactly-once sink of a stream, which needs a group of its own.
   *
   * @throws IllegalStateException when this sink is at least once (commit with the stream's
   *     {@code commitAsync} after the write instead)
   * @throws IllegalArgumentException when {@code rdd} does not line up with {@code inputRanges}
   */
  public void writeWithOffsets(Rdd<? extends T> rdd, OffsetRange[] inputRanges, String groupId, Time time) {
    Objects.requireNonNull(rdd, "rdd");
    Objects.requireNonNull(inputRanges, "inputRanges");
    Objects.requireNonNull(time, "time");
    if (groupId == null || groupId.isBlank()) {
      throw new IllegalArgumentException("writeWithOffsets needs the consumer group to commit the input offsets to");
    }
    if (transactionalIdPrefix == null) {
      throw new IllegalStateException("writeWithOffsets commits the offsets in the sink's transactions: build the "
          + "sink with exactlyOnce(prefix). At least once, write(rdd, time) then stream.commitAsync(ranges)");
    }
    OutputLineage lineage = OutputLineage.of(rdd, who());
    if (!Arrays.equals(inputRanges, lineage.kafka().offsetRanges())) {
      throw new IllegalArgumentException(who() + ": the offset ranges given, " + Arrays.toString(inputRanges)
          + ", are not those the output was computed from, " + lineage.kafka().ranges());
    }
    writeExactlyOnce(rdd, lineage, groupId, time);
  }

  private String who() {
    return "KafkaSink " + description + " (exactly once, transactional id prefix '" + transactionalIdPrefix + "')";
  }

  private void writeAtLeastOnce(Rdd<? extends T> rdd, Time time) {
    remember(ProducerPool.of(rdd.context()));
    Map<String, Object> config = this.config;
    Function<T, ProducerRecord<?, ?>> toRecord = this.toRecord;
    String description = this.description;
    narrow(rdd).foreachPartition(records -> {
      KafkaProducer<Object, Object> producer = ProducerPool.inTask().producer(config);
      AtomicReference<Exception> failure = new AtomicReference<>();
      Callback callback = (metadata, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
      };
      long sent = 0;
      while (records.hasNext() && failure.get() == null) {
        producer.send(record(toRecord, records.next()), callback);
        sent++;
      }
      producer.flush();
      if (failure.get() != null) {
        throw new IllegalStateException("KafkaSink " + description + " could not write batch " + time + " (partition "
            + partitionId() + ")", failure.get());
      }
      LOG.debug("KafkaSink {} batch {} partition {}: {} records", description, time, partitionId(), sent);
    });
  }

  private void writeExactlyOnce(Rdd<? extends T> rdd, OutputLineage lineage, String group, Time time) {
    List<OffsetRange> ranges = lineage.kafka().ranges();
    Set<TopicPartition> seen = new HashSet<>();
    for (OffsetRange r : ranges) {
      if (!seen.add(r.topicPartition())) {
        throw new IllegalArgumentException(who() + " commits one offset per input partition and batch, and this batch "
            + "reads " + r.topicPartition() + " in several ranges (" + ranges + "): set "
            + "streaming.kafka.maxRecordsPerTask to 0 (never split) or above the records of a batch");
      }
    }
    ProducerPool pool = ProducerPool.of(rdd.context());
    remember(pool);
    pool.claimGroup(group, transactionalIdPrefix);
    TransactionPlan plan = plan(pool, lineage, group, time);
    List<TransactionPlan.Task> resumed = plan.resumed();
    if (lineage.persisted() && !resumed.isEmpty()) {
      throw new IllegalStateException(who() + " must read ranges "
          + resumed.stream().map(t -> t.range() + " from " + t.startAt()).toList() + " from where an earlier run's "
          + "output ended, and a dataset between the Kafka batch and the output is persisted (cache/persist/checkpoint), "
          + "so its partitions would not be read again: do not persist the datasets written exactly once");
    }
    Map<String, Object> config = this.config;
    Function<T, ProducerRecord<?, ?>> toRecord = this.toRecord;
    String description = this.description;
    Rdd<T> output = narrow(rdd);
    TransactionPlan.applyTo(rdd.context(), plan.localProperties(lineage.persisted()),
        () -> output.foreachPartition(records -> writeTransaction(plan.tasks().get(partitionId()), plan, records,
            config, toRecord, description, time)));
  }

  /**
   * The plan of this write: fences older producers of every id first (aborting their open
   * transactions), then reads where each range's output stands, unless this context's producer
   * committed up to the range's start.
   */
  private TransactionPlan plan(ProducerPool pool, OutputLineage lineage, String group, Time time) {
    List<OffsetRange> ranges = lineage.kafka().ranges();
    TransactionPlan.Task[] plans = new TransactionPlan.Task[ranges.size()];
    List<TopicPartition> unknown = new ArrayList<>();
    long[] known = new long[ranges.size()];
    ProducerPool.Transactional[] producers = new ProducerPool.Transactional[ranges.size()];
    for (int i = 0; i < ranges.size(); i++) {
      OffsetRange r = ranges.get(i);
      known[i] = -1;
      if (r.count() == 0) {
        continue;
      }
      ProducerPool.Transactional t = pool.borrow(config, transactionalId(r.topicPartition()));
      producers[i] = t;
      known[i] = t.lastCommitted();
      pool.release(t);
      if (known[i] != r.fromOffset()) {
        unknown.add(r.topicPartition());
      }
    }
    Map<TopicPartition, Long> committed = unknown.isEmpty() ? Map.of() : committed(pool, group, unknown);
    List<String> skipped = new ArrayList<>();
    List<String> trimmed = new ArrayList<>();
    List<String> gaps = new ArrayList<>();
    for (int i = 0; i < ranges.size(); i++) {
      OffsetRange r = ranges.get(i);
      String id = transactionalId(r.topicPartition());
      if (r.count() == 0) {
        plans[i] = TransactionPlan.Task.skipped(r, id);
        continue;
      }
      Long done = known[i] == r.fromOffset() ? Long.valueOf(known[i]) : committed.get(r.topicPartition());
      if (done != null) {
        producers[i].lastCommitted(done); // it fenced every older producer of its id: nothing else commits there
      }
      long serial = producers[i].serial();
      if (done != null && done >= r.untilOffset()) {
        plans[i] = TransactionPlan.Task.skipped(r, id);
        skipped.add(r + " (committed " + done + ")");
      } else if (done != null && done > r.fromOffset()) {
        plans[i] = new TransactionPlan.Task(r, false, done, done, id, serial);
        trimmed.add(r + " from " + done);
      } else {
        plans[i] = new TransactionPlan.Task(r, false, r.fromOffset(), done == null ? -1 : done, id, serial);
        if (done != null && done < r.fromOffset()) {
          gaps.add(r.topicPartition() + " [" + done + ", " + r.fromOffset() + ")");
        }
      }
    }
    if (!gaps.isEmpty()) {
      LOG.warn("KafkaSink {} batch {}: input offsets {} were never written by this sink (group '{}' holds their start): "
          + "a write of an earlier batch failed, or the stream skipped them (auto.offset.reset, starting offsets). "
          + "They are not written now; to write them, stop the application before another batch and start it "
          + "without its checkpoint: the stream then starts from the group's offsets", description, time, gaps, group);
    }
    if (!skipped.isEmpty()) {
      LOG.info("KafkaSink {} batch {}: already written by an earlier run, skipped: {}", description, time, skipped);
    }
    if (!trimmed.isEmpty()) {
      LOG.info("KafkaSink {} batch {}: partly written by an earlier run, the rest is written: {}", description, time,
          trimmed);
    }
    return new TransactionPlan(group, "tributary KafkaSink " + transactionalIdPrefix + " batch " + time.milliseconds(),
        Arrays.asList(plans));
  }

  /**
   * The task of one input range: writes its records (those the reader started at {@code
   * task.startAt()} gives) and commits the range's end to the group, in one transaction.
   */
  private static <T> void writeTransaction(TransactionPlan.Task task, TransactionPlan plan, java.util.Iterator<T> records,
      Map<String, Object> config, Function<T, ProducerRecord<?, ?>> toRecord, String description, Time time) {
    if (task.skip()) {
      return;
    }
    OffsetRange range = task.range();
    String group = plan.group();
    String id = task.transactionalId();
    ProducerPool pool = ProducerPool.inTask();
    ProducerPool.Transactional t = pool.borrow(config, id);
    if (t.serial() != task.serial()) { // made again since the plan (a failed attempt closed it): check again
      long now;
      try {
        now = pool.committed(config, group, Set.of(range.topicPartition()), Duration.ofMinutes(2))
            .getOrDefault(range.topicPartition(), -1L);
      } catch (Throwable e) {
        pool.release(t); // else every later attempt would find its id "in use by another task"
        throw e;
      }
      if (now >= range.untilOffset()) {
        t.lastCommitted(now);
        pool.release(t);
        LOG.info("KafkaSink {} batch {}: {} was committed by an earlier attempt, skipped", description, time, range);
        return;
      }
      if (now != task.committed()) {
        pool.release(t);
        throw new IllegalStateException("KafkaSink " + description + ": the committed offset of "
            + range.topicPartition() + " in group '" + group + "' moved from " + task.committed() + " to " + now
            + " while batch " + time + " ran; the batch fails rather than write twice");
      }
    }
    long sent = 0;
    try {
      KafkaProducer<Object, Object> producer = t.producer();
      producer.beginTransaction();
      AtomicReference<Exception> failure = new AtomicReference<>();
      Callback callback = (m, e) -> {
        if (e != null) {
          failure.compareAndSet(null, e);
        }
      };
      while (records.hasNext() && failure.get() == null) {
        producer.send(record(toRecord, records.next()), callback);
        sent++;
      }
      if (failure.get() != null) {
        throw failure.get();
      }
      producer.sendOffsetsToTransaction(
          Map.of(range.topicPartition(), new OffsetAndMetadata(range.untilOffset(), plan.metadata())),
          new ConsumerGroupMetadata(group));
      producer.commitTransaction();
      t.lastCommitted(range.untilOffset());
    } catch (Exception | Error e) { // an Error too: the producer must not stay lent with a transaction open
      abortOrDiscard(pool, t, e);
      throw new IllegalStateException("KafkaSink " + description + " could not write batch " + time + " for input "
          + range + " in a transaction (" + id + "); it was aborted", e);
    }
    pool.release(t);
    LOG.debug("KafkaSink {} batch {} input {} from {}: {} records committed with offset {}", description, time, range,
        task.startAt(), sent, range.untilOffset());
  }

  private static void abortOrDiscard(ProducerPool pool, ProducerPool.Transactional t, Throwable cause) {
    try {
      t.producer().abortTransaction();
      pool.release(t);
    } catch (RuntimeException abortFailed) { // fenced, or a fatal error: the producer cannot go on
      cause.addSuppressed(abortFailed);
      pool.discard(t);
    }
  }

  /** The committed offsets of {@code partitions} in {@code group}, once no transactional commit of them is pending. */
  private Map<TopicPartition, Long> committed(ProducerPool pool, String group, List<TopicPartition> partitions) {
    try {
      return pool.committed(config, group, new HashSet<>(partitions), Duration.ofMinutes(2));
    } catch (RuntimeException e) {
      throw new IllegalStateException(who() + " cannot read the committed offsets of group '" + group + "'", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> Rdd<T> narrow(Rdd<? extends T> rdd) {
    return (Rdd<T>) rdd;
  }

  @SuppressWarnings("unchecked")
  private static <T> ProducerRecord<Object, Object> record(Function<T, ProducerRecord<?, ?>> toRecord, T element)
      throws Exception {
    ProducerRecord<?, ?> record = toRecord.call(element);
    if (record == null) {
      throw new IllegalArgumentException("The record function of a KafkaSink returned null for " + element);
    }
    return (ProducerRecord<Object, Object>) record;
  }

  private static int partitionId() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("KafkaSink writes in tasks only");
    }
    return task.partitionId();
  }

  /** Remembers the pool of a context this sink wrote with, for {@link #close()}. */
  private void remember(ProducerPool pool) {
    synchronized (this) {
      if (pools == null) {
        pools = Collections.newSetFromMap(new java.util.WeakHashMap<>());
      }
      pools.add(pool);
    }
  }

  /**
   * Closes the producers of this sink in the contexts it wrote with (the next write makes new
   * ones). Not needed at the end: a context closes its producers when it stops.
   */
  public void close() {
    List<ProducerPool> used;
    synchronized (this) {
      used = pools == null ? List.of() : new ArrayList<>(pools);
    }
    for (ProducerPool pool : used) {
      pool.close(config, transactionalIdPrefix);
    }
  }

  @Override
  public String toString() {
    return "KafkaSink(" + description + ", " + guarantee()
        + (transactionalIdPrefix == null ? "" : ", prefix " + transactionalIdPrefix) + ")";
  }

  // ---------------------------------------------------------------- builder

  /**
   * Configures a sink; errors in the configuration fail when the sink is built, naming the setting.
   *
   * @param <K> the keys of the records written
   * @param <V> their values
   */
  public static final class Builder<K, V> {
    private final Map<String, Object> config = new HashMap<>();
    private String prefix;
    private boolean exactlyOnce;

    private Builder() {}

    /** The brokers, e.g. {@code "host1:9092,host2:9092"} (required). */
    public Builder<K, V> bootstrapServers(String servers) {
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
      return this;
    }

    /** The key serializer (required, except for {@link #forValues}, whose keys are null). */
    public Builder<K, V> keySerializer(Class<? extends Serializer<? super K>> serializer) {
      config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, Objects.requireNonNull(serializer, "keySerializer"));
      return this;
    }

    /** The value serializer (required). */
    public Builder<K, V> valueSerializer(Class<? extends Serializer<? super V>> serializer) {
      config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, Objects.requireNonNull(serializer, "valueSerializer"));
      return this;
    }

    /**
     * Any other producer setting ({@code linger.ms}, {@code compression.type}, {@code
     * transaction.timeout.ms}, security settings, ...): a string, number, boolean or class, since
     * the sink is serialized with its output operation.
     */
    public Builder<K, V> property(String key, Object value) {
      Objects.requireNonNull(key, "key");
      config.put(key, value);
      return this;
    }

    /** {@link #property} for every entry of {@code properties}. */
    public Builder<K, V> properties(Map<String, ?> properties) {
      properties.forEach(this::property);
      return this;
    }

    /** Writes at least once (the default). */
    public Builder<K, V> atLeastOnce() {
      exactlyOnce = false;
      prefix = null;
      return this;
    }

    /**
     * Writes exactly once, in Kafka transactions with ids {@code <transactionalIdPrefix>-<input
     * topic>-<input partition>}. The prefix names the application: keep it across restarts, and
     * give other applications (and other exactly-once sinks) other prefixes.
     */
    public Builder<K, V> exactlyOnce(String transactionalIdPrefix) {
      exactlyOnce = true;
      prefix = transactionalIdPrefix;
      return this;
    }

    /** A sink writing each element as the value of a record of {@code topic}, without key. */
    public KafkaSink<V> forValues(String topic) {
      requireTopic(topic);
      config.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
      return build((Function<V, ProducerRecord<?, ?>>) v -> new ProducerRecord<>(topic, v), "to topic " + topic);
    }

    /** A sink writing each (key, value) pair as a record of {@code topic}. */
    public KafkaSink<Tuple2<K, V>> forPairs(String topic) {
      requireTopic(topic);
      return build((Function<Tuple2<K, V>, ProducerRecord<?, ?>>) kv -> new ProducerRecord<>(topic, kv._1(), kv._2()),
          "to topic " + topic);
    }

    /**
     * A sink writing the record {@code toRecord} makes of each element (any topic, partition,
     * key, value, timestamp and headers).
     */
    public <T> KafkaSink<T> forRecords(Function<T, ProducerRecord<K, V>> toRecord) {
      Objects.requireNonNull(toRecord, "toRecord");
      return build(toRecord::call, "of records");
    }

    private static void requireTopic(String topic) {
      if (topic == null || topic.isBlank()) {
        throw new IllegalArgumentException("KafkaSink needs a topic name, got '" + topic + "'");
      }
    }

    private <T> KafkaSink<T> build(Function<T, ProducerRecord<?, ?>> toRecord, String description) {
      Map<String, Object> checked = new HashMap<>(config);
      requireKey(checked, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "bootstrapServers(\"host:9092\")");
      requireKey(checked, ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "keySerializer(StringSerializer.class)");
      requireKey(checked, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "valueSerializer(StringSerializer.class)");
      checked.forEach((key, value) -> {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Class<?>
            || value instanceof List<?>)) {
          throw new IllegalArgumentException("KafkaSink setting '" + key + "' has a value of type "
              + (value == null ? "null" : value.getClass().getName()) + ": use a string, number, boolean or class "
              + "(the sink is serialized with its output operation; tasks make their own producers)");
        }
      });
      if (checked.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
        throw new IllegalArgumentException("KafkaSink setting 'transactional.id' is made by the sink: "
            + "use exactlyOnce(prefix), the ids are <prefix>-<input topic>-<input partition>");
      }
      checked.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
      if (exactlyOnce) {
        if (prefix == null || prefix.isBlank()) {
          throw new IllegalArgumentException("exactlyOnce needs a transactional id prefix naming the application, "
              + "e.g. exactlyOnce(\"orders-enricher\"), got '" + prefix + "'");
        }
        Object idempotence = checked.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !Boolean.parseBoolean(idempotence.toString())) {
          throw new IllegalArgumentException("KafkaSink setting 'enable.idempotence' must stay true for exactly once "
              + "(transactions need the idempotent producer)");
        }
        String acks = checked.get(ProducerConfig.ACKS_CONFIG).toString();
        if (!acks.equals("all") && !acks.equals("-1")) {
          throw new IllegalArgumentException("KafkaSink setting 'acks' must be all for exactly once, got '" + acks + "'");
        }
        // a transaction that follows the previous one at once (a batch right after the other) waits
        // for the coordinator to complete the previous one: retry soon (Kafka's default is 100 ms)
        checked.putIfAbsent(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 10);
      }
      Map<String, Object> validate = new HashMap<>(checked);
      if (exactlyOnce) {
        validate.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "-check");
      }
      try {
        new ProducerConfig(validate);
      } catch (ConfigException e) {
        throw new IllegalArgumentException("Bad KafkaSink setting: " + e.getMessage(), e);
      }
      return new KafkaSink<>(Collections.unmodifiableMap(checked), toRecord, exactlyOnce ? prefix : null, description);
    }

    private static void requireKey(Map<String, Object> config, String key, String how) {
      Object value = config.get(key);
      if (value == null || value.toString().isBlank()) {
        throw new IllegalArgumentException("KafkaSink setting '" + key + "' is missing: set it with " + how);
      }
    }
  }
}
