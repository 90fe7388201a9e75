package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.BatchFailedException;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.StreamingContextState;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's broker outage: Kafka in, upper-case, exactly-once {@link KafkaSink} out, with a
 * checkpoint, while the broker (a child JVM) is killed with SIGKILL in the middle of a
 * transaction and kept down longer than the producer's timeouts, then started again on the same
 * port with the same log directory. The failed batch is retried with backoff; either the retries
 * outlast the outage, or they run out, the context stops with a {@link BatchFailedException}, and
 * the application is started again from its checkpoint once the broker is back. Either way a
 * {@code read_committed} reader of the output sees every input record exactly once.
 */
class KafkaBrokerOutageTest {
  private static final int PARTITIONS = 3;
  private static final int BEFORE = 2_000; // records per partition before the outage
  private static final int AFTER = 500; // records per partition once the broker is back
  private static final Duration OUTAGE = Duration.ofSeconds(20);
  /** The producer's timeouts, all shorter than the outage (Kafka's defaults: 60 s and more). */
  private static final Map<String, Object> PRODUCER_TIMEOUTS = Map.of(
      "max.block.ms", 5_000, "request.timeout.ms", 3_000, "delivery.timeout.ms", 8_000,
      "transaction.timeout.ms", 10_000);

  /** The task writing the gate record waits here, its transaction open, until the broker is killed. */
  static volatile String gateRecord;
  static volatile CountDownLatch gateReached;
  static volatile CountDownLatch gateOpen;

  @TempDir static Path brokerDir;
  private static KafkaBrokerProcess broker;

  @TempDir Path checkpoint;
  private final List<String> failedAttempts = new CopyOnWriteArrayList<>();
  private final List<KafkaSink<?>> sinks = new ArrayList<>();
  private StreamingContext ssc;

  @BeforeAll
  static void startBroker() throws Exception {
    broker = new KafkaBrokerProcess(brokerDir);
    System.out.printf("Outage test broker on %s ready in %d ms%n", broker.bootstrapServers(),
        broker.start().toMillis());
  }

