package io.tributary.rdd;

import io.tributary.TaskContext;
import java.io.Serializable;
import java.util.Iterator;

/**
 * What a result task does with the records of its partition. Serializable: an engine that runs
 * tasks in other JVMs ships it ({@link LineageEngine}).
 */
@FunctionalInterface
interface TaskFunction<T, U> extends Serializable {
  U apply(TaskContext context, Iterator<T> records) throws Exception;
}
