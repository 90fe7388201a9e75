package io.tributary.twitter;

import java.io.Serializable;

/**
 * A filtered-stream rule of the X API v2: a query such as {@code "#spark lang:en -is:retweet"}
 * and an optional tag that comes back with every post it matches. The id is set by X (null for a
 * rule not created yet).
 */
public record StreamRule(String id, String value, String tag) implements Serializable {
  public StreamRule {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("A stream rule needs a non-blank value (the query), got " + value);
    }
  }

  /** A rule to create, with a tag (may be null). */
  public static StreamRule of(String value, String tag) {
    return new StreamRule(null, value, tag);
  }

  /** A rule to create, without a tag. */
  public static StreamRule of(String value) {
    return new StreamRule(null, value, null);
  }
}
