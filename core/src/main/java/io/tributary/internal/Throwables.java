package io.tributary.internal;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Text of exceptions for reports (listener events, logs). */
public final class Throwables {
  private Throwables() {}

  /** The full stack trace of {@code t}, as {@code printStackTrace} prints it. */
  public static String stackTrace(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  /** The innermost cause of {@code t} ({@code t} itself when it has none), as {@code toString} prints it. */
  public static String rootCause(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.toString();
  }
}
