package io.tributary.streaming.scheduler;

/** A receiver's {@code onStart} returned: it is receiving. */
public record StreamingListenerReceiverStarted(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
