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
}
