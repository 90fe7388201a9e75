package io.tributary.twitter;

import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import twitter4j.ConnectionLifeCycleListener;
import twitter4j.FilterQuery;
import twitter4j.JSONException;
import twitter4j.StallWarning;
import twitter4j.Status;
import twitter4j.StatusDeletionNotice;
import twitter4j.StatusListener;
import twitter4j.TwitterException;
import twitter4j.TwitterStream;
import twitter4j.TwitterStreamFactory;
import twitter4j.auth.Authorization;
import twitter4j.conf.Configuration;

/**
 * A Twitter v1.1 status stream through twitter4j: {@code statuses/sample} without a query,
 * {@code statuses/filter} with one. Each status is stored as it arrives ({@code store(record)}:
 * the stream cannot replay, so it is unreliable by nature).
 *
 * <p>twitter4j reconnects by itself, with the back-off Twitter asked for (network errors: 250 ms
 * growing to 16 s; HTTP errors including 420/429 rate limiting: 10 s doubling to 240 s) and drops a
 * stalled connection after {@code http.streamingReadTimeout} (40 s by default). The receiver
 * reports those errors and counts connections; it restarts itself only when twitter4j gives up
 * (403, 406, or an internal error). A line twitter4j cannot read is dropped, counted and reported.
 */
final class StatusReceiver extends Receiver<Status> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(StatusReceiver.class);

  private final Configuration configuration;
  private final Authorization authorization;
  private final FilterQuery query;
  private final Counters counters = new Counters();
  private final BadInputReporter badInput;
  private final Redactor redactor;

  private transient volatile TwitterStream stream;
  private transient volatile boolean stopping;
  private transient volatile Exception lastConnectionError;

  /**
   * @param authorization null to take OAuth credentials from {@code configuration}
   * @param query null for the sample stream
   */
  public StatusReceiver(
      Configuration configuration, Authorization authorization, FilterQuery query, long errorReportIntervalMs,
      StorageLevel level) {
    super(level);
    this.configuration = configuration;
    this.authorization = authorization;
    this.query = query;
    this.badInput = new BadInputReporter(errorReportIntervalMs);
    this.redactor = new Redactor(configuration.getOAuthConsumerKey(), configuration.getOAuthConsumerSecret(),
        configuration.getOAuthAccessToken(), configuration.getOAuthAccessTokenSecret(),
        configuration.getOAuth2AccessToken(), configuration.getPassword());
  }

  public TwitterStats stats() {
    return counters.snapshot();
  }

  @Override
  public void onStart() {
    stopping = false;
    TwitterStreamFactory factory = new TwitterStreamFactory(configuration);
    TwitterStream s = authorization == null ? factory.getInstance() : factory.getInstance(authorization);
    s.addListener(new Listener());
    s.addConnectionLifeCycleListener(new LifeCycle());
    stream = s;
    if (query == null) {
      s.sample();
    } else {
      s.filter(query);
    }
    LOG.info("Twitter receiver {} started: {} at {}", streamId(), query == null ? "statuses/sample" : "statuses/filter",
        configuration.getStreamBaseURL());
  }

  @Override
  public void onStop() {
    stopping = true;
    TwitterStream s = stream;
    stream = null;
    if (s != null) {
      s.cleanUp();
      s.shutdown();
    }
  }

  /** A line twitter4j could not read (as opposed to a connection problem). */
  private static boolean isBadInput(Exception e) {
    if (e instanceof JSONException) {
      return true;
    }
    return e instanceof TwitterException te && !te.isCausedByNetworkIssue() && te.getStatusCode() <= 0
        && !(te.getCause() instanceof java.io.IOException) && !"Stream closed.".equals(te.getMessage());
  }

  private String describe(Exception e) {
    String text = describeFully(e);
    return text != null && text.length() > 300 ? text.substring(0, 300) + "..." : text;
  }

  private String describeFully(Exception e) {
    if (e instanceof TwitterException te && te.getStatusCode() > 0) {
      String text = te.getErrorMessage() != null ? te.getErrorMessage() : firstLine(te.getMessage());
      return "HTTP " + te.getStatusCode() + (text == null ? "" : ": " + text);
    }
    return e.getCause() != null && !(e.getCause() instanceof JSONException)
        ? firstLine(e.getMessage()) + " (" + e.getCause() + ")"
        : firstLine(e.getMessage());
  }

  private static String firstLine(String s) {
    if (s == null) {
      return null;
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private final class Listener implements StatusListener {
    @Override
    public void onStatus(Status status) {
      if (!isStopped()) {
        counters.stored.incrementAndGet();
        store(status);
      }
    }

    @Override
    public void onDeletionNotice(StatusDeletionNotice notice) {
      counters.deletionNotices.incrementAndGet();
    }

    @Override
    public void onTrackLimitationNotice(int numberOfLimitedStatuses) {
      counters.limitNotices.incrementAndGet();
      LOG.debug("Twitter receiver {}: {} statuses matched the filter but were not delivered (track limit)",
          streamId(), numberOfLimitedStatuses);
    }

    @Override
    public void onScrubGeo(long userId, long upToStatusId) {}

    @Override
    public void onStallWarning(StallWarning warning) {
      counters.stallWarnings.incrementAndGet();
      LOG.warn("Twitter receiver {}: stall warning from the server, its queue for us is {}% full: {}", streamId(),
          warning.getPercentFull(), redactor.redact(warning.getMessage()));
    }

    @Override
    public void onException(Exception e) {
      if (stopping || isStopped()) {
        return;
      }
      if (isBadInput(e)) {
        counters.malformed.incrementAndGet();
        badInput.report(StatusReceiver.this, redactor.redact(
            "Dropped a line of the Twitter stream that twitter4j could not read: " + describe(e)), redactor.redact(e));
        return;
      }
      if (e == lastConnectionError) {
        return;   // twitter4j tells its listeners twice about the same failure
      }
      lastConnectionError = e;
      reportError(redactor.redact("Twitter stream connection problem: " + describe(e)
          + "; twitter4j reconnects by itself with back-off"), redactor.redact(e));
    }
  }

  private final class LifeCycle implements ConnectionLifeCycleListener {
    @Override
    public void onConnect() {
      counters.connects.incrementAndGet();
      LOG.info("Twitter receiver {} connected", streamId());
    }

    @Override
    public void onDisconnect() {
      if (!stopping) {
        counters.disconnects.incrementAndGet();
        LOG.info("Twitter receiver {} disconnected; twitter4j reconnects", streamId());
      }
    }

    @Override
    public void onCleanUp() {
      if (!stopping && !isStopped()) {
        Exception last = lastConnectionError;
        restart(redactor.redact("twitter4j gave up on the Twitter stream"
            + (last == null ? "" : " after: " + describe(last)) + "; restarting the receiver"), redactor.redact(last));
      }
    }
  }
}
