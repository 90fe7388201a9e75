package io.tributary.kinesis;

/**
 * How records are fetched from the shards. {@link #POLLING} (the default) calls {@code GetRecords}
 * on every leased shard, sharing the shard's read limits (5 calls/s, 2 MB/s) with every other
 * consumer of the stream. {@link #ENHANCED_FAN_OUT} registers a stream consumer (named after the
 * application) that gets its own 2 MB/s per shard pushed over HTTP/2 ({@code SubscribeToShard}),
 * at an extra cost per consumer-shard hour and per GB.
 */
public enum KinesisRetrieval {
  POLLING,
  ENHANCED_FAN_OUT
}
