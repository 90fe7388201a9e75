package io.tributary.examples;

import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.streaming.PairDStream;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * The job that runs with no setup at all: it serves sample text over a local socket, counts the
 * words every second with a socket stream, then stops gracefully and checks that every word sent
 * was counted exactly once.
 *
 * <p>{@code java -jar examples/target/tributary-examples.jar [seconds]} (default 5 seconds).
 */
public final class QuickStart {
  private static final Pattern SPACE = Pattern.compile(" ");
  private static final String[] SAMPLE = {
    "a river is made of many small streams",
    "each small stream brings its own water",
    "the river carries every drop to the sea",
  };

  private QuickStart() {}

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    long counted = run(seconds, System.out);
    System.exit(counted >= 0 ? 0 : 1);
  }

  /** Runs the job for {@code seconds}; returns the number of words counted, or -1 if some were lost. */
  public static long run(int seconds, PrintStream out) throws Exception {
    AtomicLong sent = new AtomicLong();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread feeder = new Thread(() -> serve(server, seconds, sent), "quickstart-feeder");
      feeder.setDaemon(true);
      feeder.start();

      StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("QuickStart");
      StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1));
      PairDStream<String, Integer> counts =
          ssc.socketTextStream("127.0.0.1", server.getLocalPort())
              .flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
              .mapToPair(word -> new Tuple2<>(word, 1))
              .reduceByKey(Integer::sum);
      counts.print();
      LongAdder total = new LongAdder();
      counts.foreachRDD(rdd -> total.add(rdd.values().fold(0, Integer::sum)));

      ssc.start();
      feeder.join();
      long deadline = System.currentTimeMillis() + 10_000;
      while (total.sum() < sent.get() && System.currentTimeMillis() < deadline) {
        ssc.awaitTerminationOrTimeout(100);
      }
      ssc.stop(true);

      long words = total.sum();
      out.printf("Sent %d words, counted %d words%n", sent.get(), words);
      return words == sent.get() ? words : -1;
    }
  }

  private static void serve(ServerSocket server, int seconds, AtomicLong sent) {
    long end = System.currentTimeMillis() + seconds * 1000L;
    try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
      int line = 0;
      while (System.currentTimeMillis() < end) {
        for (int i = 0; i < 100; i++) {
          String text = SAMPLE[line++ % SAMPLE.length];
          out.write((text + "\n").getBytes(StandardCharsets.UTF_8));
          sent.addAndGet(SPACE.split(text).length);
        }
        out.flush();
        Thread.sleep(100);
      }
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("The sample text server failed", e);
    }
  }
}
