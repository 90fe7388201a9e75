package io.tributary.twitter;

import java.time.Duration;
import java.util.Optional;

/**
 * The waits between reconnection attempts that X asks streaming clients for: linear for network
 * errors, exponential for HTTP errors, exponential from a minute for rate limits (and never less
 * than the announced reset). A connection that delivers data resets them all.
 */
final class Backoff {
  private final XStreamSettings s;
  private int networkErrors;
  private int httpErrors;
  private int rateLimits;

  Backoff(XStreamSettings settings) {
    this.s = settings;
  }

  /** The stream delivered data: the next problem starts from the first step again. */
  void connected() {
    networkErrors = 0;
    httpErrors = 0;
    rateLimits = 0;
  }

  long networkError() {
    networkErrors++;
    return Math.min(s.networkBackoffStep().toMillis() * networkErrors, s.networkBackoffMax().toMillis());
  }

  long httpError() {
    return exponential(s.httpBackoffInitial(), s.httpBackoffMax(), httpErrors++);
  }

  long rateLimited(Optional<Duration> untilReset) {
    long wait = exponential(s.rateLimitBackoffInitial(), s.rateLimitBackoffMax(), rateLimits++);
    return Math.max(wait, untilReset.map(Duration::toMillis).orElse(0L));
  }

  private static long exponential(Duration initial, Duration max, int previous) {
    long ms = initial.toMillis();
    for (int i = 0; i < previous && ms < max.toMillis(); i++) {
      ms *= 2;
    }
    return Math.min(ms, max.toMillis());
  }
}
