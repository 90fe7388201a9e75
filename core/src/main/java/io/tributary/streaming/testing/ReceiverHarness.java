package io.tributary.streaming.testing;

import io.tributary.internal.Checks;
import io.tributary.internal.serializer.SerializerSpec;
import io.tributary.streaming.internal.block.Block;
import io.tributary.streaming.internal.block.TextBlock;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.receiver.ReceiverSink;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one {@link Receiver} on its own, without a streaming context, for its unit tests: starts it,
 * records everything it stores, reports and asks for, restarts it as the engine would, and can make
 * its next stores fail, so a test can check that a reliable receiver acknowledges its source only
 * after a store returned.
 *
 * <pre>{@code
 * try (ReceiverHarness<String> harness = ReceiverHarness.start(new MyReceiver(port))) {
 *   server.send("a", "b");
 *   assertThat(harness.awaitRecords(2, Duration.ofSeconds(10))).containsExactly("a", "b");
 *   assertThat(harness.blocks()).allMatch(ReceiverHarness.StoredBlock::reliable);
 * }
 * }</pre>
 *
 * <p>Restarts ({@link Receiver#restart}) run as in a context: {@code onStop}, the delay asked for
 * (at most {@code maxRestartDelay}, 10 ms unless set), then {@code onStart} on a harness thread; a
 * {@code store} while the receiver is stopped or restarting fails as it would in a context. Records
 * stored with {@link Receiver#store(ByteBuffer)} are decoded with the default serializer. No rate
 * limit applies. Thread-safe.
 */
public final class ReceiverHarness<T> implements AutoCloseable {

  /** One block stored through a reliable {@code store} call, with the metadata given with it. */
  public record StoredBlock<T>(List<T> records, Object metadata) {}

  private final Receiver<T> receiver;
  private final long maxRestartDelayMs;
  private final Sink sink = new Sink();
  private final List<T> records = new ArrayList<>();
  private final List<StoredBlock<T>> blocks = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final List<String> restarts = new ArrayList<>();
  private final AtomicReference<String> stopReason = new AtomicReference<>();
  private int failuresLeft;
  private RuntimeException failure;
  private boolean started; // from just before onStart until onStop, as in a context
  private boolean stopped; // for good: closed, or stopped by the receiver
  private int generation;

  private ReceiverHarness(Receiver<T> receiver, java.time.Duration maxRestartDelay) {
    this.receiver = Checks.notNull(receiver, "receiver");
    this.maxRestartDelayMs = Checks.notNull(maxRestartDelay, "maxRestartDelay").toMillis();
  }

  /** Attaches {@code receiver} (as input stream 0) and calls its {@code onStart}. */
  public static <T> ReceiverHarness<T> start(Receiver<T> receiver) {
    return start(receiver, java.time.Duration.ofMillis(10));
  }

  /** Like {@link #start(Receiver)}, waiting at most {@code maxRestartDelay} between a restart's stop and start. */
  public static <T> ReceiverHarness<T> start(Receiver<T> receiver, java.time.Duration maxRestartDelay) {
    ReceiverHarness<T> harness = new ReceiverHarness<>(receiver, maxRestartDelay);
    receiver.attach(harness.sink, 0);
    harness.begin();
    return harness;
  }

  private void begin() {
    synchronized (this) {
      if (stopped) {
        return;
      }
      started = true;
    }
    try {
      receiver.onStart();
    } catch (RuntimeException e) {
      sink.restart("Error starting the receiver", e, -1);
    }
  }

  /** Every record stored so far, in the order the store calls were made. */
  public synchronized List<T> records() {
    return List.copyOf(records);
  }

  /** The blocks stored through the reliable {@code store} calls, in order. */
  public synchronized List<StoredBlock<T>> blocks() {
    return List.copyOf(blocks);
  }

  /** The messages of every {@code reportError}, and of the errors that came with restarts and stops. */
  public synchronized List<String> errors() {
    return List.copyOf(errors);
  }

  /** The message of every restart the receiver asked for (or that a failing {@code onStart} caused). */
  public synchronized List<String> restarts() {
    return List.copyOf(restarts);
  }

  /** The message the receiver stopped itself with, or null while it has not. */
  public String stopReason() {
    return stopReason.get();
  }

  /** Waits until at least {@code count} records were stored and returns them all; fails after {@code timeout}. */
  public List<T> awaitRecords(int count, java.time.Duration timeout) throws InterruptedException {
    return await(() -> records.size() >= count, timeout, () -> "only " + records.size() + " of " + count
        + " records were stored");
  }

  /** Waits until the receiver asked for at least {@code count} restarts; fails after {@code timeout}. */
  public List<String> awaitRestarts(int count, java.time.Duration timeout) throws InterruptedException {
    await(() -> restarts.size() >= count, timeout, () -> "only " + restarts.size() + " of " + count
        + " restarts happened");
    return restarts();
  }

  private synchronized List<T> await(
      java.util.function.BooleanSupplier done, java.time.Duration timeout, java.util.function.Supplier<String> problem)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IllegalStateException(problem.get() + " within " + timeout + "; errors: " + errors
            + ", restarts: " + restarts);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(records);
  }

  /**
   * Makes the next {@code count} reliable stores throw {@code error} without storing anything, as a
   * store does when the write-ahead log cannot be written.
   */
  public synchronized void failNextStores(int count, RuntimeException error) {
    this.failuresLeft = Checks.positive(count, "count");
    this.failure = Checks.notNull(error, "error");
  }

  /** Stops the receiver ({@code onStop}) unless it stopped itself. */
  @Override
  public void close() {
    boolean running;
    synchronized (this) {
      running = !stopped;
      stopped = true;
      started = false;
      generation++;
      notifyAll();
    }
    if (running) {
      receiver.onStop();
    }
  }

  private synchronized void added(List<T> stored, Object metadata, boolean reliable) {
    if (stopped || !started) {
      throw new IllegalStateException("Receiver " + receiver.getClass().getSimpleName()
          + " stored records while it was not running (stopped, or stopped to restart)");
    }
    if (reliable && failuresLeft > 0) {
      failuresLeft--;
      throw failure;
    }
    records.addAll(stored);
    if (reliable) {
      blocks.add(new StoredBlock<>(List.copyOf(stored), metadata));
    }
    notifyAll();
  }

  /** The engine side the receiver talks to. */
  private final class Sink implements ReceiverSink<T> {
    @Override
    public void storeSingle(T record) {
      added(java.util.Collections.singletonList(record), null, false);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void storeText(byte[] b, int from, int to, int lines) {
      Iterator<T> text = new TextBlock(java.util.Arrays.copyOfRange(b, from, to), lines).records();
      List<T> stored = new ArrayList<>();
      text.forEachRemaining(stored::add);
      added(stored, null, false);
    }

    @Override
    public void storeBlock(Iterator<T> block, Object metadata) {
      List<T> stored = new ArrayList<>();
      block.forEachRemaining(stored::add);
      added(stored, metadata, true);
    }

    @Override
    public void storeBytes(ByteBuffer bytes, Object metadata) {
      byte[] copy = new byte[bytes.remaining()];
      bytes.duplicate().get(copy);
      Block block = Block.decode(SerializerSpec.of(Map.of()).get().deserialize(copy));
      List<T> stored = new ArrayList<>();
      block.<T>records().forEachRemaining(stored::add);
      added(stored, metadata, true);
    }

    @Override
    public void reportError(String message, Throwable error) {
      synchronized (ReceiverHarness.this) {
        errors.add(describe(message, error));
        ReceiverHarness.this.notifyAll();
      }
    }

    @Override
    public void restart(String message, Throwable error, int delayMs) {
      int restartOf;
      synchronized (ReceiverHarness.this) {
        if (stopped) {
          return;
        }
        restarts.add(describe(message, error));
        if (error != null) {
          errors.add(describe(message, error));
        }
        restartOf = ++generation;
        ReceiverHarness.this.notifyAll();
      }
      long delay = delayMs < 0 ? maxRestartDelayMs : Math.min(delayMs, maxRestartDelayMs);
      Thread restarter = new Thread(() -> {
        synchronized (ReceiverHarness.this) {
          started = false;
        }
        receiver.onStop();
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          return;
        }
        synchronized (ReceiverHarness.this) {
          if (stopped || generation != restartOf) {
            return; // closed, or restarted again meanwhile
          }
        }
        begin();
      }, "receiver-harness-restart");
      restarter.setDaemon(true);
      restarter.start();
    }

    @Override
    public void stop(String message, Throwable error) {
      synchronized (ReceiverHarness.this) {
        if (stopped) {
          return;
        }
        stopReason.set(describe(message, error));
        stopped = true;
        started = false;
        ReceiverHarness.this.notifyAll();
      }
      receiver.onStop();
    }

    @Override
    public boolean isStarted() {
      synchronized (ReceiverHarness.this) {
        return started;
      }
    }

    @Override
    public boolean isStopped() {
      synchronized (ReceiverHarness.this) {
        return stopped || !started;
      }
    }

  }

  private static String describe(String message, Throwable error) {
    return error == null ? message : message + ": " + error;
  }
}
