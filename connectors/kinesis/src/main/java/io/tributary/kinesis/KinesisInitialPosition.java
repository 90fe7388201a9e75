package io.tributary.kinesis;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;

/**
 * Where a shard is read from when the application has no checkpoint for it yet (its first start,
 * or a new lease table): {@link #latest()} (only records put from now on, the default),
 * {@link #trimHorizon()} (the oldest record the stream still keeps) or {@link #atTimestamp}
 * (records put at or after an instant). Once a shard is checkpointed it resumes from the
 * checkpoint, whatever this says.
 */
public final class KinesisInitialPosition implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final KinesisInitialPosition LATEST = new KinesisInitialPosition(InitialPositionInStream.LATEST, null);
  private static final KinesisInitialPosition TRIM_HORIZON =
      new KinesisInitialPosition(InitialPositionInStream.TRIM_HORIZON, null);

  private final InitialPositionInStream position;
  private final Instant timestamp;

  private KinesisInitialPosition(InitialPositionInStream position, Instant timestamp) {
    this.position = position;
    this.timestamp = timestamp;
  }

  /** Records put after the application started reading. */
  public static KinesisInitialPosition latest() {
    return LATEST;
  }

  /** The oldest records the stream keeps (its retention period, 24 h by default). */
  public static KinesisInitialPosition trimHorizon() {
    return TRIM_HORIZON;
  }

  /** Records whose approximate arrival time is at or after {@code timestamp}. */
  public static KinesisInitialPosition atTimestamp(Instant timestamp) {
    return new KinesisInitialPosition(InitialPositionInStream.AT_TIMESTAMP,
        Objects.requireNonNull(timestamp, "initialPosition atTimestamp: timestamp"));
  }

  /** The timestamp of {@link #atTimestamp}, empty for the others. */
  public Optional<Instant> timestamp() {
    return Optional.ofNullable(timestamp);
  }

  InitialPositionInStreamExtended toKcl() {
    return timestamp == null
        ? InitialPositionInStreamExtended.newInitialPosition(position)
        : InitialPositionInStreamExtended.newInitialPositionAtTimestamp(java.util.Date.from(timestamp));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KinesisInitialPosition p && p.position == position && Objects.equals(p.timestamp, timestamp);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, timestamp);
  }

  @Override
  public String toString() {
    return timestamp == null ? position.name() : position.name() + "(" + timestamp + ")";
  }
}
