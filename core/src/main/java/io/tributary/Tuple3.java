package io.tributary;

import java.io.Serializable;

/**
 * A triple, shaped like Scala's {@code Tuple3} so ported Spark code that calls {@code _1()},
 * {@code _2()} and {@code _3()} compiles unchanged. Prints as {@code (a,b,c)}.
 */
public record Tuple3<A, B, C>(A _1, B _2, C _3) implements Serializable {

  /** Same as the constructor. */
  public static <A, B, C> Tuple3<A, B, C> of(A a, B b, C c) {
    return new Tuple3<>(a, b, c);
  }

  @Override
  public String toString() {
    return "(" + _1 + "," + _2 + "," + _3 + ")";
  }
}
