package io.tributary.function;

import java.io.Serializable;

/**
 * Turns one element into zero or more ({@code flatMap}); returns an iterator so no intermediate collection is needed.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface FlatMapFunction<T, R> extends Serializable {
  java.util.Iterator<R> call(T t) throws Exception;
}
