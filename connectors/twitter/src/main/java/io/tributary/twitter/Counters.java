package io.tributary.twitter;

import java.io.Serializable;
import java.util.concurrent.atomic.AtomicLong;

/** The live counts behind {@link TwitterStats}. */
final class Counters implements Serializable {
  private static final long serialVersionUID = 1L;

  final AtomicLong stored = new AtomicLong();
  final AtomicLong malformed = new AtomicLong();
  final AtomicLong oversized = new AtomicLong();
  final AtomicLong deletionNotices = new AtomicLong();
  final AtomicLong limitNotices = new AtomicLong();
  final AtomicLong stallWarnings = new AtomicLong();
  final AtomicLong streamErrors = new AtomicLong();
  final AtomicLong connects = new AtomicLong();
  final AtomicLong disconnects = new AtomicLong();
  final AtomicLong stalls = new AtomicLong();
  final AtomicLong rateLimited = new AtomicLong();

  public TwitterStats snapshot() {
    return new TwitterStats(stored.get(), malformed.get(), oversized.get(), deletionNotices.get(), limitNotices.get(),
        stallWarnings.get(), streamErrors.get(), connects.get(), disconnects.get(), stalls.get(), rateLimited.get());
  }
}
