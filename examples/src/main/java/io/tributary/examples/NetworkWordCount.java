package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.PairDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Counts the words of the text received from a TCP server, every second.
 *
 * <p>Run a server first, e.g. {@code nc -lk 9999}, then {@code java -cp
 * examples/target/tributary-examples.jar io.tributary.examples.NetworkWordCount localhost 9999}
 * and type some lines into the server.
 */
public final class NetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private NetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("Usage: NetworkWordCount <host> <port>");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("NetworkWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
    PairDStream<String, Integer> counts =
        ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
            .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1))
            .reduceByKey(Integer::sum);
    counts.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
