package io.tributary.function;

import java.io.Serializable;

/**
 * A function of two arguments, e.g. the reduce function of {@code reduceByKey}.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface Function2<T1, T2, R> extends Serializable {
  R call(T1 v1, T2 v2) throws Exception;
}
