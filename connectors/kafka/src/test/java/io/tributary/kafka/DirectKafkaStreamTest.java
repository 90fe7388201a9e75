package io.tributary.kafka;

import static io.tributary.kafka.EmbeddedKafka.consumerParams;
import static io.tributary.kafka.EmbeddedKafka.createTopic;
import static io.tributary.kafka.EmbeddedKafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The direct stream against a real broker, batch by batch on a manual clock. */
@ExtendWith(EmbeddedKafka.class)
class DirectKafkaStreamTest {
  private StreamingTestDriver driver;
  private final List<Batch> batches = new CopyOnWriteArrayList<>();
  private final List<String> failures = new CopyOnWriteArrayList<>();

  /** What one batch read: its ranges (in partition order) and its values. */
  record Batch(List<OffsetRange> ranges, List<String> values) {
    long records() {
      return values.size();
    }
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private StreamingTestDriver driver(long batchMillis, String... conf) {
    StreamingConf c = new StreamingConf().setMaster("local[2]").setAppName("kafka-test")
        .set("streaming.kafka.consumer.poll.ms", "10000");
    for (int i = 0; i < conf.length; i += 2) {
      c.set(conf[i], conf[i + 1]);
    }
    driver = new StreamingTestDriver(c, Durations.milliseconds(batchMillis));
    driver.context().addStreamingListener(new StreamingListener() {
      @Override
      public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
        e.outputOperationInfo().failureReason().ifPresent(failures::add);
      }
    });
    return driver;
  }

  private DirectKafkaInputDStream<String, String> stream(ConsumerStrategy<String, String> strategy) {
    DirectKafkaInputDStream<String, String> stream =
        KafkaUtils.createDirectStream(driver.context(), LocationStrategies.preferConsistent(), strategy);
    stream.foreachRDD(rdd -> {
      List<OffsetRange> ranges = List.of(KafkaUtils.offsetRanges(rdd));
      List<String> values = new ArrayList<>(rdd.map(ConsumerRecord::value).collect());
      Collections.sort(values);
      batches.add(new Batch(ranges, values));
    });
    return stream;
  }

  private static List<String> values(String prefix, int from, int until) {
    List<String> values = new ArrayList<>();
    for (int i = from; i < until; i++) {
      values.add(prefix + "-" + i);
    }
    return values;
  }

  @Test
  void subscribeReadsEveryPartitionFromTheEarliestOffsetThenOnlyNewRecords() {
    createTopic("sub", 3);
    for (int p = 0; p < 3; p++) {
      produce("sub", p, "p" + p, 10);
    }
    driver(1000);
    stream(ConsumerStrategies.subscribe(List.of("sub"), consumerParams("g-sub")));
    driver.start();
    driver.advance();
    produce("sub", 1, values("late", 0, 5));
    driver.advance();

    assertThat(batches.get(0).ranges()).containsExactly(
        OffsetRange.create("sub", 0, 0, 10), OffsetRange.create("sub", 1, 0, 10), OffsetRange.create("sub", 2, 0, 10));
    assertThat(batches.get(0).records()).isEqualTo(30);
    assertThat(batches.get(1).ranges()).containsExactly(
        OffsetRange.create("sub", 0, 10, 10), OffsetRange.create("sub", 1, 10, 15), OffsetRange.create("sub", 2, 10, 10));
    assertThat(batches.get(1).values()).containsExactlyElementsOf(values("late", 0, 5));
  }

  @Test
  void subscribePatternPicksUpMatchingTopicsAndPartitionsCreatedLaterFromTheirBeginning() {
    createTopic("pat-a", 1);
    createTopic("other", 1);
    produce("pat-a", 0, "a", 3);
    produce("other", 0, "o", 3);
    driver(1000);
    stream(ConsumerStrategies.subscribePattern(Pattern.compile("pat-.*"), consumerParams("g-pat")));
    driver.start();
    driver.advance();
    createTopic("pat-b", 1);
    produce("pat-b", 0, "b", 4);
    EmbeddedKafka.addPartitions("pat-a", 2);
    produce("pat-a", 1, "a1", 2);
    driver.advance();

    assertThat(batches.get(0).values()).containsExactlyElementsOf(values("a", 0, 3));
    assertThat(batches.get(1).ranges()).containsExactly(OffsetRange.create("pat-a", 0, 3, 3),
        OffsetRange.create("pat-a", 1, 0, 2), OffsetRange.create("pat-b", 0, 0, 4));
  }

