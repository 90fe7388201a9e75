package io.tributary.streaming.receiver;

import io.tributary.internal.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The reliable-receiver pattern in one place: collects records with the tokens that acknowledge
 * them to their source (message ids, offsets, delivery tags), stores them as one block, and only
 * once the block is stored (and logged, with the write-ahead log on) acknowledges the tokens.
 * A failed store acknowledges nothing, so the source delivers the records again.
 *
 * <pre>{@code
 * ReliableStore<String, Long> reliable =
 *     new ReliableStore<>(this, 1000, Duration.ofMillis(200), tags -> channel.ackUpTo(max(tags)));
 * // from the source's callback:
 * reliable.add(message.body(), message.deliveryTag());
 * // in onStop:
 * reliable.close();
 * }</pre>
 *
 * <p>A block is stored when {@code maxRecords} are collected, or {@code maxDelay} after the first
 * record of the block arrived, whichever comes first. Thread-safe; {@link #add} blocks while a
 * block is being stored.
 */
public final class ReliableStore<T, A> implements AutoCloseable {
  private final Receiver<T> receiver;
  private final int maxRecords;
  private final Consumer<List<A>> acknowledge;
  private final ScheduledExecutorService timer;
  private final long maxDelayMs;
  private List<T> records = new ArrayList<>();
  private List<A> tokens = new ArrayList<>();
  private boolean flushScheduled;

  /**
   * @param receiver the receiver whose {@code store(List)} stores the blocks
   * @param maxRecords records per block at most
   * @param maxDelay longest time a record waits before its block is stored
   * @param acknowledge called with the tokens of a block once it is stored, on the storing thread
   */
  public ReliableStore(
      Receiver<T> receiver, int maxRecords, java.time.Duration maxDelay, Consumer<List<A>> acknowledge) {
    this.receiver = Checks.notNull(receiver, "receiver");
    this.maxRecords = Checks.positive(maxRecords, "maxRecords");
    this.maxDelayMs = Checks.notNull(maxDelay, "maxDelay").toMillis();
    this.acknowledge = Checks.notNull(acknowledge, "acknowledge");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "reliable-store-" + receiver.streamId());
              t.setDaemon(true);
              return t;
            });
  }

  /** Adds a record and the token that acknowledges it; stores the block when it is full. */
  public synchronized void add(T record, A token) {
    records.add(record);
    tokens.add(token);
    if (records.size() >= maxRecords) {
      flush();
    } else if (!flushScheduled) {
      flushScheduled = true;
      timer.schedule(this::flushQuietly, maxDelayMs, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Stores the collected records as one block and then acknowledges their tokens. If storing
   * fails, nothing is acknowledged, the records are dropped from this buffer (the source will
   * deliver them again) and the error is thrown.
   */
  public synchronized void flush() {
    flushScheduled = false;
    if (records.isEmpty()) {
      return;
    }
    List<T> block = records;
    List<A> acks = tokens;
    records = new ArrayList<>();
    tokens = new ArrayList<>();
    receiver.store(block);
    acknowledge.accept(acks);
  }

  /**
   * Drops the collected records and their tokens without storing or acknowledging them, for when
   * the connection they came on broke (acknowledging on a new connection could acknowledge
   * something else) or the receiver stops: the source delivers them again. Waits for a block
   * being stored to finish. Returns how many records were dropped.
   */
  public synchronized int discard() {
    flushScheduled = false;
    int dropped = records.size();
    records = new ArrayList<>();
    tokens = new ArrayList<>();
    return dropped;
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      if (!receiver.isStopped()) {
        receiver.reportError("Could not store a block; its records were not acknowledged", e);
      }
    }
  }

  /** Stores and acknowledges what is collected, then stops the timer. */
  @Override
  public void close() {
    try {
      flush();
    } finally {
      timer.shutdownNow();
    }
  }
}
