package io.tributary.internal;

/** Argument checks shared by the public API, each failing with a message naming the argument. */
public final class Checks {
  private Checks() {}

  /** Fails with "{@code name} must not be null" when {@code value} is null. */
  public static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** Fails when {@code value} is below 1, naming it. */
  public static int positive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
    return value;
  }
}
