package io.tributary.twitter;

import io.tributary.StorageLevel;
import io.tributary.streaming.StreamingContext;
import java.util.ArrayList;
import java.util.List;
import twitter4j.FilterQuery;
import twitter4j.Status;
import twitter4j.auth.AccessToken;
import twitter4j.auth.Authorization;
import twitter4j.auth.OAuthAuthorization;
import twitter4j.conf.Configuration;
import twitter4j.conf.ConfigurationBuilder;

/**
 * Streams of posts from Twitter / X.
 *
 * <h2>X API v2 filtered stream (current)</h2>
 *
 * <pre>{@code
 * XStreamSettings settings = XStreamSettings.builder(System.getenv("X_BEARER_TOKEN"))
 *     .rule("#spark -is:retweet", "spark").build();
 * TwitterInputDStream<Tweet> tweets = TwitterUtils.createFilteredStreamV2(ssc, settings);
 * }</pre>
 *
 * An app-only bearer token, rules kept on X's side ({@link #addRules}, {@link #listRules},
 * {@link #deleteRules}; the stream adds the settings' rules when it starts), newline-delimited
 * JSON read with the JDK HTTP client, each post a {@link Tweet}. Stalls, errors and rate limits
 * are handled as X asks (see {@link XStreamSettings}).
 *
 * <h2>Twitter v1.1 status streams (twitter4j)</h2>
 *
 * The API of Spark's {@code TwitterUtils}: {@code createStream(ssc[, authorization][, filters][,
 * storageLevel])} and {@code createFilteredStream(ssc, authorization, query, storageLevel)} give
 * {@link Status} objects from {@code statuses/sample} (no filters) or {@code statuses/filter}.
 * Without an authorization, OAuth credentials come from twitter4j's usual configuration
 * ({@code twitter4j.oauth.consumerKey}, {@code .consumerSecret}, {@code .accessToken}, {@code
 * .accessTokenSecret} as system properties or in {@code twitter4j.properties}); the stream base URL
 * from {@code twitter4j.streamBaseURL}, or {@link #createStatusStream} with a twitter4j {@link
 * Configuration}. Twitter retired these v1.1 endpoints in 2023: use them with a compatible
 * service (or a replay of recorded streams), and the v2 stream for X itself.
 *
 * <h2>Guarantees: unreliable by nature</h2>
 *
 * Neither API can replay nor be acknowledged: posts sent while the receiver is disconnected or
 * restarting, and posts still buffered when the process dies, are lost; the write-ahead log
 * cannot change that. Records are stored one by one ({@code store(record)}). Bad input
 * (malformed JSON, bytes that are not UTF-8, oversized lines) is dropped, counted in {@link
 * TwitterInputDStream#stats()} and reported to the listeners; it never stops the stream.
 * Credentials never appear in this connector's log lines, reported errors or exceptions.
 *
 * <p>Loading this class routes twitter4j's own logging to SLF4J (it would print to standard out
 * with SLF4J 2), unless {@code twitter4j.loggerFactory} is already set. At DEBUG, twitter4j logs
 * the OAuth signature base string, which holds the consumer key and access token (never the
 * secrets): keep the {@code twitter4j} logger at INFO or above in production.
 */
public final class TwitterUtils {
  private static final long ERROR_REPORT_INTERVAL_MS = 10_000;

  static {
    if (System.getProperty("twitter4j.loggerFactory") == null) {
      System.setProperty("twitter4j.loggerFactory", "twitter4j.SLF4JLoggerFactory");
    }
  }

  private TwitterUtils() {}

  // ---------------------------------------------------------------- X API v2

