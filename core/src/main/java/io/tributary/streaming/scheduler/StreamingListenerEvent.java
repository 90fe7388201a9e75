package io.tributary.streaming.scheduler;

/** An event delivered to {@link StreamingListener}s. */
public sealed interface StreamingListenerEvent
    permits StreamingListenerStreamingStarted,
        StreamingListenerReceiverStarted,
        StreamingListenerReceiverError,
        StreamingListenerReceiverStopped,
        StreamingListenerBatchSubmitted,
        StreamingListenerBatchStarted,
        StreamingListenerBatchCompleted,
        StreamingListenerOutputOperationStarted,
        StreamingListenerOutputOperationCompleted,
        StreamingListenerRateUpdated {}
