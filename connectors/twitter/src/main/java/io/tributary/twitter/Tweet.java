package io.tributary.twitter;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/**
 * One post of the X API v2 filtered stream: the fields most pipelines use, plus the whole JSON line
 * for anything else ({@code includes}, metrics, ...). Immutable.
 *
 * @param id the post id (v2 ids are strings)
 * @param text the text
 * @param authorId the author's user id, when {@code author_id} was requested (it is by default); else null
 * @param createdAt when it was posted, when {@code created_at} was requested (it is by default); else null
 * @param lang the detected language, when {@code lang} was requested (it is by default); else null
 * @param hashtags the hashtags without '#', when {@code entities} was requested (it is by default)
 * @param matchingRules the filter rules this post matched
 * @param json the JSON line as received
 */
public record Tweet(
    String id,
    String text,
    String authorId,
    Instant createdAt,
    String lang,
    List<String> hashtags,
    List<MatchingRule> matchingRules,
    String json)
    implements Serializable {

  public Tweet {
    hashtags = List.copyOf(hashtags);
    matchingRules = List.copyOf(matchingRules);
  }

  /** A rule a post matched: its id and tag (null when the rule has none). */
  public record MatchingRule(String id, String tag) implements Serializable {}

  @Override
  public String toString() {
    return "Tweet{id=" + id + ", authorId=" + authorId + ", createdAt=" + createdAt + ", text=" + text + "}";
  }
}
