package io.tributary.function;

import java.io.Serializable;

/**
 * A function of one argument.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface Function<T1, R> extends Serializable {
  R call(T1 v1) throws Exception;
}
