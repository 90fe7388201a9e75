package io.tributary.streaming.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReceiverHarnessTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** Fails its first start, then stores one block and one record, then stops itself. */
  static final class Scripted extends Receiver<String> {
    final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger stops = new AtomicInteger();
    final boolean stopsItself;

    Scripted(boolean stopsItself) {
      super(StorageLevel.MEMORY_ONLY);
      this.stopsItself = stopsItself;
    }

    @Override
    public void onStart() {
      if (starts.incrementAndGet() == 1) {
        throw new IllegalStateException("port in use");
      }
      new Thread(() -> {
        store(List.of("block-" + starts.get()), "offset-" + starts.get());
        store("single");
        if (stopsItself) {
          stop("source exhausted");
        }
      }).start();
    }

    @Override
    public void onStop() {
      stops.incrementAndGet();
    }
  }

  @Test
  void runsTheReceiverAsAContextWouldAndRecordsWhatItDid() throws Exception {
    Scripted receiver = new Scripted(true);
    try (ReceiverHarness<String> harness = ReceiverHarness.start(receiver)) {
      assertThat(harness.awaitRecords(2, WAIT)).containsExactly("block-2", "single");
      assertThat(harness.restarts()).singleElement().asString()
          .contains("Error starting the receiver").contains("port in use");
      assertThat(harness.blocks()).containsExactly(new ReceiverHarness.StoredBlock<>(List.of("block-2"), "offset-2"));
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> harness.stopReason() != null);
      assertThat(harness.stopReason()).isEqualTo("source exhausted");
      assertThat(receiver.isStopped()).isTrue();
      assertThatThrownBy(() -> receiver.store("late"))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("not running");
    }
    assertThat(receiver.stops.get()).as("onStop for the restart and for the stop, not again at close").isEqualTo(2);
  }

  @Test
  void anAwaitThatIsNotMetFailsNamingWhatWasMissing() throws Exception {
    Scripted receiver = new Scripted(false);
    try (ReceiverHarness<String> harness = ReceiverHarness.start(receiver)) {
      harness.awaitRecords(2, WAIT);
      assertThatThrownBy(() -> harness.awaitRecords(3, Duration.ofMillis(200)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("only 2 of 3 records were stored");
    }
    assertThat(receiver.stops.get()).as("the restart's and the close's").isEqualTo(2);
  }
}
