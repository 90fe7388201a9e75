package io.tributary;

import java.util.Map;

/**
 * What a running task knows about itself, from inside any user function: {@code
 * TaskContext.get().partitionId()}. The basis of idempotent and transactional output: a batch
 * time plus a partition id names one unit of output uniquely, and a retried attempt has the same
 * partition id and a higher {@link #attemptNumber()}.
 *
 * <p>A task of a dataset job also sees the job's {@linkplain #getLocalProperty local properties}
 * (set on the submitting thread with {@code RddContext.setLocalProperty}) and the {@linkplain
 * #resources() resources} of where it runs.
 */
public final class TaskContext {
  private static final ThreadLocal<TaskContext> CURRENT = new ThreadLocal<>();

  private final int stageId;
  private final int partitionId;
  private final int attemptNumber;
  private final long taskAttemptId;
  private final Map<String, String> localProperties;
  private final Resources resources;

  /** Engine use: a task without local properties or resources. */
  public TaskContext(int stageId, int partitionId, int attemptNumber, long taskAttemptId) {
    this(stageId, partitionId, attemptNumber, taskAttemptId, Map.of(), null);
  }

  /**
   * Engine use: a task of a job with {@code localProperties} (copied), running where {@code
   * resources} (or null: none) are shared.
   */
  public TaskContext(int stageId, int partitionId, int attemptNumber, long taskAttemptId,
      Map<String, String> localProperties, Resources resources) {
    this.stageId = stageId;
    this.partitionId = partitionId;
    this.attemptNumber = attemptNumber;
    this.taskAttemptId = taskAttemptId;
    this.localProperties = Map.copyOf(localProperties);
    this.resources = resources;
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

  /**
   * The local property {@code key} of the job this task belongs to, or null: what the driver code
   * that submitted the job had set with {@code RddContext.setLocalProperty} on its thread (as in
   * Spark). A way to tell the tasks of one job something without changing the datasets it runs,
   * which other jobs read unchanged.
   */
  public String getLocalProperty(String key) {
    return localProperties.get(key);
  }

  /** Every local property of this task's job (unmodifiable). */
  public Map<String, String> localProperties() {
    return localProperties;
  }

  /**
   * The resources shared by the tasks that run where this one runs, made on first use and closed
   * with their owner: with the local engine, the context's ({@code RddContext.resource}), shared
   * with the driver; an engine running tasks on other machines gives each executor its own.
   *
   * @throws IllegalStateException when the task was started without resources (by an engine
   *     directly, not by a dataset job)
   */
  public Resources resources() {
    if (resources == null) {
      throw new IllegalStateException("Task " + this + " runs without shared resources: only the tasks of a "
          + "dataset job (an action on an Rdd) have them");
    }
    return resources;
  }

  @Override
  public String toString() {
    return "TaskContext(stage " + stageId + ", partition " + partitionId + ", attempt "
        + attemptNumber + ")";
  }
}
