package io.tributary.streaming.scheduler;

/** A receiver stopped for good (context stop, or the receiver called {@code stop}). */
public record StreamingListenerReceiverStopped(ReceiverInfo receiverInfo) implements StreamingListenerEvent {}
