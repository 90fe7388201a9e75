package io.tributary.kafka;

import static io.tributary.kafka.EmbeddedKafka.consumerParams;
import static io.tributary.kafka.EmbeddedKafka.createTopic;
import static io.tributary.kafka.EmbeddedKafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerBatchSubmitted;
import io.tributary.streaming.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A batch run again after a restart from a checkpoint reports the records it read, as any batch does. */
@ExtendWith(EmbeddedKafka.class)
class KafkaRecoveredBatchInputTest {
  /** Batch times whose second output does not complete yet. */
  private static final Set<Long> HELD = ConcurrentHashMap.newKeySet();
  private static final List<Long> OUTPUT_COUNTS = new CopyOnWriteArrayList<>();

  @TempDir Path checkpoints;
  private final List<BatchInfo> completed = new CopyOnWriteArrayList<>();
  private final List<Long> submitted = new CopyOnWriteArrayList<>();
  private StreamingContext ssc;

  @AfterEach
  void stop() {
    HELD.clear();
    if (ssc != null) {
      ssc.stop();
    }
  }

  private StreamingContext app(ManualClock clock) {
    StreamingContext created = new StreamingContext(
        new StreamingConf().setMaster("local[2]").setAppName("kafka-recovery")
            .set("streaming.backpressure.enabled", "false"),
        Durations.seconds(1), clock);
    created.checkpoint(checkpoints.toString());
    created.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchSubmitted(StreamingListenerBatchSubmitted e) {
        submitted.add(e.batchInfo().batchTime().milliseconds());
      }

      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted e) {
        completed.add(e.batchInfo());
      }
    });
    DirectKafkaInputDStream<String, String> stream = KafkaUtils.createDirectStream(created,
        LocationStrategies.preferConsistent(),
        ConsumerStrategies.subscribe(List.of("recovered-input"), consumerParams("g-recovered-input")));
    stream.map(ConsumerRecord::value).foreachRDD(rdd -> OUTPUT_COUNTS.add(rdd.count()));
    stream.foreachRDD((rdd, time) -> {
      while (HELD.contains(time.milliseconds())) {
        Thread.sleep(20);
      }
    });
    return created;
  }

  @Test
  void aBatchPendingInTheCheckpointReportsItsRecordsWhenItRunsAgain() throws Exception {
    createTopic("recovered-input", 2);
    produce("recovered-input", 0, "a", 6);
    produce("recovered-input", 1, "b", 4);
    long base = (System.currentTimeMillis() / 1000) * 1000;
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(clock));
    ssc.start();
    HELD.add(base + 1_000);
    HELD.add(base + 2_000);
    clock.setTime(base + 1_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> OUTPUT_COUNTS.contains(10L));
    produce("recovered-input", 0, "c", 5);
    clock.setTime(base + 2_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> submitted.contains(base + 2_000));
    // batch 1000 completes: its checkpoint holds batch 2000's offset ranges as pending
    HELD.remove(base + 1_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> OUTPUT_COUNTS.contains(5L));
    ssc.stop(); // a crash while batch 2000's second output still runs
    HELD.clear();
    completed.clear();

    ManualClock later = new ManualClock(base + 2_100);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(later));
    ssc.start();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> completed.stream().anyMatch(b -> b.batchTime().milliseconds() == base + 2_000));

    BatchInfo rerun = completed.stream().filter(b -> b.batchTime().milliseconds() == base + 2_000).findFirst()
        .orElseThrow();
    assertThat(rerun.numRecords()).as("records of the batch run again").isEqualTo(5);
    StreamInputInfo input = rerun.streamIdToInputInfo().values().iterator().next();
    assertThat(input.metadata()).containsKey("offsets");
  }
}
