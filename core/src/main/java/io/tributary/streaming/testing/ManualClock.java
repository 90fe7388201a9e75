package io.tributary.streaming.testing;

import io.tributary.Clock;

/** A clock that moves only when told to: batches are generated exactly when a test advances it. */
public final class ManualClock implements Clock {
  private long time;

  /** A clock at time 0. */
  public ManualClock() {
    this(0);
  }

  public ManualClock(long startMillis) {
    this.time = startMillis;
  }

  @Override
  public synchronized long getTimeMillis() {
    return time;
  }

  /** Moves the clock to {@code millis}, which must not be in its past. */
  public synchronized void setTime(long millis) {
    if (millis < time) {
      throw new IllegalArgumentException("A clock cannot go back: it reads " + time + ", asked for " + millis);
    }
    time = millis;
    notifyAll();
  }

  /** Moves the clock forward by {@code millis}. */
  public synchronized void advance(long millis) {
    setTime(time + millis);
  }

  @Override
  public synchronized long waitTillTime(long targetTime) throws InterruptedException {
    while (time < targetTime) {
      wait();
    }
    return time;
  }
}
