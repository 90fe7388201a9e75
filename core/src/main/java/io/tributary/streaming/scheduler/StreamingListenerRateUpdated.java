package io.tributary.streaming.scheduler;

import io.tributary.Time;

/**
 * The ingestion rate of input stream {@code streamId} changed to {@code rate} records per second
 * (infinite: unlimited), after batch {@code batchTime} completed. Posted by backpressure each time
 * it changes an input's rate; the rate is the one now applied, so it never exceeds the stream's
 * static limit ({@code streaming.receiver.maxRate}).
 */
public record StreamingListenerRateUpdated(int streamId, double rate, Time batchTime)
    implements StreamingListenerEvent {}
