package io.tributary.twitter;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps credentials out of every message and exception this connector logs or reports: each known
 * secret (token, key, secret) is replaced by {@code [redacted]} wherever it appears, and
 * exceptions are copied with their messages redacted (stack traces kept).
 */
final class Redactor implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String MASK = "[redacted]";

  private final List<String> secrets = new ArrayList<>();

  public Redactor(String... secrets) {
    for (String s : secrets) {
      if (s != null && s.length() >= 4) {   // shorter strings would mask ordinary text
        this.secrets.add(s);
      }
    }
    this.secrets.sort((a, b) -> b.length() - a.length());   // longest first: a secret may contain another
  }

  public String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** A copy of {@code error} and its causes with redacted messages, or null for null. */
  public Throwable redact(Throwable error) {
    if (error == null) {
      return null;
    }
    Throwable cause = error.getCause() == error ? null : redact(error.getCause());
    String message = error.getMessage() == null
        ? error.getClass().getName()
        : error.getClass().getName() + ": " + redact(error.getMessage());
    Redacted copy = new Redacted(message, cause);
    copy.setStackTrace(error.getStackTrace());
    return copy;
  }

  /** An exception standing for another whose message held credentials; prints like the original. */
  static final class Redacted extends Exception {
    private static final long serialVersionUID = 1L;

    Redacted(String message, Throwable cause) {
      super(message, cause, false, true);
    }

    @Override
    public String toString() {
      return getMessage();
    }
  }
}
