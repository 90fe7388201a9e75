package io.tributary.flume;

/**
 * What the receiver of a Flume stream did so far (over all its connections and restarts). Push
 * streams count requests; polling streams count the batches they acknowledged or rolled back.
 *
 * @param eventsReceived events that arrived (stored or not)
 * @param eventsStored events stored (written to the log too when it is on)
 * @param batchesStored batches stored, each as one block
 * @param batchesFailed batches that could not be stored: answered FAILED (push) or rolled back (pull)
 * @param oversizedEvents events over {@code streaming.flume.maxEventBytes}: dropped and reported
 * @param undecodableRequests requests that were not valid Avro RPC (push): answered with an error or
 *     the connection closed, and reported
 * @param oversizedRequests requests over {@code streaming.flume.maxRequestBytes} (push): the
 *     connection was closed, and reported
 * @param batchesAcknowledged batches committed in the agent after they were stored (pull)
 * @param lateAcknowledgements stored batches the sink had already rolled back (its timeout passed or
 *     it restarted): they are delivered again, so their events are stored twice (pull)
 * @param connections connections made (pull) or accepted (push)
 * @param connectionFailures failed connects and broken connections (pull)
 */
public record FlumeReceiverStats(
    long eventsReceived,
    long eventsStored,
    long batchesStored,
    long batchesFailed,
    long oversizedEvents,
    long undecodableRequests,
    long oversizedRequests,
    long batchesAcknowledged,
    long lateAcknowledgements,
    long connections,
    long connectionFailures) {}