  /** The X API v2 filtered stream, stored at {@code MEMORY_AND_DISK_SER_2}. */
  public static TwitterInputDStream<Tweet> createFilteredStreamV2(StreamingContext ssc, XStreamSettings settings) {
    return createFilteredStreamV2(ssc, settings, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /** The X API v2 filtered stream ({@code GET /2/tweets/search/stream}) with the settings' rules. */
  public static TwitterInputDStream<Tweet> createFilteredStreamV2(
      StreamingContext ssc, XStreamSettings settings, StorageLevel storageLevel) {
    notNull(ssc, "ssc");
    notNull(settings, "settings");
    notNull(storageLevel, "storageLevel");
    FilteredStreamReceiver receiver = new FilteredStreamReceiver(settings, storageLevel);
    return new TwitterInputDStream<>(ssc, receiver, receiver::stats);
  }

  /** The rules of the filtered stream of the settings' project. Throws {@link XApiException} on failure. */
  public static List<StreamRule> listRules(XStreamSettings settings) {
    return new XApiClient(notNull(settings, "settings")).listRules();
  }

  /** Adds rules; returns those created, with their ids (rules that exist already are skipped by X). */
  public static List<StreamRule> addRules(XStreamSettings settings, List<StreamRule> rules) {
    notNull(rules, "rules");
    return new XApiClient(notNull(settings, "settings")).addRules(rules);
  }

  /** Deletes the rules with the given ids. */
  public static void deleteRules(XStreamSettings settings, List<String> ids) {
    notNull(ids, "ids");
    new XApiClient(notNull(settings, "settings")).deleteRules(ids);
  }

  // ---------------------------------------------------------------- v1.1 through twitter4j

  /** Sample stream, OAuth from twitter4j's configuration, at {@code MEMORY_AND_DISK_SER_2}. */
  public static TwitterInputDStream<Status> createStream(StreamingContext ssc) {
    requireClient();
    return createStream(ssc, null, new String[0], StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /** Statuses tracking {@code filters} (sample when empty), OAuth from twitter4j's configuration. */
  public static TwitterInputDStream<Status> createStream(StreamingContext ssc, String[] filters) {
    requireClient();
    return createStream(ssc, null, filters, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  public static TwitterInputDStream<Status> createStream(
      StreamingContext ssc, String[] filters, StorageLevel storageLevel) {
    requireClient();
    return createStream(ssc, null, filters, storageLevel);
  }

  /** Sample stream with the given authorization (null: twitter4j's configuration). */
  public static TwitterInputDStream<Status> createStream(StreamingContext ssc, Authorization authorization) {
    requireClient();
    return createStream(ssc, authorization, new String[0], StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  public static TwitterInputDStream<Status> createStream(
      StreamingContext ssc, Authorization authorization, String[] filters) {
    requireClient();
    return createStream(ssc, authorization, filters, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /**
   * Statuses tracking {@code filters} ({@code FilterQuery.track}; the sample stream when there are
   * none), with the given authorization (null: OAuth from twitter4j's configuration).
   */
  public static TwitterInputDStream<Status> createStream(
      StreamingContext ssc, Authorization authorization, String[] filters, StorageLevel storageLevel) {
    requireClient();
    notNull(filters, "filters");
    List<String> tracks = new ArrayList<>();
    for (String f : filters) {
      if (f == null || f.isBlank()) {
        throw new IllegalArgumentException("filters must not contain null or blank terms");
      }
      tracks.add(f);
    }
    FilterQuery query = tracks.isEmpty() ? null : new FilterQuery().track(tracks.toArray(new String[0]));
    return createFilteredStream(ssc, authorization, query, storageLevel);
  }

  /**
   * Statuses matching {@code query} ({@code statuses/filter}; {@code statuses/sample} when null),
   * with the given authorization (null: OAuth from twitter4j's configuration).
   */
  public static TwitterInputDStream<Status> createFilteredStream(
      StreamingContext ssc, Authorization authorization, FilterQuery query, StorageLevel storageLevel) {
    requireClient();
    return createStatusStream(ssc, new ConfigurationBuilder().build(), authorization, query, storageLevel);
  }

  /**
   * Statuses matching {@code query} (sample when null) with everything from a twitter4j {@link
   * Configuration}: OAuth (unless {@code authorization} is given), {@code streamBaseURL}, proxy,
   * timeouts ({@code httpStreamingReadTimeout} is the stall timeout).
   */
  public static TwitterInputDStream<Status> createStatusStream(
      StreamingContext ssc, Configuration configuration, Authorization authorization, FilterQuery query,
      StorageLevel storageLevel) {
    requireClient();
    notNull(ssc, "ssc");
    notNull(configuration, "configuration");
    notNull(storageLevel, "storageLevel");
    if (authorization == null) {
      checkOAuth(configuration);
    } else if (!authorization.isEnabled()) {
      throw new IllegalArgumentException(
          "The authorization given is not enabled (it lacks credentials): Twitter streams need OAuth 1.0a "
              + "user credentials (consumer key and secret, access token and secret)");
    }
    StatusReceiver receiver =
        new StatusReceiver(configuration, authorization, query, ERROR_REPORT_INTERVAL_MS, storageLevel);
    return new TwitterInputDStream<>(ssc, receiver, receiver::stats);
  }

  /** An OAuth 1.0a user authorization from its four strings. */
  public static Authorization oauth(
      String consumerKey, String consumerSecret, String accessToken, String accessTokenSecret) {
    List<String> missing = new ArrayList<>();
    if (consumerKey == null || consumerKey.isBlank()) {
      missing.add("consumerKey");
    }
    if (consumerSecret == null || consumerSecret.isBlank()) {
      missing.add("consumerSecret");
    }
    if (accessToken == null || accessToken.isBlank()) {
      missing.add("accessToken");
    }
    if (accessTokenSecret == null || accessTokenSecret.isBlank()) {
      missing.add("accessTokenSecret");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("OAuth credentials missing: " + String.join(", ", missing));
    }
    OAuthAuthorization auth = new OAuthAuthorization(new ConfigurationBuilder().build());
    auth.setOAuthConsumer(consumerKey, consumerSecret);
    auth.setOAuthAccessToken(new AccessToken(accessToken, accessTokenSecret));
    return auth;
  }

  private static void checkOAuth(Configuration c) {
    List<String> missing = new ArrayList<>();
    if (blank(c.getOAuthConsumerKey())) {
      missing.add("twitter4j.oauth.consumerKey");
    }
    if (blank(c.getOAuthConsumerSecret())) {
      missing.add("twitter4j.oauth.consumerSecret");
    }
    if (blank(c.getOAuthAccessToken())) {
      missing.add("twitter4j.oauth.accessToken");
    }
    if (blank(c.getOAuthAccessTokenSecret())) {
      missing.add("twitter4j.oauth.accessTokenSecret");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "No Twitter OAuth credentials: pass an Authorization (e.g. TwitterUtils.oauth(...)), or set "
              + String.join(", ", missing) + " (system properties or twitter4j.properties)");
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** A missing client jar fails here, naming it, instead of with a NoClassDefFoundError later. */
  private static void requireClient() {
    io.tributary.ClassPath.require(TwitterUtils.class, "twitter4j.TwitterStream", "org.twitter4j:twitter4j-stream (4.0.7)", "tributary-twitter (its v1.1 streams)");
  }
}
