package io.tributary.twitter;

import static io.tributary.twitter.FakeTwitterServer.cut;
import static io.tributary.twitter.FakeTwitterServer.line;
import static io.tributary.twitter.FakeTwitterServer.recordedV1;
import static io.tributary.twitter.FakeTwitterServer.status;
import static io.tributary.twitter.FakeTwitterServer.stream;
import static io.tributary.twitter.TwitterStatusStreamTest.ACCESS_TOKEN;
import static io.tributary.twitter.TwitterStatusStreamTest.ACCESS_TOKEN_SECRET;
import static io.tributary.twitter.TwitterStatusStreamTest.CONSUMER_KEY;
import static io.tributary.twitter.TwitterStatusStreamTest.CONSUMER_SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import twitter4j.conf.ConfigurationBuilder;

/**
 * Everything the connector logs (and twitter4j at INFO), every error it reports to the listeners
 * (messages and stack traces) and every exception it throws, through connection errors, bad input
 * and authentication failures, holds none of the credentials.
 */
class CredentialsNeverLeakTest {
  private static final String BEARER = "AAAAAAAAAAAAAAAAAAAAAsecretBearer5f4e3d2c1b0a";
  private static final String WRONG_BEARER = "AAAAAAAAAAAAAAAAAAAAAwrongBearer0a1b2c3d4e5f";

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;
  private PrintStream originalOut;
  private FakeTwitterServer server;
  private Harness h;

  @BeforeEach
  void capture() {
    originalErr = System.err;
    originalOut = System.out;
    System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
    System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
    server = new FakeTwitterServer(BEARER);
    h = new Harness();
  }

  @AfterEach
  void restore() {
    try {
      h.close();
      server.close();
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }
  }

  @Test
  void noCredentialAppearsInLogsReportsOrExceptions() {
    server.scriptV1(
        stream(line(recordedV1().get(0)), line("{\"text\":\"broken"), cut()),
        status(401, Map.of(), "{\"errors\":[{\"code\":32,\"message\":\"Could not authenticate you.\"}]}"));
    h.driver.collect(TwitterUtils.createStatusStream(h.driver.context(), new ConfigurationBuilder()
            .setOAuthConsumerKey(CONSUMER_KEY).setOAuthConsumerSecret(CONSUMER_SECRET)
            .setOAuthAccessToken(ACCESS_TOKEN).setOAuthAccessTokenSecret(ACCESS_TOKEN_SECRET)
            .setStreamBaseURL(server.v1StreamBaseUrl()).build(),
        null, null, StorageLevel.MEMORY_ONLY));
    // a v2 stream whose token the server refuses, echoing it back in the 401
    h.driver.collect(TwitterUtils.createFilteredStreamV2(h.driver.context(),
        XStreamSettings.builder(WRONG_BEARER).baseUrl(server.baseUrl()).rule("#x", "x").build(),
        StorageLevel.MEMORY_ONLY));
    h.driver.start();

    await().atMost(Duration.ofSeconds(20)).until(() ->
        h.errors.stream().anyMatch(e -> e.contains("HTTP 401"))             // v1.1, after the cut
            && h.errors.stream().anyMatch(e -> e.contains("could not read")) // v1.1 bad input
            && h.stops.stream().anyMatch(e -> e.contains("HTTP 401")));     // v2, stopped for good
    List<String> thrown = new ArrayList<>();
    try {
      TwitterUtils.addRules(XStreamSettings.builder(WRONG_BEARER).baseUrl(server.baseUrl()).build(),
          List.of(StreamRule.of("#y")));
    } catch (XApiException e) {
      thrown.add(e.toString());
    }
    h.driver.close();

    String everything = String.join("\n", h.errors) + String.join("\n", h.stops) + String.join("\n", h.errorTraces)
        + String.join("\n", thrown) + captured.toString(StandardCharsets.UTF_8);
    assertThat(everything).contains("HTTP 401").contains("[redacted]");
    for (String secret : List.of(CONSUMER_KEY, CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET, BEARER, WRONG_BEARER)) {
      assertThat(everything).as("output holding " + secret).doesNotContain(secret);
    }
  }

  /** Writes to the original stream and to a buffer. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws java.io.IOException {
      a.write(c);
      synchronized (b) {
        b.write(c);
      }
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws java.io.IOException {
      a.write(bytes, off, len);
      synchronized (b) {
        b.write(bytes, off, len);
      }
    }
  }
}
