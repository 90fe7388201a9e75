package io.tributary.function;

import java.io.Serializable;

/**
 * A side effect on two arguments, e.g. {@code foreachRDD((rdd, time) -> ...)}.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface VoidFunction2<T1, T2> extends Serializable {
  void call(T1 v1, T2 v2) throws Exception;
}
