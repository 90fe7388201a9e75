package io.tributary.streaming.internal.block;

import java.io.Serializable;

/** Names one block of received data: {@code input-STREAM-N}. */
public record StreamBlockId(int streamId, long uniqueId) implements Serializable {
  @Override
  public String toString() {
    return "input-" + streamId + "-" + uniqueId;
  }
}
