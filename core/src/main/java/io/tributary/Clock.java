package io.tributary;

/**
 * The source of batch times. Production uses {@link #system()}; tests use {@code
 * io.tributary.streaming.testing.ManualClock} to generate batches one by one, deterministically.
 */
public interface Clock {

  /** Now, in ms since the epoch. */
  long getTimeMillis();

  /** Blocks until the clock reads at least {@code targetTime}; returns the time it then reads. */
  long waitTillTime(long targetTime) throws InterruptedException;

  /** The wall clock. */
  static Clock system() {
    return SystemClock.INSTANCE;
  }

  /** The wall clock, sleeping in short steps so a stop is noticed promptly. */
  final class SystemClock implements Clock {
    static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public long getTimeMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public long waitTillTime(long targetTime) throws InterruptedException {
      long now = System.currentTimeMillis();
      while (now < targetTime) {
        Thread.sleep(Math.min(targetTime - now, 25));
        now = System.currentTimeMillis();
      }
      return now;
    }
  }
}
