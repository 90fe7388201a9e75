package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.PairDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A word count that survives restarts: kill it (even with {@code kill -9}) and start it again
 * with the same checkpoint directory, and it resumes with its running counts. The application is
 * defined in a factory that {@code getOrCreate} calls both the first time and on recovery.
 *
 * <p>{@code nc -lk 9999}, then {@code java -cp examples/target/tributary-examples.jar
 * io.tributary.examples.RecoverableNetworkWordCount localhost 9999 /tmp/recoverable-checkpoint
 * /tmp/recoverable-output.txt}.
 */
public final class RecoverableNetworkWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private RecoverableNetworkWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 4) {
      System.err.println("Usage: RecoverableNetworkWordCount <host> <port> <checkpoint-directory> <output-file>");
      System.exit(1);
    }
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String checkpoint = args[2];
    Path output = Path.of(args[3]);
    StreamingContext ssc =
        StreamingContext.getOrCreate(checkpoint, () -> createContext(host, port, checkpoint, output));
    ssc.start();
    ssc.awaitTermination();
  }

  private static StreamingContext createContext(String host, int port, String checkpoint, Path output) {
    System.out.println("Creating a new context (no checkpoint to recover from)");
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("RecoverableNetworkWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
    ssc.checkpoint(checkpoint);
    PairDStream<String, Integer> totals =
        ssc.socketTextStream(host, port)
            .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
            .mapToPair(word -> new Tuple2<>(word, 1))
            .updateStateByKey(
                (List<Integer> ones, Optional<Integer> total) ->
                    Optional.of(total.orElse(0) + ones.stream().mapToInt(Integer::intValue).sum()))
            .name("totals");
    totals.foreachRDD(
        (rdd, time) -> {
          String line = "Counts at " + time + ": " + rdd.collect() + System.lineSeparator();
          System.out.print(line);
          Files.writeString(output, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        });
    return ssc;
  }
}
