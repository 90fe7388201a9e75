package io.tributary.twitter;

import static io.tributary.twitter.FakeTwitterServer.cut;
import static io.tributary.twitter.FakeTwitterServer.keepAlive;
import static io.tributary.twitter.FakeTwitterServer.keepAlives;
import static io.tributary.twitter.FakeTwitterServer.line;
import static io.tributary.twitter.FakeTwitterServer.lines;
import static io.tributary.twitter.FakeTwitterServer.raw;
import static io.tributary.twitter.FakeTwitterServer.recordedV2;
import static io.tributary.twitter.FakeTwitterServer.silence;
import static io.tributary.twitter.FakeTwitterServer.status;
import static io.tributary.twitter.FakeTwitterServer.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The X API v2 filtered stream against a local server streaming recorded posts. */
class XFilteredStreamTest {
  private static final String TOKEN = "AAAAAAAAAAAAAAAAAAAAAtestBearerToken0123456789";

  private final FakeTwitterServer server = new FakeTwitterServer(TOKEN);
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
    server.close();
  }

  private XStreamSettings.Builder settings() {
    return XStreamSettings.builder(TOKEN).baseUrl(server.baseUrl())
        .networkBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
        .httpBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .rateLimitBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
        .errorReportInterval(Duration.ZERO);
  }

  private TwitterInputDStream<Tweet> posts(XStreamSettings settings) {
    return TwitterUtils.createFilteredStreamV2(h.driver.context(), settings, StorageLevel.MEMORY_ONLY);
  }

  @Test
  void recordedPostsArriveWholeAcrossKeepAlivesBadLinesAndAMidStreamDisconnect() {
    List<String> recorded = recordedV2();
    server.scriptV2(
        stream(keepAlive(), lines(recorded.subList(0, 3)), keepAlive(), keepAlive(),
            line("{\"data\":{\"id\":\"1\",\"text\":\"truncated"),                       // malformed JSON
            raw(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}', '\r', '\n'}),  // not UTF-8
            line("{\"x\":\"" + "y".repeat(5000) + "\"}"),                                // oversized
            line("{\"meta\":{\"sent\":\"2023-03-14\"}}"),                                // neither data nor errors
            line(recorded.get(3)),
            cut()),                                                                       // the connection breaks
        stream(keepAlive(), lines(recorded.subList(4, recorded.size())), keepAlives(100, 30_000)));
    TwitterInputDStream<Tweet> tweets = posts(settings().maxLineBytes(2048).build());
    TestOutput<Tweet> out = h.driver.collect(tweets);
    h.driver.start();

    h.awaitRecords(out, recorded.size());
    assertThat(out.all()).extracting(Tweet::json).containsExactlyElementsOf(recorded);
    Tweet first = out.all().get(0);
    assertThat(first.id()).isEqualTo("1635699432516657152");
    assertThat(first.text()).isEqualTo("Streaming word counts with #spark and #kafka, micro-batches every second");
    assertThat(first.authorId()).isEqualTo("6253282");
    assertThat(first.createdAt()).isEqualTo(Instant.parse("2023-03-14T17:20:31Z"));
    assertThat(first.lang()).isEqualTo("en");
    assertThat(first.hashtags()).containsExactly("spark", "kafka");
    assertThat(first.matchingRules()).containsExactly(new Tweet.MatchingRule("1635699128446373888", "spark"));
    assertThat(out.all().get(3).hashtags()).isEmpty();
    assertThat(out.all().get(6).text()).startsWith("Ünïcödé and emoji 🚀");

    TwitterStats stats = tweets.stats();
    assertThat(stats.stored()).isEqualTo(recorded.size());
    assertThat(stats.malformed()).isEqualTo(3);
    assertThat(stats.oversized()).isEqualTo(1);
    assertThat(stats.connects()).isEqualTo(2);
    assertThat(stats.disconnects()).isGreaterThanOrEqualTo(1);
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("malformed line").contains("not a JSON object"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("not valid UTF-8"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("longer than maxLineBytes = 2048"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("neither 'data' nor 'errors'"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("broke").contains("reconnecting"));
    assertThat(h.starts.get()).as("the receiver never restarted").isEqualTo(1);

    List<FakeTwitterServer.Request> requests = server.requests("/2/tweets/search/stream");
    assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
    assertThat(requests.get(0).method()).isEqualTo("GET");
    assertThat(requests.get(0).query()).isEqualTo("tweet.fields=created_at%2Clang%2Cauthor_id%2Centities");
    assertThat(requests.get(0).authorization()).isEqualTo("Bearer " + TOKEN);
  }

  @Test
  void postsSurviveTheDefaultSerializedStorageLevel() {
    List<String> recorded = recordedV2();
    server.scriptV2(stream(lines(recorded)));
    TestOutput<Tweet> out = h.driver.collect(
        TwitterUtils.createFilteredStreamV2(h.driver.context(), settings().build()));   // MEMORY_AND_DISK_SER_2
    h.driver.start();
    h.awaitRecords(out, recorded.size());
    assertThat(out.all()).extracting(Tweet::json).containsExactlyElementsOf(recorded);
    assertThat(out.all().get(0).hashtags()).containsExactly("spark", "kafka");
    assertThat(out.all().get(0).matchingRules()).hasSize(1);
  }

  @Test
  void errorObjectsInTheStreamAreReportedAndTheStreamReconnects() {
    List<String> recorded = recordedV2();
    server.scriptV2(
        stream(line(recorded.get(0)), line("{\"errors\":[{\"title\":\"operational-disconnect\",\"disconnect_type\":"
            + "\"UpstreamOperationalDisconnect\",\"detail\":\"This stream has been disconnected upstream for "
            + "operational reasons.\"}]}")),
        stream(line(recorded.get(1))));
    TwitterInputDStream<Tweet> tweets = posts(settings().build());
    TestOutput<Tweet> out = h.driver.collect(tweets);
    h.driver.start();
    h.awaitRecords(out, 2);
    assertThat(out.all()).extracting(Tweet::json).containsExactly(recorded.get(0), recorded.get(1));
    assertThat(tweets.stats().streamErrors()).isEqualTo(1);
    assertThat(tweets.stats().malformed()).isZero();
    assertThat(h.errors).anySatisfy(e -> assertThat(e)
        .contains("sent an error: operational-disconnect - This stream has been disconnected upstream"));
  }

  @Test
  void theSettingsRulesAreAddedWhenTheStreamStartsUnlessTheyExist() {
    server.addRule("#spark -is:retweet", "spark");
    TwitterInputDStream<Tweet> tweets = posts(settings()
        .rule("#spark -is:retweet", "spark")
        .rule("#flink OR #kafka", "others")
        .build());
    h.driver.collect(tweets);
    h.driver.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> server.rules().size() == 2);
    assertThat(server.rules()).extracting(StreamRule::value, StreamRule::tag)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("#spark -is:retweet", "spark"),
            org.assertj.core.groups.Tuple.tuple("#flink OR #kafka", "others"));
    List<FakeTwitterServer.Request> ruleCalls = server.requests("/2/tweets/search/stream/rules");
    assertThat(ruleCalls).extracting(FakeTwitterServer.Request::method).containsExactly("GET", "POST");
    assertThat(ruleCalls.get(1).body()).contains("#flink OR #kafka").doesNotContain("#spark");
    await().atMost(Duration.ofSeconds(10)).until(() -> !server.requests("/2/tweets/search/stream").isEmpty());
  }

  @Test
  void rulesCanBeListedAddedAndDeleted() {
    XStreamSettings settings = settings().build();
    assertThat(TwitterUtils.listRules(settings)).isEmpty();
    List<StreamRule> added = TwitterUtils.addRules(settings,
        List.of(StreamRule.of("cat has:images", "cats"), StreamRule.of("#dogs")));
    assertThat(added).extracting(StreamRule::value).containsExactly("cat has:images", "#dogs");
    assertThat(added).allSatisfy(r -> assertThat(r.id()).isNotBlank());
    assertThat(TwitterUtils.addRules(settings, List.of(StreamRule.of("#dogs")))).as("a duplicate is not an error")
        .isEmpty();
    assertThat(TwitterUtils.listRules(settings)).containsExactlyElementsOf(added);

    TwitterUtils.deleteRules(settings, List.of(added.get(0).id()));
    assertThat(TwitterUtils.listRules(settings)).containsExactly(added.get(1));

    assertThatThrownBy(() -> TwitterUtils.addRules(settings, List.of(StreamRule.of("((cat"))))
        .isInstanceOf(XApiException.class)
        .hasMessageContaining("HTTP 400: Invalid Request")
        .hasMessageContaining("Rule has unbalanced parentheses")
        .satisfies(e -> assertThat(((XApiException) e).statusCode()).isEqualTo(400));
  }

  @Test
  void aStalledStreamIsDroppedAndOpenedAgainWhileKeepAlivesKeepAQuietOneOpen() {
    List<String> recorded = recordedV2();
    server.scriptV2(
        // quiet but alive for longer than the stall timeout, then a post, then silence: a stall
        stream(keepAlives(100, 1500), line(recorded.get(0)), silence(30_000)),
        stream(line(recorded.get(1)), line(recorded.get(2)), keepAlives(100, 30_000)));
    TwitterInputDStream<Tweet> tweets = posts(settings().stallTimeout(Duration.ofMillis(600)).build());
    TestOutput<Tweet> out = h.driver.collect(tweets);
    h.driver.start();
    h.awaitRecords(out, 3);
    assertThat(out.all()).extracting(Tweet::json).containsExactlyElementsOf(recorded.subList(0, 3));
    assertThat(tweets.stats().stalls()).isEqualTo(1);
    assertThat(tweets.stats().connects()).isEqualTo(2);
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("stalled").contains("600 ms"));
    List<FakeTwitterServer.Request> attempts = server.requests("/2/tweets/search/stream");
    assertThat(attempts.get(1).atMillis() - attempts.get(0).atMillis())
        .as("1.5 s of keep-alives kept the first connection open, then 0.6 s of silence ended it")
        .isGreaterThanOrEqualTo(2000);
  }

  @Test
  void rateLimitResponsesAreHonouredAndServerErrorsBackOff() {
    List<String> recorded = recordedV2();
    long resetEpochSeconds = Instant.now().getEpochSecond() + 3;
    server.scriptV2(
        status(429, Map.of("x-rate-limit-reset", String.valueOf(resetEpochSeconds)),
            "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}"),
        status(503, Map.of(), "{\"title\":\"Service Unavailable\"}"),
        stream(line(recorded.get(0))));
    TwitterInputDStream<Tweet> tweets = posts(settings().build());
    TestOutput<Tweet> out = h.driver.collect(tweets);
    h.driver.start();
    h.awaitRecords(out, 1);

    List<FakeTwitterServer.Request> attempts = server.requests("/2/tweets/search/stream");
    assertThat(attempts).hasSizeGreaterThanOrEqualTo(3);
    assertThat(attempts.get(1).atMillis())
        .as("the second attempt waits for the announced reset, not just the 100 ms back-off")
        .isGreaterThanOrEqualTo(resetEpochSeconds * 1000 - 50);
    assertThat(attempts.get(2).atMillis() - attempts.get(1).atMillis()).isGreaterThanOrEqualTo(90);
    assertThat(tweets.stats().rateLimited()).isEqualTo(1);
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("HTTP 429: Too Many Requests"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("HTTP 503: Service Unavailable"));
  }

  @Test
  void aWrongTokenStopsTheReceiverWithAReasonThatNeverShowsAToken() {
    String wrong = "AAAAAAAAAAAAAAAAAAAAAwrongTokenWrongToken987654";
    XStreamSettings settings = XStreamSettings.builder(wrong).baseUrl(server.baseUrl()).build();
    h.driver.collect(posts(settings));
    h.driver.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> !h.stops.isEmpty());
    assertThat(h.stops.get(0)).contains("HTTP 401: Unauthorized").contains("[redacted]")
        .contains("retrying cannot fix this").doesNotContain(wrong);
    assertThat(server.requests("/2/tweets/search/stream")).hasSize(1);

    assertThatThrownBy(() -> TwitterUtils.listRules(settings))
        .isInstanceOf(XApiException.class)
        .hasMessageContaining("HTTP 401")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
    assertThat(settings.toString()).doesNotContain(wrong).contains("bearerToken=[redacted]");
  }

  @Test
  void stoppingEndsTheReceivingThreadsPromptlyWhetherReadingOrWaiting() {
    server.scriptV2(stream(line(recordedV2().get(0)), silence(30_000)));
    TestOutput<Tweet> out = h.driver.collect(posts(settings().build()));
    h.driver.start();
    h.awaitRecords(out, 1);                   // now blocked reading a silent stream
    long start = System.nanoTime();
    h.driver.close();
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(3000);
    await().atMost(Duration.ofSeconds(2)).until(() -> Thread.getAllStackTraces().keySet().stream()
        .noneMatch(t -> t.isAlive() && (t.getName().startsWith("x-filtered-stream-")
            || t.getName().startsWith("x-stream-watchdog-"))));
  }

  @Test
  void anUnreachableServerIsRetriedWithBackOff() throws Exception {
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TwitterInputDStream<Tweet> tweets =
        posts(settings().baseUrl("http://127.0.0.1:" + port).build());
    h.driver.collect(tweets);
    h.driver.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> h.errors.size() >= 3);
    assertThat(h.errors.get(0)).contains("Could not connect to the X filtered stream at http://127.0.0.1:" + port)
        .contains("retrying in 50 ms");
    assertThat(h.errors.get(1)).contains("retrying in 100 ms");
    assertThat(h.starts.get()).isEqualTo(1);
    assertThat(h.stops).isEmpty();
  }
}
