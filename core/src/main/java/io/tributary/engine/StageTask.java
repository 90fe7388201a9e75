package io.tributary.engine;

import io.tributary.TaskContext;

/** What each task of a stage does; its partition is {@code context.partitionId()}. */
@FunctionalInterface
public interface StageTask<U> {
  U run(TaskContext context) throws Exception;
}