  @Test
  void assignReadsOnlyTheAssignedPartitionsFromTheStartingOffsetsGiven() {
    createTopic("asg", 2);
    produce("asg", 0, "x", 10);
    produce("asg", 1, "y", 10);
    driver(1000);
    TopicPartition p1 = new TopicPartition("asg", 1);
    stream(ConsumerStrategies.assign(List.of(p1), consumerParams("g-asg"), Map.of(p1, 7L)));
    driver.start();
    driver.advance();

    assertThat(batches.get(0).ranges()).containsExactly(OffsetRange.create("asg", 1, 7, 10));
    assertThat(batches.get(0).values()).containsExactly("y-7", "y-8", "y-9");
  }

  @Test
  void maxRatePerPartitionBoundsEveryBatchToRateTimesBatchSeconds() {
    createTopic("rate", 2);
    produce("rate", 0, "a", 12);
    produce("rate", 1, "b", 3);
    driver(500, "streaming.kafka.maxRatePerPartition", "10");
    stream(ConsumerStrategies.subscribe(List.of("rate"), consumerParams("g-rate")));
    driver.start();
    driver.advance(3);

    assertThat(batches).extracting(Batch::ranges).containsExactly(
        List.of(OffsetRange.create("rate", 0, 0, 5), OffsetRange.create("rate", 1, 0, 3)),
        List.of(OffsetRange.create("rate", 0, 5, 10), OffsetRange.create("rate", 1, 3, 3)),
        List.of(OffsetRange.create("rate", 0, 10, 12), OffsetRange.create("rate", 1, 3, 3)));
    assertThat(batches).extracting(Batch::records).containsExactly(8L, 5L, 2L);
  }

  @Test
  void backpressureRateIsSharedOverPartitionsInProportionToTheirLag() {
    createTopic("bp", 2);
    produce("bp", 0, "a", 40);
    produce("bp", 1, "b", 20);
    driver(1000);
    DirectKafkaInputDStream<String, String> stream =
        stream(ConsumerStrategies.subscribe(List.of("bp"), consumerParams("g-bp")));
    driver.start();
    stream.updateRateLimit(30);
    driver.advance();
    stream.updateRateLimit(3);
    driver.advance();

    assertThat(batches.get(0).ranges())
        .containsExactly(OffsetRange.create("bp", 0, 0, 20), OffsetRange.create("bp", 1, 0, 10));
    // lags 20 and 10: shares 2 and 1 records/s
    assertThat(batches.get(1).ranges())
        .containsExactly(OffsetRange.create("bp", 0, 20, 22), OffsetRange.create("bp", 1, 10, 11));
  }

  @Test
  void initialRateBoundsTheFirstBatchWhenBackpressureIsOn() {
    createTopic("init", 2);
    produce("init", 0, "a", 20);
    produce("init", 1, "b", 20);
    driver(1000, "streaming.backpressure.enabled", "true", "streaming.backpressure.initialRate", "10");
    stream(ConsumerStrategies.subscribe(List.of("init"), consumerParams("g-init")));
    driver.start();
    driver.advance();

    assertThat(batches.get(0).ranges())
        .containsExactly(OffsetRange.create("init", 0, 0, 5), OffsetRange.create("init", 1, 0, 5));
  }

