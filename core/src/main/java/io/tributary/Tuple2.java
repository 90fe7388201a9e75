package io.tributary;

import java.io.Serializable;

/**
 * A key-value pair, the element type of every pair stream and pair dataset. Named and shaped like
 * Scala's {@code Tuple2} so ported Spark code that calls {@code _1()} and {@code _2()} compiles
 * unchanged. Prints as {@code (key,value)}.
 */
public record Tuple2<K, V>(K _1, V _2) implements Serializable {

  /** Same as the constructor; reads better in lambdas: {@code w -> Tuple2.of(w, 1)}. */
  public static <K, V> Tuple2<K, V> of(K key, V value) {
    return new Tuple2<>(key, value);
  }

  @Override
  public String toString() {
    return "(" + _1 + "," + _2 + ")";
  }
}
