package io.tributary.internal;

/**
 * Rethrows a user function's checked exception unchanged, so it reaches the job's failure report
 * with its own type and stack trace instead of being wrapped by the engine.
 */
public final class Sneaky {
  private Sneaky() {}

  public static RuntimeException rethrow(Throwable t) {
    throw Sneaky.<RuntimeException>cast(t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E cast(Throwable t) throws E {
    throw (E) t;
  }
}
