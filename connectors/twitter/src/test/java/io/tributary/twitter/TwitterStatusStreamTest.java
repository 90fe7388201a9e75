package io.tributary.twitter;

import static io.tributary.twitter.FakeTwitterServer.cut;
import static io.tributary.twitter.FakeTwitterServer.keepAlive;
import static io.tributary.twitter.FakeTwitterServer.keepAlives;
import static io.tributary.twitter.FakeTwitterServer.line;
import static io.tributary.twitter.FakeTwitterServer.lines;
import static io.tributary.twitter.FakeTwitterServer.recordedV1;
import static io.tributary.twitter.FakeTwitterServer.silence;
import static io.tributary.twitter.FakeTwitterServer.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.streaming.testing.TestOutput;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import twitter4j.FilterQuery;
import twitter4j.HashtagEntity;
import twitter4j.Status;
import twitter4j.auth.Authorization;
import twitter4j.conf.Configuration;
import twitter4j.conf.ConfigurationBuilder;

/** Twitter v1.1 status streams through twitter4j, against a local server streaming recorded statuses. */
class TwitterStatusStreamTest {
  static final String CONSUMER_KEY = "ck-4f1b2c3d4e5f60718293";
  static final String CONSUMER_SECRET = "cs-SECRET-a9b8c7d6e5f4a3b2c1d0e9f8";
  static final String ACCESS_TOKEN = "at-1234567890-ZyXwVuTsRqPoNm";
  static final String ACCESS_TOKEN_SECRET = "ats-SECRET-0f9e8d7c6b5a4f3e2d1c";

