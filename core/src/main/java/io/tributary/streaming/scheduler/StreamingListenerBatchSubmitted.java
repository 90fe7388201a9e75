package io.tributary.streaming.scheduler;

/** A batch's jobs were generated and queued. */
public record StreamingListenerBatchSubmitted(BatchInfo batchInfo) implements StreamingListenerEvent {}
