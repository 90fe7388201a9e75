package io.tributary.kafka;

import org.apache.kafka.clients.consumer.OffsetCommitCallback;

/**
 * A stream that can commit offsets to its Kafka consumer group, so that another run of the
 * application (or any Kafka tool) sees how far the output got. Commit after the output of a batch
 * succeeded: the records are then processed at least once, and exactly once when the output is
 * idempotent (for example, keyed by batch time).
 */
public interface CanCommitOffsets {
  /**
   * Queues the ranges' end offsets for commit and returns at once. The stream commits them
   * asynchronously when it generates its next batch (and synchronously when it stops), per
   * partition the highest {@code untilOffset} queued so far. Thread-safe.
   */
  void commitAsync(OffsetRange[] offsetRanges);

  /** Like {@link #commitAsync(OffsetRange[])}; {@code callback} learns whether the commit succeeded. */
  void commitAsync(OffsetRange[] offsetRanges, OffsetCommitCallback callback);
}
