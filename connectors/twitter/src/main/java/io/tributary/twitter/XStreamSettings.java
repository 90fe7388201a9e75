package io.tributary.twitter;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How to reach the X API v2 filtered stream: the bearer token, the rules the stream needs, the
 * fields to ask for, and how to react to stalls, errors and rate limits. Immutable; made with
 * {@link #builder(String)}, which checks everything in {@code build()} and names the option at fault.
 *
 * <pre>{@code
 * XStreamSettings settings = XStreamSettings.builder(System.getenv("X_BEARER_TOKEN"))
 *     .rule("#spark -is:retweet", "spark")
 *     .build();
 * }</pre>
 *
 * <p>The defaults follow X's guidance for streaming clients: a stream is stalled when nothing,
 * not even the keep-alive newline X sends every 20 s, arrived for 30 s; network errors back off
 * linearly by 250 ms up to 16 s; HTTP errors back off exponentially from 5 s up to 320 s; a 429
 * (rate limited, e.g. too many connections) waits exponentially from 1 min, and at least until
 * the time in the response's {@code x-rate-limit-reset} or {@code Retry-After} header.
 *
 * <p>{@link #toString()} never shows the token.
 */
public final class XStreamSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The X API host. */
  public static final String DEFAULT_BASE_URL = "https://api.x.com";
  /** Tweet fields asked for unless {@link Builder#tweetFields} says otherwise. */
  public static final List<String> DEFAULT_TWEET_FIELDS = List.of("created_at", "lang", "author_id", "entities");

  private final String bearerToken;
  private final String baseUrl;
  private final List<StreamRule> rules;
  private final List<String> tweetFields;
  private final List<String> expansions;
  private final Duration stallTimeout;
  private final Duration connectTimeout;
  private final Duration networkBackoffStep;
  private final Duration networkBackoffMax;
  private final Duration httpBackoffInitial;
  private final Duration httpBackoffMax;
  private final Duration rateLimitBackoffInitial;
  private final Duration rateLimitBackoffMax;
  private final int maxLineBytes;
  private final Duration errorReportInterval;

  private XStreamSettings(Builder b) {
    this.bearerToken = b.bearerToken;
    this.baseUrl = b.baseUrl;
    this.rules = List.copyOf(b.rules);
    this.tweetFields = List.copyOf(b.tweetFields);
    this.expansions = List.copyOf(b.expansions);
    this.stallTimeout = b.stallTimeout;
    this.connectTimeout = b.connectTimeout;
    this.networkBackoffStep = b.networkBackoffStep;
    this.networkBackoffMax = b.networkBackoffMax;
    this.httpBackoffInitial = b.httpBackoffInitial;
    this.httpBackoffMax = b.httpBackoffMax;
    this.rateLimitBackoffInitial = b.rateLimitBackoffInitial;
    this.rateLimitBackoffMax = b.rateLimitBackoffMax;
    this.maxLineBytes = b.maxLineBytes;
    this.errorReportInterval = b.errorReportInterval;
  }

  /** Settings with the given app-only bearer token (never logged, never in a message). */
  public static Builder builder(String bearerToken) {
    return new Builder(bearerToken);
  }

  /** The bearer token, for the HTTP {@code Authorization} header. */
  public String bearerToken() {
    return bearerToken;
  }

  /** Scheme, host and port of the API, without a trailing slash (default {@value #DEFAULT_BASE_URL}). */
  public String baseUrl() {
    return baseUrl;
  }

  /** Rules the stream adds when it starts, unless a rule with the same value and tag exists. */
  public List<StreamRule> rules() {
    return rules;
  }

  public List<String> tweetFields() {
    return tweetFields;
  }

  public List<String> expansions() {
    return expansions;
  }

  public Duration stallTimeout() {
    return stallTimeout;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration networkBackoffStep() {
    return networkBackoffStep;
  }

  public Duration networkBackoffMax() {
    return networkBackoffMax;
  }

  public Duration httpBackoffInitial() {
    return httpBackoffInitial;
  }

  public Duration httpBackoffMax() {
    return httpBackoffMax;
  }

  public Duration rateLimitBackoffInitial() {
    return rateLimitBackoffInitial;
  }

  public Duration rateLimitBackoffMax() {
    return rateLimitBackoffMax;
  }

  public int maxLineBytes() {
    return maxLineBytes;
  }

  public Duration errorReportInterval() {
    return errorReportInterval;
  }

  @Override
  public String toString() {
    return "XStreamSettings{baseUrl=" + baseUrl + ", bearerToken=[redacted], rules=" + rules + ", tweetFields="
        + tweetFields + ", expansions=" + expansions + ", stallTimeout=" + stallTimeout + "}";
  }

  /** Builds {@link XStreamSettings}; every setter may be called in any order, {@link #build()} checks. */
  public static final class Builder {
    private final String bearerToken;
    private String baseUrl = DEFAULT_BASE_URL;
    private final List<StreamRule> rules = new ArrayList<>();
    private List<String> tweetFields = DEFAULT_TWEET_FIELDS;
    private List<String> expansions = List.of();
    private Duration stallTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration networkBackoffStep = Duration.ofMillis(250);
    private Duration networkBackoffMax = Duration.ofSeconds(16);
    private Duration httpBackoffInitial = Duration.ofSeconds(5);
    private Duration httpBackoffMax = Duration.ofSeconds(320);
    private Duration rateLimitBackoffInitial = Duration.ofMinutes(1);
    private Duration rateLimitBackoffMax = Duration.ofMinutes(16);
    private int maxLineBytes = 1 << 20;
    private Duration errorReportInterval = Duration.ofSeconds(10);

    private Builder(String bearerToken) {
      this.bearerToken = bearerToken;
    }

    /** Where the API is, e.g. {@code https://api.x.com} (the default) or a local test server. */
    public Builder baseUrl(String baseUrl) {
      this.baseUrl = baseUrl;
      return this;
    }

    /** Adds a rule the stream makes sure exists when it starts. */
    public Builder rule(String value, String tag) {
      this.rules.add(StreamRule.of(value, tag));
      return this;
    }

    public Builder rules(List<StreamRule> rules) {
      if (rules == null) {
        throw new IllegalArgumentException("rules must not be null");
      }
      this.rules.addAll(rules);
      return this;
    }

    /** The {@code tweet.fields} to ask for; default {@link #DEFAULT_TWEET_FIELDS}. */
    public Builder tweetFields(String... fields) {
      this.tweetFields = fields == null ? null : Arrays.asList(fields);
      return this;
    }

    /** The {@code expansions} to ask for (their objects arrive in each line's {@code includes}). */
    public Builder expansions(String... expansions) {
      this.expansions = expansions == null ? null : Arrays.asList(expansions);
      return this;
    }

    /** A connection with nothing received (not even a keep-alive) for this long is dropped and made again. */
    public Builder stallTimeout(Duration timeout) {
      this.stallTimeout = timeout;
      return this;
    }

    /** The longest wait for a connection and the response headers. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = timeout;
      return this;
    }

    /** After network errors, wait {@code step}, 2 steps, 3 steps... up to {@code max}. */
    public Builder networkBackoff(Duration step, Duration max) {
      this.networkBackoffStep = step;
      this.networkBackoffMax = max;
      return this;
    }

    /** After HTTP errors (5xx and unexpected statuses), wait {@code initial}, doubling up to {@code max}. */
    public Builder httpBackoff(Duration initial, Duration max) {
      this.httpBackoffInitial = initial;
      this.httpBackoffMax = max;
      return this;
    }

    /** After a 429, wait {@code initial}, doubling up to {@code max}, and at least until the announced reset. */
    public Builder rateLimitBackoff(Duration initial, Duration max) {
      this.rateLimitBackoffInitial = initial;
      this.rateLimitBackoffMax = max;
      return this;
    }

    /** Lines longer than this (in bytes) are dropped and counted as oversized; default 1 MiB. */
    public Builder maxLineBytes(int bytes) {
      this.maxLineBytes = bytes;
      return this;
    }

    /** Bad input is reported at most once per this interval (with the number left out); default 10 s. */
    public Builder errorReportInterval(Duration interval) {
      this.errorReportInterval = interval;
      return this;
    }

    public XStreamSettings build() {
      if (bearerToken == null || bearerToken.isBlank()) {
        throw new IllegalArgumentException(
            "bearerToken must not be empty: pass the app-only bearer token of your X project "
                + "(e.g. System.getenv(\"X_BEARER_TOKEN\"))");
      }
      if (bearerToken.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
        throw new IllegalArgumentException(
            "bearerToken contains whitespace or characters that cannot go into an HTTP header");
      }
      if (baseUrl == null) {
        throw new IllegalArgumentException("baseUrl must not be null");
      }
      try {
        URI uri = new URI(baseUrl);
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new URISyntaxException(baseUrl, "not an http(s) URL with a host");
        }
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException(
            "baseUrl must look like https://api.x.com (scheme, host, optional port), got '" + baseUrl + "'");
      }
      while (baseUrl.endsWith("/")) {
        baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
      }
      if (tweetFields == null || tweetFields.stream().anyMatch(f -> f == null || f.isBlank())) {
        throw new IllegalArgumentException("tweetFields must not be null or contain blank names");
      }
      if (expansions == null || expansions.stream().anyMatch(f -> f == null || f.isBlank())) {
        throw new IllegalArgumentException("expansions must not be null or contain blank names");
      }
      positive(stallTimeout, "stallTimeout");
      positive(connectTimeout, "connectTimeout");
      positive(networkBackoffStep, "networkBackoff step");
      atLeast(networkBackoffMax, networkBackoffStep, "networkBackoff max", "its step");
      positive(httpBackoffInitial, "httpBackoff initial");
      atLeast(httpBackoffMax, httpBackoffInitial, "httpBackoff max", "its initial wait");
      positive(rateLimitBackoffInitial, "rateLimitBackoff initial");
      atLeast(rateLimitBackoffMax, rateLimitBackoffInitial, "rateLimitBackoff max", "its initial wait");
      if (maxLineBytes < 1024) {
        throw new IllegalArgumentException("maxLineBytes must be at least 1024, got " + maxLineBytes);
      }
      if (errorReportInterval == null || errorReportInterval.isNegative()) {
        throw new IllegalArgumentException("errorReportInterval must not be null or negative, got " + errorReportInterval);
      }
      return new XStreamSettings(this);
    }

    private static void positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be a positive duration, got " + d);
      }
    }

    private static void atLeast(Duration d, Duration min, String name, String minName) {
      if (d == null || d.compareTo(min) < 0) {
        throw new IllegalArgumentException(name + " must be at least " + minName + " (" + min + "), got " + d);
      }
    }
  }
}
