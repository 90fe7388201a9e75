package io.tributary.streaming.scheduler;

/** A receiver reported an error, or failed and is being restarted; the info carries the error. */
public record StreamingListenerReceiverError(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
