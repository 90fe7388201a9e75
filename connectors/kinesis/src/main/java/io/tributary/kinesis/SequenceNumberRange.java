package io.tributary.kinesis;

import java.io.Serializable;

/** The metadata of one stored block: which records of which shard it holds, first to last. */
record SequenceNumberRange(
    String streamName, String shardId, String fromSequenceNumber, long fromSubSequenceNumber,
    String toSequenceNumber, long toSubSequenceNumber, int records) implements Serializable {}
