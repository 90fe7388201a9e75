package io.tributary.streaming;

import io.tributary.Durations;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

class QueueStreamTest {

  private static StreamingTestDriver driver() {
    return new StreamingTestDriver(Durations.seconds(1));
  }

  @Test
  void oneAtATimeTakesOneDatasetPerBatchThenGivesEmptyBatches() {
    try (StreamingTestDriver driver = driver()) {
      RddContext rc = driver.context().rddContext();
      Queue<Rdd<Integer>> queue = new ConcurrentLinkedQueue<>();
      queue.add(rc.parallelize(List.of(1, 2)));
      queue.add(rc.parallelize(List.of(3)));
      queue.add(rc.parallelize(List.of(4, 5, 6)));
      TestOutput<Integer> out = driver.collect(driver.context().queueStream(queue, true));
      driver.start();

      driver.advance(4);

      assertThat(out.batch(0)).containsExactly(1, 2);
      assertThat(out.batch(1)).containsExactly(3);
      assertThat(out.batch(2)).containsExactly(4, 5, 6);
      assertThat(out.batch(3)).isEmpty();
      assertThat(queue).isEmpty();
    }
  }

  @Test
  void notOneAtATimeTakesEveryQueuedDatasetInOneBatch() {
    try (StreamingTestDriver driver = driver()) {
      RddContext rc = driver.context().rddContext();
      Queue<Rdd<Integer>> queue = new ConcurrentLinkedQueue<>();
      queue.add(rc.parallelize(List.of(1, 2)));
      queue.add(rc.parallelize(List.of(3)));
      TestOutput<Integer> out = driver.collect(driver.context().queueStream(queue, false));
      driver.start();

      driver.advance();
      queue.add(rc.parallelize(List.of(7)));
      queue.add(rc.parallelize(List.of(8)));
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactly(1, 2, 3);
      assertThat(out.batch(1)).containsExactly(7, 8);
      assertThat(out.batch(2)).isEmpty();
    }
  }

  @Test
  void anEmptyQueueGivesTheDefaultDatasetAndDatasetsAddedAfterStartArePickedUp() {
    try (StreamingTestDriver driver = driver()) {
      RddContext rc = driver.context().rddContext();
      Queue<Rdd<String>> queue = new ConcurrentLinkedQueue<>();
      TestOutput<String> out = driver.collect(
          driver.context().queueStream(queue, true, rc.parallelize(List.of("default"))));
      driver.start();

      driver.advance();
      queue.add(rc.parallelize(List.of("queued")));
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactly("default");
      assertThat(out.batch(1)).containsExactly("queued");
      assertThat(out.batch(2)).containsExactly("default");
    }
  }

  @Test
  void aQueueStreamFeedsSeveralOutputsWithTheSameDatasetOfABatch() {
    try (StreamingTestDriver driver = driver()) {
      RddContext rc = driver.context().rddContext();
      Queue<Rdd<Integer>> queue = new ConcurrentLinkedQueue<>();
      queue.add(rc.parallelize(List.of(1, 2, 3)));
      queue.add(rc.parallelize(List.of(4)));
      DStream<Integer> stream = driver.context().queueStream(queue, true);
      TestOutput<Integer> first = driver.collect(stream);
      TestOutput<Integer> doubled = driver.collect(stream.map(i -> i * 2));
      driver.start();

      driver.advance(2);

      assertThat(first.batch(0)).containsExactly(1, 2, 3);
      assertThat(doubled.batch(0)).containsExactly(2, 4, 6);
      assertThat(first.batch(1)).containsExactly(4);
      assertThat(doubled.batch(1)).containsExactly(8);
    }
  }
}
