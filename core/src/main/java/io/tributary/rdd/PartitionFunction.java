package io.tributary.rdd;

import java.io.Serializable;
import java.util.Iterator;

/** Turns the iterator of one partition into the iterator of the derived partition. */
@FunctionalInterface
interface PartitionFunction<T, U> extends Serializable {
  Iterator<U> apply(int partition, Iterator<T> input) throws Exception;
}
