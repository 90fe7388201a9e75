package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Tuple2;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WordCountTest {

  @Test
  void countsWordsOfEachBatchSeparately() {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<String> lines = driver.input();
      TestOutput<Tuple2<String, Integer>> counts =
          driver.collect(
              lines.stream()
                  .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
                  .mapToPair(w -> new Tuple2<>(w, 1))
                  .reduceByKey(Integer::sum));
      driver.start();
      lines.addBatch("a b a", "c");
      lines.addBatch("b");
      assertThat(driver.advance()).isEqualTo(new Time(1000));
      driver.advance();
      driver.advance();
      assertThat(counts.batch(0))
          .containsExactlyInAnyOrder(Tuple2.of("a", 2), Tuple2.of("b", 1), Tuple2.of("c", 1));
      assertThat(counts.batch(1)).containsExactly(Tuple2.of("b", 1));
      assertThat(counts.batch(2)).isEmpty();
    }
  }
}
