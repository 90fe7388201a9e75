package io.tributary.kafka;

import static io.tributary.kafka.EmbeddedKafka.bootstrapServers;
import static io.tributary.kafka.EmbeddedKafka.consumerParams;
import static io.tributary.kafka.EmbeddedKafka.createTopic;
import static io.tributary.kafka.EmbeddedKafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Kafka sink against a real broker: at least once, and exactly once with the input offsets in the transaction. */
@ExtendWith(EmbeddedKafka.class)
class KafkaSinkTest {
  private final List<KafkaSink<?>> sinks = new ArrayList<>();
  private StreamingTestDriver driver;
  private RddContext context;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    if (context != null) {
      context.close();
    }
    sinks.forEach(KafkaSink::close);
  }

  private <T> KafkaSink<T> track(KafkaSink<T> sink) {
    sinks.add(sink);
    return sink;
  }

  private KafkaSink<String> exactlyOnce(String prefix, String topic) {
    return track(KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .valueSerializer(StringSerializer.class).exactlyOnce(prefix).forValues(topic));
  }

  private RddContext context() {
    if (context == null) {
      context = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("sink")
          .set("streaming.kafka.consumer.poll.ms", "10000"));
    }
    return context;
  }

  /** The values of {@code ranges}, read with group {@code group} (where an exactly-once sink commits them). */
  private Rdd<String> values(String group, OffsetRange... ranges) {
    Map<String, Object> params = consumerParams(group);
    Rdd<ConsumerRecord<String, String>> rdd =
        KafkaUtils.createRdd(context(), params, ranges, LocationStrategies.preferConsistent());
    return rdd.map(ConsumerRecord::value);
  }

  /** Every record of {@code topic}, as {@code key=value} (or the value when without key). */
  static List<String> readAll(String topic, String isolation) {
    return readAll(bootstrapServers(), topic, isolation);
  }

  /** {@link #readAll(String, String)} from the broker at {@code bootstrap}. */
  static List<String> readAll(String bootstrap, String topic, String isolation) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions); // the last stable offsets when read_committed
      long deadline = System.currentTimeMillis() + 30_000;
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("Could not read " + topic + " up to " + end);
        }
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.key() == null ? r.value() : r.key() + "=" + r.value());
        }
      }
    }
    return values;
  }

  /**
   * Every record of {@code topic} a {@code read_committed} reader sees once no transaction on it is
   * open (waiting at most 30 s): {@code commitTransaction()} returns before the commit markers are
   * written, so right after the writers ended the last stable offset may still lag behind.
   */
  static List<String> readCommitted(String topic) {
    return readCommitted(bootstrapServers(), topic);
  }

  /** {@link #readCommitted(String)} from the broker at {@code bootstrap}. */
  static List<String> readCommitted(String bootstrap, String topic) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
          .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        var stable = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
            .get(30, TimeUnit.SECONDS);
        var end = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all()
            .get(30, TimeUnit.SECONDS);
        if (latest.keySet().stream().allMatch(tp -> stable.get(tp).offset() == end.get(tp).offset())) {
          break;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("A transaction on " + topic + " is still open after 30 s: last stable "
              + "offsets " + stable + ", ends " + end);
        }
        Thread.sleep(10);
      }
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read the offsets of " + topic, e);
    }
    return readAll(bootstrap, topic, "read_committed");
  }

  private static List<String> range(String prefix, int from, int until) {
    return IntStream.range(from, until).mapToObj(i -> prefix + "-" + i).collect(Collectors.toList());
  }

  @Test
  void atLeastOnceWritesEveryRecordOfEveryPartition() {
    createTopic("alo-out", 3);
    KafkaSink<Tuple2<String, String>> sink = track(KafkaSink.<String, String>builder()
        .bootstrapServers(bootstrapServers()).keySerializer(StringSerializer.class)
        .valueSerializer(StringSerializer.class).property("linger.ms", 5).forPairs("alo-out"));
    assertThat(sink.guarantee()).isEqualTo(KafkaSink.Guarantee.AT_LEAST_ONCE);
    List<Tuple2<String, String>> pairs = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      pairs.add(new Tuple2<>("k" + (i % 7), "v" + i));
    }
    sink.write(context().parallelize(pairs, 4), new Time(1000));

    List<String> expected = pairs.stream().map(t -> t._1() + "=" + t._2()).toList();
    assertThat(readAll("alo-out", "read_uncommitted")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void exactlyOnceStreamCommitsEachBatchsOutputAndInputOffsetsInOneTransaction() {
    createTopic("eos-in", 2);
    createTopic("eos-out", 2);
    produce("eos-in", 0, "a", 50);
    produce("eos-in", 1, "b", 50);
    List<String> failures = new CopyOnWriteArrayList<>();
    driver = new StreamingTestDriver(new StreamingConf().setMaster("local[2]").setAppName("eos")
        .set("streaming.kafka.consumer.poll.ms", "10000"), Durations.milliseconds(1000));
    driver.context().addStreamingListener(new StreamingListener() {
      @Override
      public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
        e.outputOperationInfo().failureReason().ifPresent(failures::add);
      }
    });
    DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(driver.context(),
        LocationStrategies.preferConsistent(), ConsumerStrategies.subscribe(List.of("eos-in"), consumerParams("g-eos")));
    KafkaSink<String> sink = exactlyOnce("eos-test", "eos-out");
    sink.writeStream(stream.map(r -> r.value().toUpperCase()));
    driver.start();
    driver.advance();
    produce("eos-in", 1, "c", 20);
    driver.advance();
    driver.advance(); // nothing new: no transaction

    assertThat(failures).isEmpty();
    List<String> expected = new ArrayList<>();
    for (List<String> part : List.of(range("A", 0, 50), range("B", 0, 50), range("C", 0, 20))) {
      expected.addAll(part);
    }
    assertThat(readCommitted("eos-out")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(readAll("eos-out", "read_uncommitted")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(EmbeddedKafka.committed("g-eos"))
        .isEqualTo(Map.of(new TopicPartition("eos-in", 0), 50L, new TopicPartition("eos-in", 1), 70L));
  }

  @Test
  void exactlyOnceSkipsRangesWrittenAlreadyAndWritesOnlyTheRestOfPartlyWrittenOnes() {
    createTopic("rerun-in", 2);
    createTopic("rerun-out", 1);
    produce("rerun-in", 0, "a", 30);
    produce("rerun-in", 1, "b", 30);
    KafkaSink<String> sink = exactlyOnce("rerun", "rerun-out");
    sink.write(values("g-rerun", OffsetRange.create("rerun-in", 0, 0, 10), OffsetRange.create("rerun-in", 1, 0, 10)),
        new Time(1000));
    // the same batch generated again after a crash with a later end for partition 0
    sink.write(values("g-rerun", OffsetRange.create("rerun-in", 0, 0, 20), OffsetRange.create("rerun-in", 1, 0, 10)),
        new Time(1000));
    sink.close(); // a new run: new producers, which know nothing of what was committed
    sink.write(values("g-rerun", OffsetRange.create("rerun-in", 0, 0, 20), OffsetRange.create("rerun-in", 1, 0, 10)),
        new Time(1000));
    sink.write(values("g-rerun", OffsetRange.create("rerun-in", 0, 20, 30), OffsetRange.create("rerun-in", 1, 10, 15)),
        new Time(2000));

    List<String> expected = new ArrayList<>(range("a", 0, 30));
    expected.addAll(range("b", 0, 15));
    assertThat(readCommitted("rerun-out")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(EmbeddedKafka.committed("g-rerun"))
        .isEqualTo(Map.of(new TopicPartition("rerun-in", 0), 30L, new TopicPartition("rerun-in", 1), 15L));
  }

  @Test
  void aRestartedSinkFencesTheProducerOfTheKilledRunAndAbortsItsOpenTransaction() {
    createTopic("zombie-in", 1);
    createTopic("zombie-out", 1);
    produce("zombie-in", 0, "z", 10);
    KafkaSink<String> sink = exactlyOnce("zombie-app", "zombie-out");
    TopicPartition input = new TopicPartition("zombie-in", 0);
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, sink.transactionalId(input));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> zombie = new KafkaProducer<>(props)) {
      // the killed run: half of its batch sent and its offsets added, never committed
      zombie.initTransactions();
      zombie.beginTransaction();
      zombie.send(new ProducerRecord<>("zombie-out", "ghost"));
      zombie.sendOffsetsToTransaction(Map.of(input, new OffsetAndMetadata(10)), new ConsumerGroupMetadata("g-zombie"));
      zombie.flush();

      sink.write(values("g-zombie", OffsetRange.create("zombie-in", 0, 0, 10)), new Time(1000));

      assertThatThrownBy(zombie::commitTransaction).isInstanceOf(KafkaException.class);
    }
    assertThat(readCommitted("zombie-out")).containsExactlyInAnyOrderElementsOf(range("z", 0, 10));
    assertThat(readAll("zombie-out", "read_uncommitted")).contains("ghost");
    assertThat(EmbeddedKafka.committed("g-zombie")).isEqualTo(Map.of(input, 10L));
  }

  @Test
  void aFailedTaskAbortsItsTransactionAndItsRetryWritesOnce() {
    createTopic("retry-in", 2);
    createTopic("retry-out", 1);
    produce("retry-in", 0, "r", 10);
    produce("retry-in", 1, "s", 10);
    String servers = bootstrapServers();
    KafkaSink<String> sink = track(KafkaSink.<String, String>builder().bootstrapServers(servers)
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class).exactlyOnce("retry-app")
        .forRecords((String v) -> {
          TaskContext task = TaskContext.get();
          if (task.attemptNumber() == 0 && v.equals("r-5")) {
            throw new IllegalStateException("boom"); // after r-0 ... r-4 were sent: the transaction is aborted
          }
          if (task.attemptNumber() == 0 && v.equals("s-3")) {
            // a newer producer with the same id fences this task's producer: the retry gets a new one
            Map<String, Object> props = new HashMap<>();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "retry-app-retry-in-1");
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
            try (KafkaProducer<String, String> newer = new KafkaProducer<>(props)) {
              newer.initTransactions();
            }
          }
          return new ProducerRecord<>("retry-out", v);
        }));
    try (RddContext retrying = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("retry")
        .set("task.maxFailures", "2"))) {
      OffsetRange[] ranges = {OffsetRange.create("retry-in", 0, 0, 10), OffsetRange.create("retry-in", 1, 0, 10)};
      Rdd<String> values = KafkaUtils.<String, String>createRdd(retrying, consumerParams("g-retry"), ranges,
          LocationStrategies.preferConsistent()).map(ConsumerRecord::value);
      sink.write(values, new Time(1000));
    }
    List<String> expected = new ArrayList<>(range("r", 0, 10));
    expected.addAll(range("s", 0, 10));
    assertThat(readCommitted("retry-out")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(EmbeddedKafka.committed("g-retry"))
        .isEqualTo(Map.of(new TopicPartition("retry-in", 0), 10L, new TopicPartition("retry-in", 1), 10L));
  }

  @Test
  void aTaskThatThrowsAnErrorGivesItsProducerBackSoTheRetryWritesOnce() {
    createTopic("error-in", 1);
    createTopic("error-out", 1);
    produce("error-in", 0, "e", 10);
    KafkaSink<String> sink = track(KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class).exactlyOnce("error-app")
        .forRecords((String v) -> {
          if (v.equals("e-5") && THROWN_ONCE.add("error-app")) {
            throw new ExceptionInInitializerError("a class of the record function failed to load");
          }
          return new ProducerRecord<>("error-out", v);
        }));
    OffsetRange[] ranges = {OffsetRange.create("error-in", 0, 0, 10)};
    assertThatThrownBy(() -> sink.write(values("g-error", ranges), new Time(1000)))
        .hasRootCauseInstanceOf(ExceptionInInitializerError.class);
    sink.write(values("g-error", ranges), new Time(1000)); // the batch's retry: the transactional id is free again

    assertThat(readCommitted("error-out")).containsExactlyInAnyOrderElementsOf(range("e", 0, 10));
    assertThat(EmbeddedKafka.committed("g-error")).isEqualTo(Map.of(new TopicPartition("error-in", 0), 10L));
  }

  /** The values the record function of the resuming sink was given (it runs in tasks). */
  static final List<String> WRITTEN = new CopyOnWriteArrayList<>();
  static final CountDownLatch SINK_WRITING = new CountDownLatch(1);
  static final CountDownLatch OTHER_JOB_DONE = new CountDownLatch(1);

  @Test
  void aBatchResumedByTheSinkStaysWholeForAnotherOutputOfTheSameBatch() {
    createTopic("whole-in", 1);
    createTopic("whole-out", 1);
    produce("whole-in", 0, "w", 20);
    KafkaSink<String> sink = exactlyOnce("whole", "whole-out");
    // an earlier run wrote offsets [0, 8) of the batch and crashed; the batch was generated again with a later end
    sink.write(values("g-whole", OffsetRange.create("whole-in", 0, 0, 8)), new Time(1000));
    context.close();
    context = null;

    driver = new StreamingTestDriver(new StreamingConf().setMaster("local[2]").setAppName("whole")
        .set("streaming.kafka.consumer.poll.ms", "10000"), Durations.milliseconds(1000));
    TopicPartition input = new TopicPartition("whole-in", 0);
    DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(driver.context(),
        LocationStrategies.preferConsistent(),
        ConsumerStrategies.assign(List.of(input), consumerParams("g-whole"), Map.of(input, 0L)));
    var values = stream.map(ConsumerRecord::value);
    List<Long> countedBefore = new CopyOnWriteArrayList<>();
    List<List<String>> seenAfter = new CopyOnWriteArrayList<>();
    values.foreachRDD(rdd -> {
      countedBefore.add(rdd.count());
    });
    sink.writeStream(values);
    values.foreachRDD(rdd -> {
      seenAfter.add(rdd.collect());
    });
    driver.start();
    driver.advance();

    assertThat(driver.failedBatches()).isEmpty();
    assertThat(countedBefore).containsExactly(20L);
    assertThat(seenAfter).containsExactly(range("w", 0, 20));
    assertThat(readCommitted("whole-out")).containsExactlyInAnyOrderElementsOf(range("w", 0, 20));
    assertThat(EmbeddedKafka.committed("g-whole")).isEqualTo(Map.of(input, 20L));

    assertThat(KafkaSinkProducerPoolTest.producerThreads("whole-whole-in-0")).hasSize(1);
    driver.close(); // stopping the streaming context closes its dataset context, and so its producers
    driver = null;
    await().atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(KafkaSinkProducerPoolTest.producerThreads("whole-whole-in-0")).isEmpty());
  }

  @Test
  void aJobReadingTheBatchWhileTheSinkResumesItReadsTheWholeRange() throws Exception {
    createTopic("during-in", 1);
    createTopic("during-out", 1);
    produce("during-in", 0, "d", 20);
    exactlyOnce("during", "during-out")
        .write(values("g-during", OffsetRange.create("during-in", 0, 0, 8)), new Time(1000));
    WRITTEN.clear();
    KafkaSink<String> sink = track(KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class).exactlyOnce("during")
        .forRecords((String v) -> {
          WRITTEN.add(v);
          SINK_WRITING.countDown();
          if (!OTHER_JOB_DONE.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other job did not end");
          }
          return new ProducerRecord<>("during-out", v);
        }));
    Rdd<String> batch = values("g-during", OffsetRange.create("during-in", 0, 0, 20));

    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> sink.write(batch, new Time(1000)));
    List<String> readMeanwhile;
    try {
      assertThat(SINK_WRITING.await(60, TimeUnit.SECONDS)).as("the sink's task started writing").isTrue();
      readMeanwhile = batch.collect(); // another output of the batch, while the sink's job resumes it at offset 8
    } finally {
      OTHER_JOB_DONE.countDown();
    }
    writing.get(60, TimeUnit.SECONDS);

    assertThat(readMeanwhile).isEqualTo(range("d", 0, 20));
    assertThat(WRITTEN).as("the sink's task read only what was not written yet").isEqualTo(range("d", 8, 20));
    assertThat(batch.count()).isEqualTo(20);
    assertThat(readCommitted("during-out")).containsExactlyInAnyOrderElementsOf(range("d", 0, 20));
  }

  /** What the record functions of this class threw once already (they run in tasks, so they share this). */
  static final Set<String> THROWN_ONCE = ConcurrentHashMap.newKeySet();

  @Test
  void twoExactlyOnceSinksCannotCommitToTheSameGroup() {
    createTopic("two-in", 1);
    createTopic("two-out", 1);
    produce("two-in", 0, "t", 5);
    exactlyOnce("first", "two-out").write(values("g-two", OffsetRange.create("two-in", 0, 0, 5)), new Time(1000));
    KafkaSink<String> second = exactlyOnce("second", "two-out");
    assertThatThrownBy(() -> second.write(values("g-two", OffsetRange.create("two-in", 0, 0, 5)), new Time(1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Consumer group 'g-two' already receives the input offsets")
        .hasMessageContaining("writeWithOffsets");
    // with its own group it writes the batch (once) too
    OffsetRange[] ranges = {OffsetRange.create("two-in", 0, 0, 5)};
    second.writeWithOffsets(values("g-two", ranges), ranges, "g-two-second", new Time(1000));
    second.writeWithOffsets(values("g-two", ranges), ranges, "g-two-second", new Time(1000));
    List<String> expected = new ArrayList<>(range("t", 0, 5));
    expected.addAll(range("t", 0, 5));
    assertThat(readCommitted("two-out")).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void forRecordsChoosesTopicPartitionAndKey() {
    createTopic("rec-out", 2);
    KafkaSink<Integer> sink = track(KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class)
        .forRecords((Integer i) -> new ProducerRecord<>("rec-out", i % 2, "k" + i, "v" + i)));
    sink.write(context().parallelize(List.of(1, 2, 3, 4), 2), new Time(1000));
    assertThat(readAll("rec-out", "read_uncommitted")).containsExactlyInAnyOrder("k1=v1", "k2=v2", "k3=v3", "k4=v4");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers(),
        "key.deserializer", StringDeserializer.class, "value.deserializer", StringDeserializer.class))) {
      assertThat(c.partitionsFor("rec-out")).extracting(PartitionInfo::partition).containsExactlyInAnyOrder(0, 1);
      TopicPartition p1 = new TopicPartition("rec-out", 1);
      c.assign(List.of(p1));
      c.seekToBeginning(List.of(p1));
      List<String> odd = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 10_000;
      while (odd.size() < 2 && System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(200)).forEach(r -> odd.add(r.value()));
      }
      assertThat(odd).containsExactlyInAnyOrder("v1", "v3");
    }
  }
}
