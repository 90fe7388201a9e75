package io.tributary.streaming.internal.block;

import io.tributary.streaming.internal.wal.WalHandle;
import java.io.Serializable;

/**
 * A stored block as the tracker knows it: id, record count, the receiver's metadata (or null),
 * and where the write-ahead log holds a copy (null when the log is off).
 */
public record ReceivedBlockInfo(
    int streamId, StreamBlockId blockId, long numRecords, Object metadata, WalHandle walHandle)
    implements Serializable {}
