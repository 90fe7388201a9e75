package io.tributary.streaming.scheduler;

import java.util.Map;

/**
 * What one input stream contributed to one batch: its record count and source-specific metadata
 * (for example the offset ranges of a Kafka batch). The metadata key {@link
 * #METADATA_KEY_DESCRIPTION} holds a human-readable summary.
 */
public record StreamInputInfo(int inputStreamId, long numRecords, Map<String, Object> metadata) {
  public static final String METADATA_KEY_DESCRIPTION = "Description";

  public StreamInputInfo {
    metadata = Map.copyOf(metadata);
  }

  public StreamInputInfo(int inputStreamId, long numRecords) {
    this(inputStreamId, numRecords, Map.of());
  }

  /** The human-readable description in the metadata, if any. */
  public java.util.Optional<String> metadataDescription() {
    return java.util.Optional.ofNullable(metadata.get(METADATA_KEY_DESCRIPTION)).map(Object::toString);
  }
}
