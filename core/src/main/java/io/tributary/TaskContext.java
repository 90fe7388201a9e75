package io.tributary;

/**
 * What a running task knows about itself, from inside any user function: {@code
 * TaskContext.get().partitionId()}. The basis of idempotent and transactional output: a batch
 * time plus a partition id names one unit of output uniquely, and a retried attempt has the same
 * partition id and a higher {@link #attemptNumber()}.
 */
public final class TaskContext {
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  private final int stageId;
  private final int partitionId;
  private final int attemptNumber;
  private final long taskAttemptId;

  public TaskContext(int stageId, int partitionId, int attemptNumber, long taskAttemptId) {
    this.stageId = stageId;
    this.partitionId = partitionId;
    this.attemptNumber = attemptNumber;
    this.taskAttemptId = taskAttemptId;
  }

  /** The context of the task running on this thread, or null outside a task. */
  public static TaskContext get() {
    return CURRENT.get();
  }

  /** Engine use: binds {@code context} to the current thread (null unbinds). */
  public static void set(TaskContext context) {
    if (context == null) {
      CURRENT.remove();
    } else {
      CURRENT.set(context);
    }
  }

  public int stageId() {
    return stageId;
  }

  /** The index of the partition this task computes. */
  public int partitionId() {
    return partitionId;
  }

  /** 0 for the first attempt of this task, then 1, 2, ... for retries. */
  public int attemptNumber() {
    return attemptNumber;
  }

  /** Unique id of this attempt within the engine's lifetime. */
  public long taskAttemptId() {
    return taskAttemptId;
  }

  @Override
  public String toString() {
    return "TaskContext(stage " + stageId + ", partition " + partitionId + ", attempt "
        + attemptNumber + ")";
  }
}
