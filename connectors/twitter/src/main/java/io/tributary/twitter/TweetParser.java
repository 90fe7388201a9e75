package io.tributary.twitter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import twitter4j.JSONArray;
import twitter4j.JSONObject;

/** Reads one line of the X API v2 filtered stream. */
final class TweetParser {
  private TweetParser() {}

  /** What a line was: a post, an error object from X, or something that is neither. */
  sealed interface Parsed permits Post, StreamError {}

  record Post(Tweet tweet) implements Parsed {}

  record StreamError(String description) implements Parsed {}

  /** Thrown for a line that is not a post nor an error object. */
  static final class MalformedLine extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedLine(String message, Throwable cause) {
      super(message, cause);
    }
  }

  static Parsed parse(String line) throws MalformedLine {
    JSONObject o;
    try {
      o = new JSONObject(line);
    } catch (RuntimeException e) {
      throw new MalformedLine("not a JSON object (" + e.getMessage() + ")", e);
    }
    JSONObject data = o.optJSONObject("data");
    if (data == null) {
      JSONArray errors = o.optJSONArray("errors");
      if (errors != null) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < errors.length(); i++) {
          JSONObject e = errors.optJSONObject(i);
          texts.add(e == null ? String.valueOf(errors.opt(i)) : XApiClient.errorText(e));
        }
        return new StreamError(String.join("; ", texts));
      }
      throw new MalformedLine("a JSON object with neither 'data' nor 'errors'", null);
    }
    String id = XApiClient.str(data, "id");
    String text = XApiClient.str(data, "text");
    if (id == null || text == null) {
      throw new MalformedLine("a post without " + (id == null ? "'id'" : "'text'"), null);
    }
    Instant createdAt = null;
    String created = XApiClient.str(data, "created_at");
    if (created != null) {
      try {
        createdAt = Instant.parse(created);
      } catch (DateTimeParseException e) {
        throw new MalformedLine("a post whose created_at '" + created + "' is not an ISO-8601 instant", e);
      }
    }
    List<String> hashtags = new ArrayList<>();
    JSONObject entities = data.optJSONObject("entities");
    JSONArray tags = entities == null ? null : entities.optJSONArray("hashtags");
    if (tags != null) {
      for (int i = 0; i < tags.length(); i++) {
        String tag = XApiClient.str(tags.optJSONObject(i), "tag");
        if (tag != null) {
          hashtags.add(tag);
        }
      }
    }
    List<Tweet.MatchingRule> rules = new ArrayList<>();
    JSONArray matching = o.optJSONArray("matching_rules");
    if (matching != null) {
      for (int i = 0; i < matching.length(); i++) {
        JSONObject r = matching.optJSONObject(i);
        if (r != null) {
          rules.add(new Tweet.MatchingRule(XApiClient.str(r, "id"), XApiClient.str(r, "tag")));
        }
      }
    }
    return new Post(new Tweet(id, text, XApiClient.str(data, "author_id"), createdAt, XApiClient.str(data, "lang"),
        hashtags, rules, line));
  }
}