  private final FakeTwitterServer server = new FakeTwitterServer("unused");
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
    server.close();
  }

  private Configuration configuration(int streamingReadTimeoutMs) {
    return new ConfigurationBuilder()
        .setOAuthConsumerKey(CONSUMER_KEY).setOAuthConsumerSecret(CONSUMER_SECRET)
        .setOAuthAccessToken(ACCESS_TOKEN).setOAuthAccessTokenSecret(ACCESS_TOKEN_SECRET)
        .setStreamBaseURL(server.v1StreamBaseUrl())
        .setHttpStreamingReadTimeout(streamingReadTimeoutMs)
        .build();
  }

  private static List<Long> ids(List<String> recorded) {
    return recorded.stream().map(l -> Long.parseLong(l.replaceAll("^.*?\"id\":(\\d+).*$", "$1"))).toList();
  }

  @Test
  void theSampleStreamDeliversRecordedStatusesAndNoticesAndReconnectsAfterADisconnect() {
    List<String> recorded = recordedV1();
    server.scriptV1(
        stream(keepAlive(), lines(recorded.subList(0, 4)), keepAlive(),
            line("{\"delete\":{\"status\":{\"id\":1001,\"id_str\":\"1001\",\"user_id\":42,\"user_id_str\":\"42\"}}}"),
            line("{\"limit\":{\"track\":7,\"timestamp_ms\":\"1539202764000\"}}"),
            line("{\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"id\":12,\"text\":\"cut off in the midd"),
            line("{\"warning\":{\"code\":\"FALLING_BEHIND\",\"message\":\"Your connection is falling behind.\","
                + "\"percent_full\":60}}"),
            cut()),
        stream(keepAlive(), lines(recorded.subList(4, recorded.size())), keepAlives(100, 30_000)));
    TwitterInputDStream<Status> statuses = TwitterUtils.createStatusStream(
        h.driver.context(), configuration(40_000), null, null, StorageLevel.MEMORY_ONLY);
    TestOutput<Status> out = h.driver.collect(statuses);
    h.driver.start();

    h.awaitRecords(out, recorded.size());
    assertThat(out.all()).extracting(Status::getId).containsExactlyElementsOf(ids(recorded));
    Status first = out.all().get(0);
    assertThat(first.getText()).isEqualTo("Streaming word counts with #spark and #kafka, micro-batches every second");
    assertThat(first.getUser().getScreenName()).isEqualTo("TwitterAPI");
    assertThat(first.getCreatedAt().toInstant()).isEqualTo(java.time.Instant.parse("2018-10-10T20:19:24Z"));
    assertThat(Arrays.stream(first.getHashtagEntities()).map(HashtagEntity::getText)).containsExactly("spark", "kafka");
    assertThat(out.all().get(6).getText()).startsWith("Ünïcödé and emoji 🚀");

    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      TwitterStats stats = statuses.stats();
      assertThat(stats.stored()).isEqualTo(recorded.size());
      assertThat(stats.deletionNotices()).isEqualTo(1);
      assertThat(stats.limitNotices()).isEqualTo(1);
      assertThat(stats.stallWarnings()).isEqualTo(1);
      assertThat(stats.malformed()).isEqualTo(1);
      assertThat(stats.connects()).isEqualTo(2);
    });
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("could not read"));
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("connection problem").contains("reconnects by itself"));
    assertThat(h.starts.get()).as("twitter4j reconnected; the receiver never restarted").isEqualTo(1);

    List<FakeTwitterServer.Request> requests = server.requests("/1.1/statuses/sample.json");
    assertThat(requests).hasSizeGreaterThanOrEqualTo(2);
    assertThat(requests.get(0).method()).isEqualTo("GET");
    assertThat(requests.get(0).query()).contains("stall_warnings=true");
    assertThat(requests.get(0).authorization()).startsWith("OAuth ").contains("oauth_consumer_key=\"" + CONSUMER_KEY);
  }

  @Test
  void statusesSurviveTheDefaultSerializedStorageLevel() {
    List<String> recorded = recordedV1();
    server.scriptV1(stream(lines(recorded), keepAlives(100, 30_000)));
    TestOutput<Status> out = h.driver.collect(TwitterUtils.createStatusStream(
        h.driver.context(), configuration(40_000), null, null, StorageLevel.MEMORY_AND_DISK_SER_2));
    h.driver.start();
    h.awaitRecords(out, recorded.size());
    assertThat(out.all()).extracting(Status::getId).containsExactlyElementsOf(ids(recorded));
    assertThat(out.all().get(0).getUser().getScreenName()).isEqualTo("TwitterAPI");
    assertThat(out.all().get(0).getHashtagEntities()).hasSize(2);
  }

  @Test
  void filtersBecomeAPostToStatusesFilterWithTheirTrackTerms() {
    server.scriptV1(stream(line(recordedV1().get(0)), keepAlives(100, 30_000)));
    Authorization auth = TwitterUtils.oauth(CONSUMER_KEY, CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET);
    TwitterInputDStream<Status> statuses = TwitterUtils.createStatusStream(h.driver.context(), configuration(40_000),
        auth, new FilterQuery().track("spark", "streaming").language("en"), StorageLevel.MEMORY_ONLY);
    TestOutput<Status> out = h.driver.collect(statuses);
    h.driver.start();
    h.awaitRecords(out, 1);
    List<FakeTwitterServer.Request> requests = server.requests("/1.1/statuses/filter.json");
    assertThat(requests).hasSize(1);
    assertThat(requests.get(0).method()).isEqualTo("POST");
    assertThat(requests.get(0).body()).contains("track=spark%2Cstreaming").contains("language=en");
  }

  @Test
  void withoutAnAuthorizationCredentialsAndTheBaseUrlComeFromTwitter4jSystemProperties() {
    server.scriptV1(stream(line(recordedV1().get(1)), keepAlives(100, 30_000)));
    String[][] props = {
        {"twitter4j.oauth.consumerKey", CONSUMER_KEY}, {"twitter4j.oauth.consumerSecret", CONSUMER_SECRET},
        {"twitter4j.oauth.accessToken", ACCESS_TOKEN}, {"twitter4j.oauth.accessTokenSecret", ACCESS_TOKEN_SECRET},
        {"twitter4j.streamBaseURL", server.v1StreamBaseUrl()}};
    TwitterInputDStream<Status> statuses;
    try {
      for (String[] p : props) {
        System.setProperty(p[0], p[1]);
      }
      statuses = TwitterUtils.createStream(h.driver.context(), new String[] {"streaming"});
    } finally {
      for (String[] p : props) {
        System.clearProperty(p[0]);
      }
    }
    TestOutput<Status> out = h.driver.collect(statuses);
    h.driver.start();
    h.awaitRecords(out, 1);
    assertThat(out.all().get(0).getText()).contains("#streaming");
    assertThat(server.requests("/1.1/statuses/filter.json").get(0).body()).contains("track=streaming");
  }

  @Test
  void missingCredentialsFailWhenTheStreamIsDefinedNamingWhatIsMissing() {
    Configuration partial = new ConfigurationBuilder().setOAuthConsumerKey(CONSUMER_KEY)
        .setOAuthConsumerSecret(CONSUMER_SECRET).build();
    assertThatThrownBy(() -> TwitterUtils.createStatusStream(h.driver.context(), partial, null, null,
            StorageLevel.MEMORY_ONLY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No Twitter OAuth credentials")
        .hasMessageContaining("twitter4j.oauth.accessToken, twitter4j.oauth.accessTokenSecret")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(CONSUMER_KEY).doesNotContain(CONSUMER_SECRET));
    assertThatThrownBy(() -> TwitterUtils.oauth(CONSUMER_KEY, "", ACCESS_TOKEN, null))
        .hasMessage("OAuth credentials missing: consumerSecret, accessTokenSecret");
    assertThatThrownBy(() -> TwitterUtils.createStream(h.driver.context(), new String[] {"ok", " "}))
        .hasMessage("filters must not contain null or blank terms");
  }

  @Test
  void aStalledConnectionIsDroppedAfterTheStreamingReadTimeoutAndMadeAgain() {
    List<String> recorded = recordedV1();
    server.scriptV1(
        stream(lines(recorded.subList(0, 2)), silence(30_000)),
        stream(lines(recorded.subList(2, 4)), keepAlives(100, 30_000)));
    TwitterInputDStream<Status> statuses = TwitterUtils.createStatusStream(
        h.driver.context(), configuration(1000), null, null, StorageLevel.MEMORY_ONLY);
    TestOutput<Status> out = h.driver.collect(statuses);
    h.driver.start();
    h.awaitRecords(out, 4);
    assertThat(out.all()).extracting(Status::getId).containsExactlyElementsOf(ids(recorded.subList(0, 4)));
    assertThat(statuses.stats().connects()).isEqualTo(2);
    assertThat(h.errors).anySatisfy(e -> assertThat(e).contains("timed out"));
  }
}
