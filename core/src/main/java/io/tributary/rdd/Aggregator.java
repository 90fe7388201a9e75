package io.tributary.rdd;

import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.internal.Checks;
import java.io.Serializable;

/**
 * How the values of one key are folded into a combiner: the first value makes a combiner, further
 * values are merged into it, and combiners built in different tasks are merged together. The basis
 * of {@code combineByKey} and of everything built on it (reduceByKey, aggregateByKey, groupByKey).
 */
public record Aggregator<K, V, C>(
    Function<V, C> createCombiner, Function2<C, V, C> mergeValue, Function2<C, C, C> mergeCombiners)
    implements Serializable {

  public Aggregator {
    Checks.notNull(createCombiner, "createCombiner");
    Checks.notNull(mergeValue, "mergeValue");
    Checks.notNull(mergeCombiners, "mergeCombiners");
  }
}
