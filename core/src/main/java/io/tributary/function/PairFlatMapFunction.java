package io.tributary.function;

import java.io.Serializable;

/**
 * Turns one element into zero or more key-value pairs ({@code flatMapToPair}).
 *
 * <p>Serializable so that a batch's lineage can be shipped to another engine; capture only
 * serializable values. Any exception thrown fails the task and is reported with its own stack trace.
 */
@FunctionalInterface
public interface PairFlatMapFunction<T, K, V> extends Serializable {
  java.util.Iterator<io.tributary.Tuple2<K, V>> call(T t) throws Exception;
}
