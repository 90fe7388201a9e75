package io.tributary.streaming.internal.rate;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A smooth token bucket: {@link #acquire(int)} hands out permits at {@link #rate()} per second,
 * blocking the caller until its permits are due. Unused time is saved as permits for at most
 * {@code maxBurstSeconds} (a block interval, for receivers), so an idle source cannot burst
 * further than that. An infinite rate is unlimited: {@code acquire} returns at once.
 *
 * <p>Callers pay before they go: a call for {@code n} permits returns once the {@code n}-th is due,
 * so one large request (a whole block) waits for all of it. Large requests are taken in steps of
 * at most 100 ms of permits, so a rate change applies within 100 ms even to a waiting caller.
 * Single permits (the per-record path) are bought in small chunks of about 5 ms of permits and
 * then handed out without a lock or a clock read.
 *
 * <p>Thread-safe. Waiting is not interruptible (an interrupted thread still waits for its permits,
 * so interrupts cannot bypass the rate) and the interrupt status is kept; {@link #close()}
 * releases every waiting thread and makes the limiter unlimited.
 */
public final class RateLimiter {
  private static final double STEP_SECONDS = 0.1;
  private static final double CHUNK_SECONDS = 0.005;
  private static final int MAX_CHUNK = 256;
  private static final long MAX_PARK_NANOS = 20_000_000L;

  private final double maxBurstSeconds;
  /** Permits already paid for, handed to single-permit callers without locking. */
  private final AtomicInteger credit = new AtomicInteger();
  private volatile double rate;
  private volatile boolean closed;
  // guarded by this
  private double storedPermits;
  private double intervalNanos;
  private long nextFreeNanos = System.nanoTime();

  /**
   * A limiter at {@code permitsPerSecond} (positive, or infinite for unlimited) that saves at most
   * {@code maxBurstSeconds} (≥ 0) of unused permits.
   */
  public RateLimiter(double permitsPerSecond, double maxBurstSeconds) {
    if (!(maxBurstSeconds >= 0) || Double.isInfinite(maxBurstSeconds)) {
      throw new IllegalArgumentException(
          "The burst of a rate limiter must be a finite number of seconds ≥ 0, got " + maxBurstSeconds);
    }
    this.maxBurstSeconds = maxBurstSeconds;
    setRate(permitsPerSecond);
  }

  /** The rate in permits per second; infinite when unlimited. */
  public double rate() {
    return rate;
  }

  /**
   * Changes the rate: positive, or {@link Double#POSITIVE_INFINITY} for unlimited. Permits saved so
   * far are scaled to the new burst size; permits already promised to waiting callers stay due at
   * their old times (at most one 100 ms step).
   */
  public synchronized void setRate(double permitsPerSecond) {
    if (!(permitsPerSecond > 0)) {
      throw new IllegalArgumentException(
          "A rate must be positive (or infinite for unlimited), got " + permitsPerSecond
              + " permits per second");
    }
    long now = System.nanoTime();
    double oldRate = rate;
    if (oldRate > 0 && !Double.isInfinite(oldRate)) {
      resync(now);
      double oldMax = oldRate * maxBurstSeconds;
      double newMax = Double.isInfinite(permitsPerSecond) ? 0 : permitsPerSecond * maxBurstSeconds;
      storedPermits = oldMax == 0 ? 0 : storedPermits * newMax / oldMax;
    } else {
      // starting, or leaving unlimited: no saved permits, nothing owed
      storedPermits = 0;
      nextFreeNanos = now;
    }
    intervalNanos = Double.isInfinite(permitsPerSecond) ? 0 : 1e9 / permitsPerSecond;
    rate = permitsPerSecond;
  }

  /** Acquires one permit, waiting until it is due. */
  public void acquire() {
    acquire(1);
  }

  /** Acquires {@code permits} (≥ 0) permits, waiting until the last of them is due. */
  public void acquire(int permits) {
    if (permits < 0) {
      throw new IllegalArgumentException("Cannot acquire a negative number of permits: " + permits);
    }
    if (permits == 0 || unlimited()) {
      return;
    }
    if (permits == 1 && takeCredit()) {
      return;
    }
    int remaining = permits;
    while (remaining > 0) {
      long until;
      int granted;
      synchronized (this) {
        if (unlimited()) {
          return;
        }
        if (remaining == 1) {
          granted = (int) Math.max(1, Math.min(MAX_CHUNK, rate * CHUNK_SECONDS));
        } else {
          granted = (int) Math.max(1, Math.min(remaining, rate * STEP_SECONDS));
        }
        until = reserve(granted);
      }
      sleepUntil(until);
      if (granted > remaining) {
        credit.addAndGet(granted - remaining);
        remaining = 0;
      } else {
        remaining -= granted;
      }
    }
  }

  /** Makes the limiter unlimited for good and releases every waiting caller. */
  public void close() {
    closed = true;
  }

  private boolean unlimited() {
    return closed || Double.isInfinite(rate);
  }

  private boolean takeCredit() {
    while (true) {
      int c = credit.get();
      if (c <= 0) {
        return false;
      }
      if (credit.compareAndSet(c, c - 1)) {
        return true;
      }
    }
  }

  /** Saves the permits of the idle time up to {@code now}; guarded by this. */
  private void resync(long now) {
    if (now > nextFreeNanos) {
      double max = rate * maxBurstSeconds;
      storedPermits = Math.min(max, storedPermits + (now - nextFreeNanos) / intervalNanos);
      nextFreeNanos = now;
    }
  }

  /** Books {@code permits}, saved ones first; returns when the last is due. Guarded by this. */
  private long reserve(int permits) {
    resync(System.nanoTime());
    double fromStore = Math.min(permits, storedPermits);
    storedPermits -= fromStore;
    nextFreeNanos += (long) ((permits - fromStore) * intervalNanos);
    return nextFreeNanos;
  }

  /** Waits until {@code deadline}, or until the limiter becomes unlimited; keeps the interrupt status. */
  private void sleepUntil(long deadline) {
    boolean interrupted = false;
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || unlimited()) {
          return;
        }
        LockSupport.parkNanos(this, Math.min(left, MAX_PARK_NANOS));
        interrupted |= Thread.interrupted();
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
