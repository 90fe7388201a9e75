package io.tributary.streaming.scheduler;

/** An output operation of a batch started. */
public record StreamingListenerOutputOperationStarted(OutputOperationInfo outputOperationInfo) implements StreamingListenerEvent {}
