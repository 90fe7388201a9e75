package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The application {@link KillAndRecoverTest} runs in a child JVM and kills: running word counts
 * over the files moved into a directory, recoverable with getOrCreate. After every batch it writes
 * the whole state to {@code <output>/counts-<batch ms>} (temp file + rename). With a fourth
 * argument, a path: while a file exists there the output fails ("the sink is down") and is
 * retried every 50 ms without end.
 */
public final class RecoverableWordCountApp {
  private RecoverableWordCountApp() {}

  public static void main(String[] args) throws Exception {
    String checkpoint = args[0];
    String input = args[1];
    Path output = Path.of(args[2]);
    Path outage = args.length > 3 ? Path.of(args[3]) : null;
    StreamingContext ssc = StreamingContext.getOrCreate(checkpoint, () -> {
      StreamingContext created = new StreamingContext(
          new StreamingConf().setMaster("local[2]").setAppName("recoverable")
              .set("streaming.batch.maxRetries", String.valueOf(Integer.MAX_VALUE))
              .set("streaming.batch.retryBackoff", "50ms"),
          Durations.milliseconds(300));
      created.checkpoint(checkpoint);
      created.textFileStream(input)
          .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
          .mapToPair(word -> new Tuple2<>(word, 1L))
          .updateStateByKey((List<Long> ones, Optional<Long> total) ->
              Optional.of(total.orElse(0L) + ones.stream().mapToLong(Long::longValue).sum()))
          .name("counts")
          .checkpoint(Durations.milliseconds(900))
          .foreachRDD((rdd, time) -> {
            if (outage != null && Files.exists(outage)) {
              throw new java.io.IOException("the sink is down (" + outage + " exists) for batch " + time);
            }
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
    System.out.println("STARTED");
    System.out.flush();
    ssc.awaitTermination();
  }

  /** The counts the latest batch wrote to {@code output}, if any batch wrote some. */
  public static Optional<java.util.Map<String, Long>> latestCounts(Path output) throws java.io.IOException {
    Optional<Path> latest;
    try (java.util.stream.Stream<Path> files = Files.list(output)) {
      latest = files.filter(p -> p.getFileName().toString().startsWith("counts-"))
          .max(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(7))));
    }
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    java.util.Map<String, Long> counts = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(latest.get(), StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      counts.put(parts[0], Long.parseLong(parts[1]));
    }
    return Optional.of(counts);
  }
}
