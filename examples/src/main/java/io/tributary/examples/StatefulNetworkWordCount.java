package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.MapWithStateDStream;
import io.tributary.State;
import io.tributary.streaming.StateSpec;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Running word counts over everything received from a TCP server, with {@code mapWithState}:
 * each batch prints the words it saw with their counts so far.
 *
 * <p>{@code nc -lk 9999}, then {@code java -cp examples/target/tributary-examples.jar
 * io.tributary.examples.StatefulNetworkWordCount localhost 9999 /tmp/stateful-checkpoint}.
 */
public final class StatefulNetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private StatefulNetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("Usage: StatefulNetworkWordCount <host> <port> <checkpoint-directory>");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("StatefulNetworkWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(args[2]);

    StateSpec<String, Integer, Integer, Tuple2<String, Integer>> runningCount =
        StateSpec.function(
            (String word, Optional<Integer> one, State<Integer> state) -> {
              int sum = one.orElse(0) + (state.exists() ? state.get() : 0);
              state.update(sum);
              return new Tuple2<>(word, sum);
            });
    MapWithStateDStream<String, Integer, Integer, Tuple2<String, Integer>> counts =
        ssc.socketTextStream(args[0], Integer.parseInt(args[1]))
            .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1))
            .mapWithState(runningCount);
    counts.print();
    ssc.start();
    ssc.awaitTermination();
  }
}
