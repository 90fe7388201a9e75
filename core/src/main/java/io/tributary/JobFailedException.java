package io.tributary;

/**
 * A job (an action on a dataset, or one output operation of a batch) failed because one of its
 * tasks failed. The cause is the exception the task threw, usually from a user function, with its
 * own stack trace; the message names the stage, partition and attempt.
 */
public class JobFailedException extends RuntimeException {
  public JobFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