  @Test
  void withBackpressureOnAndNoInitialRateTheFirstBatchTakesTheStartRate() {
    createTopic("start", 2);
    produce("start", 0, "a", 6000);
    produce("start", 1, "b", 6000);
    driver(10, "streaming.backpressure.enabled", "true");
    stream(ConsumerStrategies.subscribe(List.of("start"), consumerParams("g-start")));
    driver.start();
    driver.advance();

    // RateControl.DERIVED_START_RATE (1,000,000/s) over a 10 ms batch: 10,000 of the 12,000, shared by lag
    assertThat(batches.get(0).ranges())
        .containsExactly(OffsetRange.create("start", 0, 0, 5000), OffsetRange.create("start", 1, 0, 5000));
  }

  @Test
  void afterADowntimeTheBacklogIsReadOverSeveralBatchesBoundedByTheMemoryBoundExactlyOnce() {
    createTopic("backlog", 2);
    produce("backlog", 0, "a", 5);
    produce("backlog", 1, "b", 5);
    // the default bound: one record per 100 bytes of streaming.receiver.maxBufferedBytes, 40 here
    String[] bound = {"streaming.receiver.maxBufferedBytes", "4000"};
    driver(1000, bound);
    DirectKafkaInputDStream<String, String> first =
        stream(ConsumerStrategies.subscribe(List.of("backlog"), consumerParams("g-backlog")));
    first.foreachRDD(rdd -> first.commitAsync(KafkaUtils.offsetRanges(rdd)));
    driver.start();
    driver.advance();
    driver.close(); // commits what the batch read
    assertThat(batches).extracting(Batch::records).containsExactly(10L);

    produce("backlog", 0, values("a", 5, 75)); // the downtime's backlog: 100 records
    produce("backlog", 1, values("b", 5, 35));
    batches.clear();
    driver(1000, bound);
    List<Object> lags = new java.util.concurrent.CopyOnWriteArrayList<>();
    driver.context().addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(io.tributary.streaming.scheduler.StreamingListenerBatchCompleted done) {
        lags.add(done.batchInfo().streamIdToInputInfo().get(0).metadata().get("lag"));
      }
    });
    stream(ConsumerStrategies.subscribe(List.of("backlog"), consumerParams("g-backlog")));
    driver.start();
    driver.advance(4);
    // what each batch left behind per partition, for the web UI (listener events come asynchronously)
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> lags.size() >= 3);
    assertThat(lags.subList(0, 3)).containsExactly(
        Map.of("backlog-0", 42L, "backlog-1", 18L), Map.of("backlog-0", 14L, "backlog-1", 6L),
        Map.of("backlog-0", 0L, "backlog-1", 0L));

    assertThat(batches).extracting(Batch::records).containsExactly(40L, 40L, 20L, 0L);
    assertThat(batches).extracting(Batch::ranges).containsExactly( // 40 a batch, shared by lag
        List.of(OffsetRange.create("backlog", 0, 5, 33), OffsetRange.create("backlog", 1, 5, 17)),
        List.of(OffsetRange.create("backlog", 0, 33, 61), OffsetRange.create("backlog", 1, 17, 29)),
        List.of(OffsetRange.create("backlog", 0, 61, 75), OffsetRange.create("backlog", 1, 29, 35)),
        List.of(OffsetRange.create("backlog", 0, 75, 75), OffsetRange.create("backlog", 1, 35, 35)));
    List<String> read = batches.stream().flatMap(b -> b.values().stream()).toList();
    List<String> backlog = new ArrayList<>(values("a", 5, 75));
    backlog.addAll(values("b", 5, 35));
    assertThat(read).containsExactlyInAnyOrderElementsOf(backlog); // each once, none lost
  }

  @Test
  void maxRecordsPerBatchZeroReadsTheWholeBacklogInOneBatch() {
    createTopic("unbounded", 2);
    produce("unbounded", 0, "a", 70);
    produce("unbounded", 1, "b", 30);
    driver(1000, "streaming.receiver.maxBufferedBytes", "4000", "streaming.direct.maxRecordsPerBatch", "0");
    stream(ConsumerStrategies.subscribe(List.of("unbounded"), consumerParams("g-unbounded")));
    driver.start();
    driver.advance();

    assertThat(batches).extracting(Batch::records).containsExactly(100L);
  }

  @Test
  void readCommittedSkipsAbortedRecordsAndMarkersAndStopsBeforeOpenTransactions() throws Exception {
    createTopic("txn", 1);
    Properties props = EmbeddedKafka.producerProps();
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "txn-test");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      producer.beginTransaction();
      values("ok", 0, 3).forEach(v -> producer.send(new ProducerRecord<>("txn", 0, v, v)));
      producer.commitTransaction();
      producer.beginTransaction();
      values("aborted", 0, 4).forEach(v -> producer.send(new ProducerRecord<>("txn", 0, v, v)));
      producer.flush(); // else the abort drops them unsent
      producer.abortTransaction();
      producer.beginTransaction();
      values("ok", 3, 5).forEach(v -> producer.send(new ProducerRecord<>("txn", 0, v, v)));
      producer.commitTransaction();
      producer.beginTransaction();
      values("open", 0, 2).forEach(v -> producer.send(new ProducerRecord<>("txn", 0, v, v)));
      producer.flush();
      awaitLastStableOffset(new TopicPartition("txn", 0), 12); // markers are written asynchronously

      Map<String, Object> params = consumerParams("g-txn");
      params.put("isolation.level", "read_committed");
      driver(1000);
      stream(ConsumerStrategies.subscribe(List.of("txn"), params));
      driver.start();
      long started = System.nanoTime();
      driver.advance();
      // 3 + marker + 4 aborted + marker + 2 + marker = offsets [0, 12); the open transaction starts at 12
      assertThat(batches.get(0).ranges()).containsExactly(OffsetRange.create("txn", 0, 0, 12));
      assertThat(batches.get(0).values()).containsExactlyElementsOf(values("ok", 0, 5));
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));

      producer.commitTransaction();
    }
    awaitLastStableOffset(new TopicPartition("txn", 0), 15);
    driver.advance();
    assertThat(batches.get(1).ranges()).containsExactly(OffsetRange.create("txn", 0, 12, 15));
    assertThat(batches.get(1).values()).containsExactlyElementsOf(values("open", 0, 2));
  }

  private static void awaitLastStableOffset(TopicPartition tp, long offset) {
    await().atMost(Duration.ofSeconds(10)).until(() -> EmbeddedKafka.admin()
        .listOffsets(Map.of(tp, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
        .partitionResult(tp).get().offset() == offset);
  }

  @Test
  void outOfRangeOffsetsFailTheBatchNamingPartitionAndOffsetsWhenResetIsNone() {
    createTopic("oor", 1);
    produce("oor", 0, "v", 10);
    TopicPartition tp = new TopicPartition("oor", 0);
    EmbeddedKafka.deleteRecordsBefore(tp, 6);
    Map<String, Object> params = consumerParams("g-oor");
    params.put("auto.offset.reset", "none");
    driver(1000);
    stream(ConsumerStrategies.assign(List.of(tp), params, Map.of(tp, 2L)));
    driver.start();
    // the batch is retried, then stops the context with the error
    org.assertj.core.api.Assertions.assertThatThrownBy(driver::advance)
        .isInstanceOf(io.tributary.BatchFailedException.class)
        .hasMessageContaining("Offset 2 of oor-0 is out of range");

    assertThat(batches).isEmpty();
    // failures arrive through the listener bus, on its own thread: one per attempt
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(failures).hasSize(4).allSatisfy(f -> assertThat(f)
            .contains("Offset 2 of oor-0 is out of range", "[6, 10)", "auto.offset.reset")));
  }

  @Test
  void outOfRangeOffsetsSkipToTheEarliestAvailableWhenResetIsEarliest() {
    createTopic("oor-e", 1);
    produce("oor-e", 0, "v", 10);
    TopicPartition tp = new TopicPartition("oor-e", 0);
    EmbeddedKafka.deleteRecordsBefore(tp, 6);
    driver(1000);
    stream(ConsumerStrategies.assign(List.of(tp), consumerParams("g-oor-e"), Map.of(tp, 2L)));
    driver.start();
    driver.advance();

    assertThat(batches.get(0).ranges()).containsExactly(OffsetRange.create("oor-e", 0, 6, 10));
    assertThat(batches.get(0).values()).containsExactlyElementsOf(values("v", 6, 10));
  }

  @Test
  void startFailsNamingGroupAndPartitionWhenThereIsNoCommittedOffsetAndResetIsNone() {
    createTopic("nooff", 1);
    Map<String, Object> params = consumerParams("g-nooff");
    params.put("auto.offset.reset", "none");
    driver(1000);
    stream(ConsumerStrategies.subscribe(List.of("nooff"), params));

    assertThatThrownBy(driver::start).hasMessageContaining("Group 'g-nooff' has no committed offset for nooff-0")
        .hasMessageContaining("auto.offset.reset");
  }

  @Test
  void commitAsyncCommitsTheOutputOffsetsAtTheNextBatchAndANewRunStartsThere() {
    createTopic("cmt", 2);
    produce("cmt", 0, "a", 5);
    produce("cmt", 1, "b", 7);
    driver(1000);
    DirectKafkaInputDStream<String, String> stream =
        stream(ConsumerStrategies.subscribe(List.of("cmt"), consumerParams("g-cmt")));
    stream.foreachRDD(rdd -> stream.commitAsync(KafkaUtils.offsetRanges(rdd)));
    driver.start();
    driver.advance();
    assertThat(EmbeddedKafka.committed("g-cmt")).isEmpty();
    driver.advance();
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EmbeddedKafka.committed("g-cmt"))
        .containsExactlyInAnyOrderEntriesOf(Map.of(new TopicPartition("cmt", 0), 5L, new TopicPartition("cmt", 1), 7L)));
    driver.close();

    produce("cmt", 1, "c", 2);
    batches.clear();
    driver(1000);
    stream(ConsumerStrategies.subscribe(List.of("cmt"), consumerParams("g-cmt")));
    driver.start();
    driver.advance();
    assertThat(batches.get(0).ranges())
        .containsExactly(OffsetRange.create("cmt", 0, 5, 5), OffsetRange.create("cmt", 1, 7, 9));
  }

  @Test
  void largeRangesAreSplitIntoConsecutiveTasksAndTaskConsumersAreReused() {
    createTopic("split", 1);
    produce("split", 0, "s", 25);
    driver(1000, "streaming.kafka.maxRecordsPerTask", "10");
    ConsumerPool pool = ConsumerPool.of(driver.context().rddContext());
    assertThat(pool.idleCount()).isZero();
    stream(ConsumerStrategies.subscribe(List.of("split"), consumerParams("g-split")));
    driver.start();
    driver.advance();

    assertThat(batches.get(0).ranges()).containsExactly(OffsetRange.create("split", 0, 0, 10),
        OffsetRange.create("split", 0, 10, 20), OffsetRange.create("split", 0, 20, 25));
    assertThat(batches.get(0).values()).containsExactlyInAnyOrderElementsOf(values("s", 0, 25));
    assertThat(pool.idleCount()).isBetween(1, 3);
    driver.close();
    assertThat(pool.idleCount()).as("closed with its context").isZero();
  }

  @Test
  void createRddReadsExactlyTheGivenRanges() {
    createTopic("rdd", 2);
    produce("rdd", 0, "a", 10);
    produce("rdd", 1, "b", 10);
    OffsetRange[] ranges = {OffsetRange.create("rdd", 0, 2, 5), OffsetRange.create("rdd", 1, 8, 10)};
    Map<String, Object> params = consumerParams("unused");
    params.remove("group.id");
    try (RddContext context = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("rdd"))) {
      Rdd<ConsumerRecord<String, String>> rdd =
          KafkaUtils.createRdd(context, params, ranges, LocationStrategies.preferConsistent());
      assertThat(KafkaUtils.offsetRanges(rdd)).containsExactly(ranges);
      assertThat(rdd.map(ConsumerRecord::value).collect()).containsExactly("a-2", "a-3", "a-4", "b-8", "b-9");
    }
  }
}
