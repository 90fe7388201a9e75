package io.tributary.spark;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.streaming.StreamingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The driver {@link SparkClusterRecoveryTest} runs in a child JVM and kills: running word counts
 * over the files moved into a directory, recoverable with getOrCreate. The master and the rest of
 * the cluster's settings come from {@code -Dspark.*} system properties, as {@code spark-submit}
 * passes them. After every batch it writes the whole state to {@code <output>/counts-<batch ms>}.
 */
public final class ClusterWordCountApp {
  private ClusterWordCountApp() {}

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    String input = args[1];
    Path output = Path.of(args[2]);
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(
          new StreamingConf().setAppName("cluster-recoverable")
              .set("streaming.batch.maxRetries", "20")
              .set("streaming.batch.retryBackoff", "200ms"),
          Durations.seconds(1));
      created.checkpoint(checkpoint);
      created.textFileStream(input)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(word -> new Tuple2<>(word, 1L))
          .updateStateByKey((List<Long> ones, Optional<Long> total) ->
              Optional.of(total.orElse(0L) + ones.stream().mapToLong(Long::longValue).sum()), 3)
          .checkpoint(Durations.seconds(3))
          .foreachRDD((rdd, time) -> {
            List<String> lines = new ArrayList<>();
            for (Tuple2<String, Long> kv : rdd.collect()) {
              lines.add(kv._1() + " " + kv._2());
            }
            lines.sort(null);
            Path temp = output.resolve(".counts-" + time.milliseconds() + ".tmp");
            Files.write(temp, lines, StandardCharsets.UTF_8);
            Files.move(temp, output.resolve("counts-" + time.milliseconds()), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
          });
      return created;
    });
    ssc.start();
    System.out.println("STARTED on " + ssc.rddContext().conf().master());
    System.out.flush();
    ssc.awaitTermination();
  }
}
