package io.tributary.streaming.scheduler;

/** The first job of a batch started running. */
public record StreamingListenerBatchStarted(BatchInfo batchInfo) implements StreamingListenerEvent {}
