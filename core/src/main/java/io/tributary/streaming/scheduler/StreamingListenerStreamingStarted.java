package io.tributary.streaming.scheduler;

/** The context started, at {@code time} (ms since the epoch). */
public record StreamingListenerStreamingStarted(long time) implements StreamingListenerEvent {}
