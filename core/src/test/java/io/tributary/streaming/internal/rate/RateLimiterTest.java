package io.tributary.streaming.internal.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The token bucket on its own. Timing assertions are lower bounds (a limiter can only be slower
 * than its rate on a busy machine) except where the rate itself is the point; the exact ±5% check
 * over 10 s is in {@code ReceiverRateLimitTest}.
 */
@Timeout(30)
class RateLimiterTest {
  private static long millisToAcquire(RateLimiter limiter, int permits) {
    long start = System.nanoTime();
    limiter.acquire(permits);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
  }

  private static Thread daemon(Runnable body) {
    Thread t = new Thread(body, "rate-limiter-test");
    t.setDaemon(true);
    t.start();
    return t;
  }

  @Test
  void anUnlimitedLimiterNeverWaits() {
    RateLimiter limiter = new RateLimiter(Double.POSITIVE_INFINITY, 0.2);
    for (int i = 0; i < 1_000_000; i++) {
      limiter.acquire();
    }
    assertThat(millisToAcquire(limiter, Integer.MAX_VALUE)).isLessThan(1000);
    assertThat(limiter.rate()).isInfinite();
  }

  @Test
  void aCallForManyPermitsWaitsForAllOfThemBeforeReturning() {
    RateLimiter limiter = new RateLimiter(1000, 0.05);
    // pay first: 300 permits at 1000/s are due after 300 ms, even on the first call
    assertThat(millisToAcquire(limiter, 300)).isGreaterThanOrEqualTo(290);
    assertThat(millisToAcquire(limiter, 100)).isGreaterThanOrEqualTo(90);
  }

  @Test
  void singlePermitsComeAtTheRate() {
    RateLimiter limiter = new RateLimiter(5000, 0.05);
    long start = System.nanoTime();
    for (int i = 0; i < 5000; i++) {
      limiter.acquire();
    }
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    // 5000 permits at 5000/s: one second, less at most one chunk (5 ms)
    assertThat(ms).isGreaterThanOrEqualTo(990);
  }

  @Test
  void idleTimeIsSavedForAtMostTheBurst() throws InterruptedException {
    RateLimiter limiter = new RateLimiter(1000, 0.05);
    limiter.acquire(10);
    Thread.sleep(300); // idle: earns 300 permits, of which the burst (50) is kept
    // 150 permits: 50 saved, 100 at 1000/s
    assertThat(millisToAcquire(limiter, 150)).isGreaterThanOrEqualTo(95);
  }

  @Test
  void manyThreadsTogetherGetNoMoreThanTheRate() throws InterruptedException {
    long start = System.nanoTime();
    RateLimiter limiter = new RateLimiter(4000, 0.01);
    AtomicLong acquired = new AtomicLong();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(daemon(() -> {
        for (int i = 0; running.get(); i++) {
          int permits = i % 2 == 0 ? 1 : 7; // single permits (chunks and credit) and small blocks
          limiter.acquire(permits);
          acquired.addAndGet(permits);
        }
      }));
    }
    Thread.sleep(1000);
    double seconds = (System.nanoTime() - start) / 1e9;
    long count = acquired.get();
    running.set(false);
    limiter.close();
    for (Thread t : threads) {
      t.join(5000);
    }
    // every permit handed out was paid for: at most the rate, plus the burst (40)
    assertThat((double) count).isLessThanOrEqualTo(4000 * seconds + 40);
    assertThat(count).isPositive();
  }

  @Test
  void aRateChangeReachesACallerAlreadyWaiting() {
    RateLimiter limiter = new RateLimiter(10, 0);
    AtomicBoolean done = new AtomicBoolean();
    daemon(() -> {
      limiter.acquire(1000); // 100 s at the old rate
      done.set(true);
    });
    limiter.setRate(1_000_000);
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(done);
    assertThat(limiter.rate()).isEqualTo(1_000_000);
  }

  @Test
  void becomingUnlimitedOrClosedReleasesWaitingCallers() {
    RateLimiter limiter = new RateLimiter(1, 0);
    AtomicBoolean first = new AtomicBoolean();
    daemon(() -> {
      limiter.acquire(10_000);
      first.set(true);
    });
    limiter.setRate(Double.POSITIVE_INFINITY);
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(first);

    limiter.setRate(1);
    AtomicBoolean second = new AtomicBoolean();
    daemon(() -> {
      limiter.acquire(10_000);
      second.set(true);
    });
    limiter.close();
    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(second);
    assertThat(millisToAcquire(limiter, 1_000_000)).isLessThan(1000);
  }

  @Test
  void anInterruptedCallerStillWaitsForItsPermitsAndKeepsItsInterruptStatus() {
    RateLimiter limiter = new RateLimiter(20, 0);
    Thread.currentThread().interrupt();
    try {
      assertThat(millisToAcquire(limiter, 10)).isGreaterThanOrEqualTo(490); // 10 at 20/s
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void invalidRatesAndPermitCountsAreRejected() {
    RateLimiter limiter = new RateLimiter(100, 0.1);
    assertThatThrownBy(() -> limiter.setRate(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be positive (or infinite for unlimited), got 0.0");
    assertThatThrownBy(() -> limiter.setRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.setRate(-5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.acquire(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative number of permits: -1");
    assertThatThrownBy(() -> new RateLimiter(100, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("burst");
    assertThat(limiter.rate()).isEqualTo(100);
  }
}
