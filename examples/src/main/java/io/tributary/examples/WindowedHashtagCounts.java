package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.PairDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The ten most used hashtags of the last minute, every 5 seconds, from text received over TCP.
 * The window is updated incrementally: each slide adds the new batches and subtracts the ones
 * that left the window (the inverse function), so its cost does not grow with the window.
 *
 * <p>{@code nc -lk 9999}, then {@code java -cp examples/target/tributary-examples.jar
 * io.tributary.examples.WindowedHashtagCounts localhost 9999 /tmp/hashtags-checkpoint} and type
 * text with #tags.
 */
public final class WindowedHashtagCounts {
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private WindowedHashtagCounts() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: WindowedHashtagCounts <host> <port> <checkpoint-directory>");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("WindowedHashtagCounts");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(args[2]);

    PairDStream<String, Integer> lastMinute =
        ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
            .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
            .filter(word -> word.startsWith("#") && word.length() > 1)
            .mapToPair(tag -> new Tuple2<>(tag, 1))
            .reduceByKeyAndWindow(
                Integer::sum, (a, b) -> a - b, Durations.minutes(1), Durations.seconds(5), 2,
                tagCount -> tagCount._2() > 0);
    lastMinute.foreachRDD(
        (rdd, time) -> {
          List<Tuple2<Integer, String>> top =
              rdd.mapToPair(tagCount -> new Tuple2<>(tagCount._2(), tagCount._1())).sortByKey(false).take(10);
          System.out.println("Top hashtags of the minute before " + time + ": " + top);
        });
    ssc.start();
    ssc.awaitTermination();
  }
}
