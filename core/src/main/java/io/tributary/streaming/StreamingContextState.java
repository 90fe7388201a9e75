package io.tributary.streaming;

/** The life cycle of a {@link StreamingContext}: created, then started once, then stopped for good. */
public enum StreamingContextState {
  /** Created; streams and outputs may be defined. */
  INITIALIZED,
  /** Started; batches are running. No new streams or outputs. */
  ACTIVE,
  /** Stopped; cannot be started again. */
  STOPPED
}
