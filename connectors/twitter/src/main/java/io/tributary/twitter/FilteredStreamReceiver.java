package io.tributary.twitter;

import io.tributary.streaming.receiver.BadInputReporter;
import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X API v2 filtered stream on a thread of its own: makes sure the configured rules exist,
 * opens {@code GET /2/tweets/search/stream}, reads newline-delimited JSON and stores each post
 * ({@code store(record)}: the stream cannot replay, so it is unreliable by nature).
 *
 * <p>Reconnects as X asks streaming clients to: a stream that ends or breaks is opened again after
 * a linear network back-off; a stalled one (nothing, not even the keep-alive newline, within the
 * stall timeout) is dropped by a watchdog and opened again; 5xx and unexpected statuses back off
 * exponentially; 429 backs off exponentially from a minute and at least until the announced reset.
 * Statuses no retry can fix (400, 401, 403, 404, 410) stop the receiver with X's explanation.
 * Malformed, undecodable and oversized lines are dropped, counted and reported.
 */
final class FilteredStreamReceiver extends Receiver<Tweet> {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FilteredStreamReceiver.class);
  private static final Set<Integer> FATAL = Set.of(400, 401, 403, 404, 410);

  private final XStreamSettings settings;
  private final Counters counters = new Counters();
  private final BadInputReporter badInput;

  private transient volatile Thread thread;
  private transient volatile CountDownLatch stopping;
  private transient volatile InputStream body;
  private transient volatile long lastActivityNanos;
  private transient volatile boolean stalled;
  private transient ScheduledExecutorService watchdog;
  private transient Redactor redactor;

  public FilteredStreamReceiver(XStreamSettings settings, StorageLevel level) {
    super(level);
    this.settings = settings;
    this.badInput = new BadInputReporter(settings.errorReportInterval().toMillis());
  }

  public TwitterStats stats() {
    return counters.snapshot();
  }

  @Override
  public void onStart() {
    stopping = new CountDownLatch(1);
    long checkMs = Math.max(10, Math.min(1000, settings.stallTimeout().toMillis() / 4));
    watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "x-stream-watchdog-" + streamId());
      t.setDaemon(true);
      return t;
    });
    watchdog.scheduleWithFixedDelay(this::checkStall, checkMs, checkMs, TimeUnit.MILLISECONDS);
    Thread t = new Thread(this::run, "x-filtered-stream-" + streamId());
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  @Override
  public void onStop() {
    CountDownLatch s = stopping;
    if (s != null) {
      s.countDown();
    }
    closeBody();
    Thread t = thread;
    thread = null;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();   // ends a connect or a back-off wait at once
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (watchdog != null) {
      watchdog.shutdownNow();
      watchdog = null;
    }
  }

  private boolean stopRequested() {
    CountDownLatch s = stopping;
    return isStopped() || s == null || s.getCount() == 0;
  }

  private void run() {
    XApiClient client = new XApiClient(settings);
    redactor = client.redactor();
    Backoff backoff = new Backoff(settings);
    boolean rulesReady = settings.rules().isEmpty();
    while (!stopRequested()) {
      long waitMs;
      try {
        if (!rulesReady) {
          var added = client.ensureRules(settings.rules());
          rulesReady = true;
          if (!added.isEmpty()) {
            LOG.info("X filtered stream {}: added rules {}", streamId(), added);
          }
        }
        waitMs = connectAndRead(client, backoff);
      } catch (XApiException e) {
        if (FATAL.contains(e.statusCode()) || e.statusCode() == 200) {
          stopFor("X filtered stream: " + e.getMessage() + "; retrying cannot fix this, the receiver stops", e);
          return;
        }
        if (e.statusCode() == 429) {
          counters.rateLimited.incrementAndGet();
        }
        waitMs = e.statusCode() == 429 ? backoff.rateLimited(Optional.empty())
            : e.statusCode() < 0 ? backoff.networkError() : backoff.httpError();
        report(e.getMessage() + "; retrying in " + waitMs + " ms", e);
      } catch (Fatal e) {
        stopFor(e.getMessage(), new XApiException(e.getMessage(), e.status, null));
        return;
      } catch (RuntimeException e) {
        waitMs = backoff.networkError();
        report("X filtered stream failed unexpectedly (" + e + "); retrying in " + waitMs + " ms", e);
      }
      if (waitMs > 0) {
        try {
          if (stopping.await(waitMs, TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** A status no retry can fix. */
  private static final class Fatal extends Exception {
    private static final long serialVersionUID = 1L;
    final int status;

    Fatal(String message, int status) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /** Connects, reads until the stream ends; returns how long to wait before the next attempt. */
  private long connectAndRead(XApiClient client, Backoff backoff) throws Fatal {
    HttpResponse<InputStream> response;
    try {
      response = client.openStream();
    } catch (IOException e) {
      long wait = backoff.networkError();
      report("Could not connect to the X filtered stream at " + settings.baseUrl() + " (" + e + "); retrying in "
          + wait + " ms", e);
      return wait;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
    int status = response.statusCode();
    if (status != 200) {
      String description = client.describe(status, readSome(response.body()));
      if (FATAL.contains(status)) {
        throw new Fatal("X filtered stream refused the connection: " + description
            + "; retrying cannot fix this (check the bearer token, the project's access and the fields asked for), "
            + "the receiver stops", status);
      }
      long wait;
      if (status == 429) {
        counters.rateLimited.incrementAndGet();
        wait = backoff.rateLimited(resetDelay(response));
      } else {
        wait = backoff.httpError();
      }
      report("X filtered stream answered " + description + "; retrying in " + wait + " ms", null);
      return wait;
    }
    counters.connects.incrementAndGet();
    LOG.info("X filtered stream {} connected to {}", streamId(), settings.baseUrl());
    stalled = false;
    lastActivityNanos = System.nanoTime();
    body = response.body();
    boolean receivedAny = false;
    try (InputStream in = body) {
      if (stopRequested()) {
        return 0;
      }
      LineReader lines = new LineReader(in, settings.maxLineBytes());
      for (byte[] line; (line = lines.next()) != null; ) {
        lastActivityNanos = System.nanoTime();
        if (!receivedAny) {
          receivedAny = true;
          backoff.connected();
        }
        if (line == LineReader.OVERSIZED) {
          counters.oversized.incrementAndGet();
          report("Dropped a line of " + lines.lastOversizedBytes() + " bytes from the X filtered stream: longer than "
              + "maxLineBytes = " + settings.maxLineBytes(), null, true);
        } else if (line.length > 0) {
          handle(line);
        }
        if (stopRequested()) {
          return 0;
        }
      }
      if (stopRequested()) {
        return 0;
      }
      counters.disconnects.incrementAndGet();
      long wait = backoff.networkError();
      LOG.info("X filtered stream {}: the server ended the stream; reconnecting in {} ms", streamId(), wait);
      return wait;
    } catch (IOException e) {
      if (stopRequested()) {
        return 0;
      }
      counters.disconnects.incrementAndGet();
      long wait = backoff.networkError();
      if (stalled) {
        counters.stalls.incrementAndGet();
        report("X filtered stream stalled: nothing arrived, not even a keep-alive, for "
            + settings.stallTimeout().toMillis() + " ms; reconnecting in " + wait + " ms", null);
      } else {
        report("X filtered stream broke (" + e + "); reconnecting in " + wait + " ms", e);
      }
      return wait;
    } finally {
      body = null;
    }
  }

  private void handle(byte[] line) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(line))
          .toString();
    } catch (CharacterCodingException e) {
      counters.malformed.incrementAndGet();
      report("Dropped a line of " + line.length + " bytes from the X filtered stream: not valid UTF-8", null, true);
      return;
    }
    if (text.isBlank()) {
      return;   // a keep-alive
    }
    TweetParser.Parsed parsed;
    try {
      parsed = TweetParser.parse(text);
    } catch (TweetParser.MalformedLine e) {
      counters.malformed.incrementAndGet();
      report("Dropped a malformed line from the X filtered stream: " + e.getMessage() + ": " + excerpt(text), null, true);
      return;
    }
    if (parsed instanceof TweetParser.Post post) {
      counters.stored.incrementAndGet();
      store(post.tweet());
    } else if (parsed instanceof TweetParser.StreamError error) {
      counters.streamErrors.incrementAndGet();
      report("The X filtered stream sent an error: " + error.description(), null);
    }
  }

  private void checkStall() {
    InputStream b = body;
    if (b != null && System.nanoTime() - lastActivityNanos > settings.stallTimeout().toNanos()) {
      stalled = true;
      LOG.info("X filtered stream {}: nothing received for {} ms, dropping the connection", streamId(),
          settings.stallTimeout().toMillis());
      closeBody();
    }
  }

  private void closeBody() {
    InputStream b = body;
    if (b != null) {
      try {
        b.close();
      } catch (IOException ignored) {
        // closing to end the read
      }
    }
  }

  /** How long the response asks to wait: {@code x-rate-limit-reset} (epoch seconds) or {@code Retry-After} (seconds). */
  private static Optional<Duration> resetDelay(HttpResponse<?> response) {
    Optional<String> reset = response.headers().firstValue("x-rate-limit-reset");
    try {
      if (reset.isPresent()) {
        long epochMs = Long.parseLong(reset.get().trim()) * 1000;
        return Optional.of(Duration.ofMillis(Math.max(0, epochMs - System.currentTimeMillis())));
      }
      Optional<String> retryAfter = response.headers().firstValue("retry-after");
      if (retryAfter.isPresent()) {
        return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.get().trim()))));
      }
    } catch (NumberFormatException ignored) {
      // an unreadable header: fall back to the back-off alone
    }
    return Optional.empty();
  }

  private static String readSome(InputStream in) {
    try (in) {
      return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String excerpt(String line) {
    return line.length() <= 120 ? line : line.substring(0, 120) + "...";
  }

  private void report(String message, Throwable error) {
    report(message, error, false);
  }

  private void report(String message, Throwable error, boolean badInputReport) {
    if (stopRequested()) {
      return;
    }
    Redactor r = redactor;
    String text = r == null ? message : r.redact(message);
    Throwable cause = r == null ? error : r.redact(error);
    if (badInputReport) {
      badInput.report(this, text, cause);
    } else {
      reportError(text, cause);
    }
  }

  private void stopFor(String message, Throwable error) {
    Redactor r = redactor;
    stop(r == null ? message : r.redact(message), r == null ? error : r.redact(error));
  }
}
