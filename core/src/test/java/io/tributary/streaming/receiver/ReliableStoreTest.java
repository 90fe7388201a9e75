package io.tributary.streaming.receiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.Durations;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class ReliableStoreTest {
  /** Does nothing by itself: the test stores through it. */
  static final class IdleReceiver extends Receiver<String> {
    IdleReceiver() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {}

    @Override
    public void onStop() {}
  }

  @Test
  void discardDropsTheCollectedRecordsWithoutStoringOrAcknowledgingThem() {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.milliseconds(100))) {
      IdleReceiver receiver = new IdleReceiver();
      TestOutput<String> out = driver.collect(driver.context().receiverStream(receiver));
      driver.start();
      await().atMost(Duration.ofSeconds(10)).until(receiver::isStarted);
      List<Long> acked = new CopyOnWriteArrayList<>();
      try (ReliableStore<String, Long> reliable =
          new ReliableStore<>(receiver, 100, Duration.ofMinutes(10), acked::addAll)) {
        reliable.add("a", 1L);
        reliable.add("b", 2L);
        assertThat(reliable.discard()).isEqualTo(2);
        reliable.flush();
        assertThat(acked).isEmpty();

        reliable.add("c", 3L);
        reliable.flush();
        assertThat(acked).containsExactly(3L);
        assertThat(reliable.discard()).isZero();
      }
      driver.advance(2);
      assertThat(out.all()).containsExactly("c");
    }
  }
}
