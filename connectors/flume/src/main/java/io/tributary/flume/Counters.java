package io.tributary.flume;

import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link FlumeReceiverStats}. */
final class Counters implements java.io.Serializable {
  private static final long serialVersionUID = 1L;

  final AtomicLong received = new AtomicLong();
  final AtomicLong stored = new AtomicLong();
  final AtomicLong batches = new AtomicLong();
  final AtomicLong failedBatches = new AtomicLong();
  final AtomicLong oversizedEvents = new AtomicLong();
  final AtomicLong undecodable = new AtomicLong();
  final AtomicLong oversizedRequests = new AtomicLong();
  final AtomicLong acknowledged = new AtomicLong();
  final AtomicLong late = new AtomicLong();
  final AtomicLong connections = new AtomicLong();
  final AtomicLong connectionFailures = new AtomicLong();

  FlumeReceiverStats snapshot() {
    return new FlumeReceiverStats(received.get(), stored.get(), batches.get(), failedBatches.get(),
        oversizedEvents.get(), undecodable.get(), oversizedRequests.get(), acknowledged.get(), late.get(),
        connections.get(), connectionFailures.get());
  }
}
