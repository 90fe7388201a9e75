package io.tributary.rdd;

import java.io.Serializable;
import java.util.Iterator;

/**
 * Reads the records of one split of a source ({@link RddContext#fromSplits}), inside the task of
 * that split's partition. Reading the same split again must yield the same records: that is what
 * makes recomputation and replay exact. Serializable so that it can travel with the lineage;
 * capture only serializable values. Anything thrown fails the task.
 */
@FunctionalInterface
public interface SplitReader<S, T> extends Serializable {
  Iterator<T> read(S split) throws Exception;
}
