package io.tributary.streaming.receiver;

import java.io.Serializable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * For receivers: reports bad input (an oversized message, bytes that do not decode, a record that
 * cannot be parsed) without flooding. Every occurrence is logged at DEBUG; the first one, and then
 * at most one per {@code intervalMs}, goes to {@link Receiver#reportError} (a WARN and a listener
 * event) with the number left out since the previous report. Counting is the caller's job; the
 * receiver goes on either way.
 */
public final class BadInputReporter implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(BadInputReporter.class);

  private final long intervalMs;
  private long lastReportMs = Long.MIN_VALUE;
  private long leftOut;

  public BadInputReporter(long intervalMs) {
    this.intervalMs = intervalMs;
  }

  /** Reports {@code message}, or counts it as left out when one was reported less than an interval ago. */
  public void report(Receiver<?> receiver, String message, Throwable error) {
    LOG.debug("Receiver {}: {}", receiver.streamId(), message, error);
    String text;
    synchronized (this) {
      long now = System.currentTimeMillis();
      if (lastReportMs != Long.MIN_VALUE && now - lastReportMs < intervalMs) {
        leftOut++;
        return;
      }
      text = leftOut == 0 ? message : message + " (" + leftOut + " more bad input(s) since the previous report)";
      lastReportMs = now;
      leftOut = 0;
    }
    if (!receiver.isStopped()) {
      receiver.reportError(text, error);
    }
  }
}
