package io.tributary.rdd;

import io.tributary.TaskContext;
import java.util.Iterator;

/** What a result task does with the records of its partition. */
@FunctionalInterface
interface TaskFunction<T, U> {
  U apply(TaskContext context, Iterator<T> records) throws Exception;
}
