package io.tributary.streaming.scheduler;

/** An output operation of a batch finished; {@code failureReason} says whether it failed. */
public record StreamingListenerOutputOperationCompleted(OutputOperationInfo outputOperationInfo) implements StreamingListenerEvent {}
