package io.tributary.examples;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.streaming.DStream;
import io.tributary.Durations;
import io.tributary.streaming.PairDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.twitter.Tweet;
import io.tributary.twitter.TwitterUtils;
import io.tributary.twitter.XStreamSettings;
import java.util.Arrays;
import java.util.List;
import twitter4j.HashtagEntity;

/**
 * The most popular hashtags of the last 60 and the last 10 seconds, every 2 seconds (Spark's
 * example of the same name), from the X API v2 filtered stream or a Twitter v1.1 status stream.
 *
 * <pre>
 * # X API v2: the bearer token comes from the environment, each argument becomes a stream rule
 * X_BEARER_TOKEN=... java -cp examples/target/tributary-examples.jar \
 *     io.tributary.examples.TwitterPopularTags v2 "#spark -is:retweet" "#kafka -is:retweet"
 *
 * # v1.1 through twitter4j (a compatible service): OAuth from twitter4j's usual configuration
 * java -Dtwitter4j.oauth.consumerKey=... -Dtwitter4j.oauth.consumerSecret=... \
 *      -Dtwitter4j.oauth.accessToken=... -Dtwitter4j.oauth.accessTokenSecret=... \
 *      -Dtwitter4j.streamBaseURL=https://stream.example.com/1.1/ \
 *      -cp examples/target/tributary-examples.jar io.tributary.examples.TwitterPopularTags v1 spark kafka
 * </pre>
 *
 * {@code X_API_BASE_URL} points the v2 stream at another server (default https://api.x.com).
 */
public final class TwitterPopularTags {
  private TwitterPopularTags() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1 || !(args[0].equals("v1") || args[0].equals("v2"))) {
      System.err.println("Usage: TwitterPopularTags v2 [rule ...]    (bearer token in X_BEARER_TOKEN)");
      System.err.println("       TwitterPopularTags v1 [filter ...] (OAuth in twitter4j.oauth.* system properties)");
      System.exit(1);
    }
    String[] terms = Arrays.copyOfRange(args, 1, args.length);
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("TwitterPopularTags");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));

    DStream<String> hashtags;
    if (args[0].equals("v2")) {
      String token = System.getenv("X_BEARER_TOKEN");
      if (token == null || token.isBlank()) {
        System.err.println("Set X_BEARER_TOKEN to the bearer token of your X project");
        System.exit(1);
      }
      XStreamSettings.Builder settings = XStreamSettings.builder(token);
      String baseUrl = System.getenv("X_API_BASE_URL");
      if (baseUrl != null && !baseUrl.isBlank()) {
        settings.baseUrl(baseUrl);
      }
      for (String rule : terms.length == 0 ? new String[] {"has:hashtags lang:en -is:retweet"} : terms) {
        settings.rule(rule, null);
      }
      hashtags = TwitterUtils.createFilteredStreamV2(ssc, settings.build(), StorageLevel.MEMORY_ONLY)
          .flatMap((Tweet tweet) -> tweet.hashtags().stream().map(tag -> "#" + tag).iterator());
    } else {
      hashtags = TwitterUtils.createStream(ssc, terms, StorageLevel.MEMORY_ONLY)
          .flatMap(status -> Arrays.stream(status.getHashtagEntities())
              .map((HashtagEntity tag) -> "#" + tag.getText()).iterator());
    }

    printTop(hashtags, 60);
    printTop(hashtags, 10);
    ssc.start();
    ssc.awaitTermination();
  }

  private static void printTop(DStream<String> hashtags, int seconds) {
    PairDStream<String, Integer> counts = hashtags.mapToPair(tag -> new Tuple2<>(tag, 1))
        .reduceByKeyAndWindow(Integer::sum, Durations.seconds(seconds));
    counts.foreachRDD(rdd -> {
      List<Tuple2<Integer, String>> top =
          rdd.mapToPair(tagCount -> new Tuple2<>(tagCount._2(), tagCount._1())).sortByKey(false).take(10);
      System.out.println("\nPopular topics in last " + seconds + " seconds (" + rdd.count() + " total):");
      top.forEach(countTag -> System.out.println(countTag._2() + " (" + countTag._1() + " tweets)"));
    });
  }
}
