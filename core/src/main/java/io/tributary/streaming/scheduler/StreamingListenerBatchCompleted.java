package io.tributary.streaming.scheduler;

/** Every job of a batch finished, successfully or not (see the output operation infos). */
public record StreamingListenerBatchCompleted(BatchInfo batchInfo) implements StreamingListenerEvent {}
