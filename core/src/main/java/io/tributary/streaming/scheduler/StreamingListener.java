package io.tributary.streaming.scheduler;

/**
 * Receives the progress of a streaming application: start, receivers, batches and their output
 * operations. Register with {@code StreamingContext.addStreamingListener}. Every method has an
 * empty default, so implement only what you need.
 *
 * <p>Events are delivered on one dedicated thread, in the order they happened; a slow listener
 * delays later events but never the batches. An exception thrown by a listener is logged and the
 * event goes on to the other listeners.
 */
public interface StreamingListener {
  default void onStreamingStarted(StreamingListenerStreamingStarted streamingStarted) {}

  default void onReceiverStarted(StreamingListenerReceiverStarted receiverStarted) {}

  default void onReceiverError(StreamingListenerReceiverError receiverError) {}

  default void onReceiverStopped(StreamingListenerReceiverStopped receiverStopped) {}

  default void onBatchSubmitted(StreamingListenerBatchSubmitted batchSubmitted) {}

  default void onBatchStarted(StreamingListenerBatchStarted batchStarted) {}

  default void onBatchCompleted(StreamingListenerBatchCompleted batchCompleted) {}

  default void onOutputOperationStarted(
      StreamingListenerOutputOperationStarted outputOperationStarted) {}

  default void onOutputOperationCompleted(
      StreamingListenerOutputOperationCompleted outputOperationCompleted) {}

  /** Backpressure changed an input stream's ingestion rate (only with {@code streaming.backpressure.enabled}). */
  default void onRateUpdated(StreamingListenerRateUpdated rateUpdated) {}
}
