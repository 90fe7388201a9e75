package io.tributary;

/** Factories for {@link Duration}: {@code Durations.seconds(1)}. */
public final class Durations {
  private Durations() {}

  public static Duration milliseconds(long ms) {
    return new Duration(ms);
  }

  public static Duration seconds(long seconds) {
    return new Duration(Math.multiplyExact(seconds, 1000L));
  }

  public static Duration minutes(long minutes) {
    return new Duration(Math.multiplyExact(minutes, 60_000L));
  }

  /**
   * Parses {@code 200ms}, {@code 2s}, {@code 1min}, {@code 1h} or a bare number of milliseconds.
   * Fails naming the text and the accepted forms (or what else is wrong: negative, too long).
   */
  public static Duration parse(String text) {
    io.tributary.internal.Checks.notNull(text, "duration text");
    String t = text.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return milliseconds(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("min")) {
        return minutes(Long.parseLong(t.substring(0, t.length() - 3).trim()));
      }
      if (t.endsWith("s")) {
        return seconds(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("m")) {
        return minutes(Long.parseLong(t.substring(0, t.length() - 1).trim()));
      }
      if (t.endsWith("h")) {
        return minutes(Math.multiplyExact(60L, Long.parseLong(t.substring(0, t.length() - 1).trim())));
      }
      return milliseconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Cannot read '" + text + "' as a duration: use a whole number with ms, s, min or h "
              + "(e.g. 200ms, 2s, 1min), or a bare number of milliseconds");
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "Cannot read '" + text + "' as a duration: too long to count in milliseconds "
              + "(durations are written like e.g. 200ms, 2s, 1min)");
    } catch (IllegalArgumentException e) { // a negative duration
      throw new IllegalArgumentException("Cannot read '" + text + "' as a duration: " + e.getMessage());
    }
  }
}