  @AfterAll
  static void stopBroker() throws Exception {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void closeGate() {
    gateReached = new CountDownLatch(1);
    gateOpen = new CountDownLatch(1);
  }

  @AfterEach
  void stop() {
    gateOpen.countDown();
    if (ssc != null) {
      ssc.stop();
    }
    sinks.forEach(KafkaSink::close);
  }

  /** The application's map: upper case; the gate record waits (once) until the test opens the gate. */
  static String upperCase(ConsumerRecord<String, String> record) throws InterruptedException {
    if (record.value().equals(gateRecord) && gateReached.getCount() > 0) {
      gateReached.countDown();
      if (!gateOpen.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("The test never opened the gate");
      }
    }
    return record.value().toUpperCase(Locale.ROOT);
  }

  private static KafkaSink<String> sink(String app, String topic) {
    KafkaSink.Builder<String, String> builder = KafkaSink.<String, String>builder()
        .bootstrapServers(broker.bootstrapServers())
        .valueSerializer(StringSerializer.class)
        .property("linger.ms", 5)
        .properties(PRODUCER_TIMEOUTS);
    return builder.exactlyOnce(app).forValues(topic);
  }

  /** Kafka in, upper case, Kafka out exactly once, recoverable from {@link #checkpoint}. */
  private StreamingContext app(String app, String in, String out, int maxRetries) {
    StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]").setAppName(app)
        .set("streaming.kafka.maxRatePerPartition", "1000")
        .set("streaming.batch.maxRetries", String.valueOf(maxRetries))
        .set("streaming.batch.retryBackoff", "500ms"), Durations.milliseconds(500));
    created.checkpoint(checkpoint.toString());
    DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(created,
        LocationStrategies.preferConsistent(),
        ConsumerStrategies.<String, String>subscribe(List.of(in),
            EmbeddedKafka.consumerParams(broker.bootstrapServers(), app)));
    sink(app, out).writeStream(stream.map(KafkaBrokerOutageTest::upperCase));
    return created;
  }

  private void startApp(String app, String in, String out, int maxRetries) {
    ssc = StreamingContext.getOrCreate(checkpoint.toString(), () -> app(app, in, out, maxRetries));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted e) {
        e.outputOperationInfo().failureReason().ifPresent(reason ->
            failedAttempts.add(e.outputOperationInfo().batchTime() + ": " + reason.lines().findFirst().orElse("")));
      }
    });
    ssc.start();
    sinks.add(sink(app, out)); // closes the producers of the sink the application uses (equal settings)
  }

  private static void produce(String topic, int from, int until) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(EmbeddedKafka.producerProps(broker.bootstrapServers()))) {
      for (int i = from; i < until; i++) {
        for (int p = 0; p < PARTITIONS; p++) {
          String value = topic + "-" + p + "-" + i;
          producer.send(new ProducerRecord<>(topic, p, value, value));
        }
      }
      producer.flush();
    }
  }

  /** Whether the application's group holds {@code count} as the committed offset of every input partition. */
  private static boolean committedUpTo(String app, String in, long count) {
    Map<TopicPartition, Long> committed = EmbeddedKafka.committed(broker.admin(), app);
    for (int p = 0; p < PARTITIONS; p++) {
      if (committed.getOrDefault(new TopicPartition(in, p), -1L) < count) {
        return false;
      }
    }
    return true;
  }

  /** What one outage run saw. */
  private record Outcome(BatchFailedException stopped, List<String> failedAttempts, int in, int out, int missing,
      int duplicated, long seconds) {}

  /**
   * Runs the application, kills the broker while the gate record's transaction is open, keeps it
   * down for {@link #OUTAGE} (and, when {@code awaitStop}, until the context stopped), starts it
   * again, restarts the application from its checkpoint if it stopped, writes more records, and
   * reads the output once every input offset is committed and the application stopped gracefully.
   */
  private Outcome outage(String app, int maxRetries, boolean awaitStop) throws Exception {
    long began = System.nanoTime();
    String in = app + "-in";
    String out = app + "-out";
    EmbeddedKafka.createTopic(broker.admin(), in, PARTITIONS);
    EmbeddedKafka.createTopic(broker.admin(), out, 2);
    gateRecord = in + "-0-" + (BEFORE / 2 + 200); // in the third batch of partition 0
    produce(in, 0, BEFORE);
    startApp(app, in, out, maxRetries);

    assertThat(gateReached.await(60, TimeUnit.SECONDS)).as("the gate record was reached").isTrue();
    broker.kill();
    long killed = System.nanoTime();
    gateOpen.countDown(); // the task goes on writing to a broker that is gone
    StreamingContext running = ssc;
    if (awaitStop) {
      await().atMost(Duration.ofSeconds(120)).until(() -> running.getState() == StreamingContextState.STOPPED);
    }
    long leftMs = OUTAGE.toMillis() - (System.nanoTime() - killed) / 1_000_000;
    if (leftMs > 0) {
      Thread.sleep(leftMs); // the outage itself: the broker stays down this long whatever the application does
    }
    long downMs = (System.nanoTime() - killed) / 1_000_000;
    Duration restart = broker.start();
    System.out.printf("%s: broker down %d ms (killed mid-transaction), back %d ms after its restart began%n", app,
        downMs, restart.toMillis());

    BatchFailedException stopped = null;
    if (running.getState() == StreamingContextState.STOPPED || awaitStop) {
      try {
        running.awaitTerminationOrTimeout(30_000);
      } catch (BatchFailedException e) {
        stopped = e;
      }
      assertThat(stopped).as("the context stopped with the failed batch's error").isNotNull();
      startApp(app, in, out, maxRetries); // as a user would: getOrCreate from the checkpoint
    }
    produce(in, BEFORE, BEFORE + AFTER);
    StreamingContext last = ssc;
    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .until(() -> last.getState() == StreamingContextState.STOPPED || committedUpTo(app, in, BEFORE + AFTER));
    assertThat(last.getState()).as("the application runs on after the outage").isEqualTo(StreamingContextState.ACTIVE);
    last.stop(true, true); // graceful: nothing writes after this, so the output read below is final

    List<String> expected = new ArrayList<>();
    for (int i = 0; i < BEFORE + AFTER; i++) {
      for (int p = 0; p < PARTITIONS; p++) {
        expected.add((in + "-" + p + "-" + i).toUpperCase(Locale.ROOT));
      }
    }
    List<String> output = KafkaSinkTest.readCommitted(broker.bootstrapServers(), out);
    Map<String, Long> counts = counts(output);
    int missing = (int) expected.stream().filter(v -> !counts.containsKey(v)).count();
    int duplicated = (int) counts.values().stream().mapToLong(c -> c - 1).sum();
    Outcome outcome = new Outcome(stopped, List.copyOf(failedAttempts), expected.size(), output.size(), missing,
        duplicated, (System.nanoTime() - began) / 1_000_000_000L);
    System.out.printf("%s: %s; %d failed attempt(s) %s; records in %d, read_committed out %d, missing %d, "
        + "duplicated %d; %d s%n", app, stopped == null ? "retries outlasted the outage"
        : "stopped (" + stopped.getMessage().lines().findFirst().orElse("") + ") and restarted from the checkpoint",
        failedAttempts.size(), failedAttempts, outcome.in(), outcome.out(), missing, duplicated, outcome.seconds());
    assertThat(counts).as("read_committed output, record -> times").isEqualTo(counts(expected));
    return outcome;
  }

  private static Map<String, Long> counts(List<String> values) {
    return values.stream().collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
  }

  @Test
  void retriesThatOutlastTheOutageWriteEveryRecordExactlyOnce() throws Exception {
    Outcome outcome = outage("outage-retry", 20, false);

    assertThat(outcome.stopped()).as("the context kept running").isNull();
    assertThat(outcome.failedAttempts()).as("attempts of the batch that failed while the broker was down")
        .isNotEmpty();
    assertThat(outcome.missing()).isZero();
    assertThat(outcome.duplicated()).isZero();
  }

  @Test
  void whenRetriesRunOutTheContextStopsAndARestartFromTheCheckpointWritesEveryRecordExactlyOnce()
      throws Exception {
    Outcome outcome = outage("outage-stop", 1, true);

    assertThat(outcome.stopped()).isNotNull();
    assertThat(outcome.stopped().attempts()).isEqualTo(2);
    assertThat(outcome.failedAttempts()).hasSizeGreaterThanOrEqualTo(2);
    assertThat(outcome.missing()).isZero();
    assertThat(outcome.duplicated()).isZero();
  }
}
