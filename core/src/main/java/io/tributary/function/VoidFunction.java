package io.tributary.function;

import java.io.Serializable;

/**
 * A side effect on one argument, e.g. {@code foreachRDD(rdd -> ...)}.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface VoidFunction<T> extends Serializable {
  void call(T t) throws Exception;
}
