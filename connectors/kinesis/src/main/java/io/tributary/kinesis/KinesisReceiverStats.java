package io.tributary.kinesis;

/**
 * Counters of a Kinesis receiver since the context started: records stored, blocks stored,
 * records skipped because the message handler threw, checkpoints written to the lease table,
 * shards read to their end (after a split or merge), and scheduler starts.
 */
public record KinesisReceiverStats(
    long recordsStored, long blocksStored, long recordsSkipped, long checkpoints, long shardsEnded,
    long schedulerStarts) {}
