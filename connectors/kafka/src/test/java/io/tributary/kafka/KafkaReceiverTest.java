package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.streaming.Durations;
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
}
