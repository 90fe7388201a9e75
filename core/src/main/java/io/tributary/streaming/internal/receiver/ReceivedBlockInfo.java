package io.tributary.streaming.internal.receiver;

import java.io.Serializable;

/** A stored block as the tracker knows it: id, record count, and the receiver's metadata (or null). */
public record ReceivedBlockInfo(int streamId, StreamBlockId blockId, long numRecords, Object metadata)
    implements Serializable {}
