package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The reliable receiver: every record once, and the group's offsets committed after storing. */
@ExtendWith(EmbeddedKafka.class)
class KafkaReceiverTest {
  @Test
  void receiverStoresEveryRecordOnceThenCommitsTheGroupOffsets() {
    EmbeddedKafka.createTopic("recv", 2);
    EmbeddedKafka.produce("recv", 0, "a", 30);
    EmbeddedKafka.produce("recv", 1, "b", 20);
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.milliseconds(500))) {
      TestOutput<Tuple2<String, String>> out = driver.collect(KafkaUtils.<String, String>createStream(driver.context(),
          EmbeddedKafka.consumerParams("g-recv"), Map.of("recv", 2), StorageLevel.MEMORY_ONLY));
      driver.start();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        driver.advance();
        return out.all().size() >= 50;
      });
      List<String> values = new ArrayList<>();
      out.all().forEach(kv -> values.add(kv._2()));
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        expected.add("a-" + i);
      }
      for (int i = 0; i < 20; i++) {
        expected.add("b-" + i);
      }
      assertThat(values).containsExactlyInAnyOrderElementsOf(expected);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(EmbeddedKafka.committed("g-recv"))
          .containsExactlyInAnyOrderEntriesOf(Map.of(new TopicPartition("recv", 0), 30L, new TopicPartition("recv", 1), 20L)));
    }
  }

  static final Map<Long, List<String>> OUTPUT = new java.util.concurrent.ConcurrentSkipListMap<>();

  private static io.tributary.streaming.StreamingContext walApp(
      io.tributary.streaming.testing.ManualClock clock, java.nio.file.Path checkpoint) {
    io.tributary.StreamingConf conf = new io.tributary.StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.writeAheadLog.enable", "true");
    io.tributary.streaming.StreamingContext ssc =
        new io.tributary.streaming.StreamingContext(conf, Durations.seconds(1), clock);
    ssc.checkpoint(checkpoint.toString());
    KafkaUtils.<String, String>createStream(ssc, EmbeddedKafka.consumerParams("g-recv-wal"), Map.of("recv-wal", 1),
            StorageLevel.MEMORY_ONLY)
        .foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(), rdd.values().collect()));
    return ssc;
  }

  @Test
  void withTheWriteAheadLogRecordsCommittedButNotProcessedSurviveACrash(@org.junit.jupiter.api.io.TempDir java.nio.file.Path checkpoint)
      throws Exception {
    OUTPUT.clear();
    EmbeddedKafka.createTopic("recv-wal", 1);
    EmbeddedKafka.produce("recv-wal", 0, "w", 40);
    long base = 1_000_000;
    io.tributary.streaming.StreamingContext first = io.tributary.streaming.StreamingContext.getOrCreate(
        checkpoint.toString(), () -> walApp(new io.tributary.streaming.testing.ManualClock(base), checkpoint));
    first.start();
    // stored (and logged) before committed: once the group is at 40, all 40 are in the log
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(EmbeddedKafka.committed("g-recv-wal"))
        .containsEntry(new TopicPartition("recv-wal", 0), 40L));
    first.stop(); // a crash: no batch ran, Kafka will not deliver these 40 again
    EmbeddedKafka.produce("recv-wal", 0, "x", 10);

    io.tributary.streaming.testing.ManualClock later = new io.tributary.streaming.testing.ManualClock(base + 1_500);
    io.tributary.streaming.StreamingContext second = io.tributary.streaming.StreamingContext.getOrCreate(
        checkpoint.toString(), () -> walApp(later, checkpoint));
    java.util.concurrent.atomic.AtomicLong completed = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    second.addStreamingListener(new io.tributary.streaming.scheduler.StreamingListener() {
      @Override
      public void onBatchCompleted(io.tributary.streaming.scheduler.StreamingListenerBatchCompleted done) {
        completed.accumulateAndGet(done.batchInfo().batchTime().milliseconds(), Math::max);
      }
    });
    try {
      second.start();
      long[] next = {base + 2_000};
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        if (completed.get() >= next[0]) {
          next[0] += 1_000; // one batch at a time: the next once the previous completed
        }
        later.setTime(next[0]);
        return OUTPUT.values().stream().mapToInt(List::size).sum() >= 50;
      });
    } finally {
      second.stop();
    }

    List<String> values = new ArrayList<>();
    OUTPUT.values().forEach(values::addAll);
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      expected.add("w-" + i);
    }
    for (int i = 0; i < 10; i++) {
      expected.add("x-" + i);
    }
    assertThat(values).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(OUTPUT.get(base + 1_000)).as("the batch due at the crash holds the logged records")
        .containsExactlyInAnyOrderElementsOf(expected.subList(0, 40));
  }
}
