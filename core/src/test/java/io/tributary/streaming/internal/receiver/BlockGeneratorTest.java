package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.internal.block.BlockStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The block queue between a receiver and the engine is bounded: a full queue makes add() wait. */
@Timeout(30)
class BlockGeneratorTest {
  private static final int QUEUE_SIZE = 2;

  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10));
  }

  /** Pushes that wait for {@code release}: the engine has fallen behind. */
  private static final class SlowStore {
    final CountDownLatch release = new CountDownLatch(1);
    /** The records of each block pushed, decoded. */
    final List<List<Object>> blocks = new CopyOnWriteArrayList<>();

    void push(io.tributary.streaming.internal.block.Block block, long reserved) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<Object> records = new ArrayList<>();
      block.records().forEachRemaining(records::add);
      assertThat(records).hasSize(block.count());
      blocks.add(records);
    }

    long records() {
      return blocks.stream().mapToLong(List::size).sum();
    }

    int largestBlock() {
      return blocks.stream().mapToInt(List::size).max().orElse(0);
    }
  }

  /**
   * Adds 0, 1, 2, ... as fast as it can until the generator refuses (stopped): as records, or as
   * text lines ("0\n", "1\n", ...) when {@code text}.
   */
  private static final class Producer {
    final AtomicLong added = new AtomicLong();
    final AtomicReference<Throwable> refused = new AtomicReference<>();
    final Thread thread;

    Producer(BlockGenerator generator, boolean text) {
      thread = new Thread(() -> {
        try {
          for (long i = 0; ; i++) {
            if (text) {
              byte[] line = (i + "\n").getBytes(StandardCharsets.UTF_8);
              generator.addText(line, 0, line.length, 1);
            } else {
              generator.add(i, 0);
            }
            added.incrementAndGet();
          }
        } catch (IllegalStateException e) {
          refused.set(e);
        }
      }, "producer");
      thread.setDaemon(true);
      thread.start();
    }

    boolean waitingInAdd() {
      Thread.State state = thread.getState();
      return (state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING)
          && Arrays.stream(thread.getStackTrace())
              .anyMatch(f -> f.getClassName().equals(BlockGenerator.class.getName()) && f.getMethodName().startsWith("add"));
    }
  }

  @ParameterizedTest(name = "text lines: {0}")
  @ValueSource(booleans = {false, true})
  void whenStorageFallsBehindAddWaitsAndTheBufferedRecordsStayBounded(boolean text) throws InterruptedException {
    SlowStore store = new SlowStore();
    BlockGenerator generator = new BlockGenerator("test", 10, QUEUE_SIZE, store::push);
    generator.start();
    Producer producer = new Producer(generator, text);

    eventually().until(producer::waitingInAdd);
    long heldWhileBlocked = generator.unstoredRecords();
    long addedWhileBlocked = producer.added.get();
    assertThat(heldWhileBlocked).isEqualTo(addedWhileBlocked);

    store.release.countDown();
    eventually().until(() -> producer.added.get() > addedWhileBlocked + 100_000);
    generator.stop();
    producer.thread.join(5000);

    // nothing lost: every record whose add returned was pushed, in order
    assertThat(producer.refused.get()).isNotNull();
    assertThat(store.records()).isEqualTo(producer.added.get());
    long expected = 0;
    for (List<Object> block : store.blocks) {
      for (Object record : block) {
        assertThat(record).isEqualTo(text ? (Object) String.valueOf(expected++) : (Object) expected++);
      }
    }
    // while blocked it held the blocks not yet stored (the queue, the one waiting to be queued,
    // the one being pushed) and a buffer of at most one block: never more than queue size + 3 blocks
    assertThat(heldWhileBlocked).isLessThanOrEqualTo((long) (QUEUE_SIZE + 3) * store.largestBlock());
    assertThat(generator.unstoredRecords()).isZero();
  }

  @Test
  void stopReleasesAWaitingAddWhichFailsAndEverythingAddedBeforeIsStillPushed() throws InterruptedException {
    SlowStore store = new SlowStore();
    BlockGenerator generator = new BlockGenerator("test", 10, QUEUE_SIZE, store::push);
    generator.start();
    Producer producer = new Producer(generator, false);
    eventually().until(producer::waitingInAdd);

    AtomicBoolean stopped = new AtomicBoolean();
    Thread stopper = new Thread(() -> {
      generator.stop();
      stopped.set(true);
    }, "stopper");
    stopper.setDaemon(true);
    stopper.start();
    eventually().untilAsserted(() -> assertThat(producer.refused.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the receiver was stopped"));
    assertThat(stopped).isFalse(); // stop drains: it waits for the pushes still pending

    store.release.countDown();
    eventually().untilTrue(stopped);
    assertThat(store.records()).isEqualTo(producer.added.get());
    assertThat(generator.unstoredRecords()).isZero();
  }

  @Test
  void flushCutsABlockAtOnceAndReturnsOnceItIsStored() throws InterruptedException {
    SlowStore store = new SlowStore();
    store.release.countDown();
    BlockGenerator generator = new BlockGenerator("test", 3_600_000, QUEUE_SIZE, store::push); // no timed cut
    generator.start();
    for (int i = 0; i < 5; i++) {
      generator.add(i, 0);
    }
    byte[] line = "five\n".getBytes(StandardCharsets.UTF_8);
    generator.addText(line, 0, line.length, 1);

    assertThat(generator.flush(System.nanoTime() + 5_000_000_000L)).isTrue();
    assertThat(store.blocks).containsExactly(List.of(0, 1, 2, 3, 4), List.of("five"));
    assertThat(generator.unstoredRecords()).isZero();
    assertThat(generator.flush(System.nanoTime() + 5_000_000_000L)).as("nothing buffered").isTrue();
    assertThat(store.blocks).hasSize(2);
    generator.stop();
  }

  @Test
  void flushNeverWaitsPastItsDeadlineWhenStorageIsBehindAndLosesNothing() throws InterruptedException {
    SlowStore store = new SlowStore();
    BlockGenerator generator = new BlockGenerator("test", 10, QUEUE_SIZE, store::push);
    generator.start();
    Producer producer = new Producer(generator, false);
    eventually().until(producer::waitingInAdd); // the queue is full

    long start = System.nanoTime();
    assertThat(generator.flush(start + 200_000_000L)).isFalse();
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);

    store.release.countDown();
    generator.stop();
    producer.thread.join(5000);
    assertThat(store.records()).isEqualTo(producer.added.get());
  }
}
