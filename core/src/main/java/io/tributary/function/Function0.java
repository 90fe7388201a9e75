package io.tributary.function;

import java.io.Serializable;

/**
 * A function of no arguments, e.g. the factory given to {@code StreamingContext.getOrCreate}.
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface Function0<R> extends Serializable {
  R call() throws Exception;
}
