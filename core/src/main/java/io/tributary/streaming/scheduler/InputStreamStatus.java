package io.tributary.streaming.scheduler;

/**
 * One input stream of a running context, as {@code StreamingContext.inputStreams()} reports it
 * now: its id (the receiver's stream id), its name (the one given with {@code name(...)}, else the
 * receiver's or the stream's class name), whether a receiver feeds it, and the ingestion rate it
 * may use now in records per second ({@code Double.POSITIVE_INFINITY}: unlimited), the smaller of
 * its static limit and the backpressure rate.
 */
public record InputStreamStatus(int streamId, String name, boolean receiverBased, double rateLimit) {}
