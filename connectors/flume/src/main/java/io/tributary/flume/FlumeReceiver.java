package io.tributary.flume;

import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.streaming.receiver.Receiver;
import java.util.HashMap;
import java.util.List;

/**
 * What the push and the polling receiver share: the counters, the size check of events and the
 * reliable store of a whole batch.
 */
abstract class FlumeReceiver extends Receiver<FlumeEvent> {
  private static final long serialVersionUID = 1L;
  private static final long REPORT_INTERVAL_MS = 10_000;

  final long maxEventBytes;
  private final BadInputReporter badInput = new BadInputReporter(REPORT_INTERVAL_MS);
  private final BadInputReporter problems = new BadInputReporter(REPORT_INTERVAL_MS);
  private final Counters counters = new Counters();

  FlumeReceiver(StorageLevel storageLevel, long maxEventBytes) {
    super(storageLevel);
    this.maxEventBytes = maxEventBytes;
  }

  /** Where this receiver takes events from, for messages. */
  abstract String source();

  final Counters counters() {
    return counters;
  }

  /** A snapshot of the counters. */
  final FlumeReceiverStats stats() {
    return counters().snapshot();
  }

  /** Counts and reports bad input without flooding; the stream goes on. */
  final void reportBad(String message, Throwable error) {
    badInput.report(this, "Flume stream from " + source() + ": " + message, error);
  }

  /** Reports trouble with the source (a failed connection, an error answer) without flooding. */
  final void reportProblem(String message, Throwable error) {
    problems.report(this, message, error);
  }

  /**
   * Adds the event to {@code batch} unless it is over {@code streaming.flume.maxEventBytes}, in
   * which case it is counted, reported and dropped.
   */
  final void add(List<FlumeEvent> batch, HashMap<String, String> headers, byte[] body) {
    long size = FlumeEvent.size(headers, body.length);
    if (size > maxEventBytes) {
      counters().oversizedEvents.incrementAndGet();
      reportBad("dropped an event of " + size + " bytes (body and headers), over streaming.flume.maxEventBytes ("
          + maxEventBytes + "); raise that setting to keep such events", null);
      return;
    }
    batch.add(FlumeEvent.adopt(headers, body));
  }

  /**
   * Stores the events as one block: returns once stored (and logged, with the write-ahead log on);
   * throws when they could not be stored.
   */
  final void storeBatch(List<FlumeEvent> events) {
    if (events.isEmpty()) {
      return;
    }
    try {
      store(events);
    } catch (RuntimeException e) {
      counters().failedBatches.incrementAndGet();
      throw e;
    }
    counters().stored.addAndGet(events.size());
    counters().batches.incrementAndGet();
  }
}
