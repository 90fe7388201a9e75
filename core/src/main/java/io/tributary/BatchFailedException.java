package io.tributary;

/**
 * A batch failed for good: one of its output operations (or the generation of its jobs) still
 * failed after {@code streaming.batch.maxRetries} retries. The context stops with it and {@link
 * io.tributary.streaming.StreamingContext#awaitTermination()} throws it; the batch stays pending in the checkpoint, so an
 * application restarted with {@link io.tributary.streaming.StreamingContext#getOrCreate} runs it again. The cause is what
 * the last attempt threw.
 */
public final class BatchFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Time batchTime;
  private final String operation;
  private final int attempts;

  /**
   * @param operation what failed, e.g. {@code "foreachRDD of MappedDStream#3"}
   * @param attempts how many times it was tried
   */
  public BatchFailedException(Time batchTime, String operation, int attempts, Throwable cause) {
    super("Batch " + batchTime + " failed: " + operation + " failed " + (attempts == 1 ? "once" : attempts + " times")
        + " (last error: " + cause + "); the context stops. The batch is left pending in the checkpoint: fix the "
        + "cause and restart the application with StreamingContext.getOrCreate to run it again", cause);
    this.batchTime = batchTime;
    this.operation = operation;
    this.attempts = attempts;
  }

  /** The time of the failed batch. */
  public Time batchTime() {
    return batchTime;
  }

  /** What failed: the output operation, or the generation of the batch's jobs. */
  public String operation() {
    return operation;
  }

  /** How many times it was tried before giving up. */
  public int attempts() {
    return attempts;
  }
}
