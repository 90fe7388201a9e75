package io.tributary.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.zeromq.ZeroMQInputDStream;
import io.tributary.zeromq.ZeroMQUtils;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Counts the words of the messages a ZeroMQ publisher sends on one topic, every 2 seconds. The
 * stream is a SUB socket that connects to the publisher and reconnects by itself when it goes
 * away. ZeroMQ has no acknowledgements: what is published while the counter is not connected is
 * lost (the connector is unreliable by nature).
 *
 * <p>Run a publisher, then the counter:
 *
 * <pre>
 * java -cp examples/target/tributary-examples.jar io.tributary.examples.ZeroMQWordCount \
 *     publish tcp://127.0.0.1:5555 words hello world hello zeromq
 * java -cp examples/target/tributary-examples.jar io.tributary.examples.ZeroMQWordCount \
 *     tcp://127.0.0.1:5555 words
 * </pre>
 */
public final class ZeroMQWordCount {
  private static final Pattern SPACE = Pattern.compile(" ");

  private ZeroMQWordCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 4 && args[0].equals("publish")) {
      publish(args[1], args[2], Arrays.copyOfRange(args, 3, args.length));
      return;
    }
    if (args.length != 2) {
      System.err.println("Usage: ZeroMQWordCount <publisher url> <topic>");
      System.err.println("       ZeroMQWordCount publish <bind url> <topic> <word>...   (a test publisher)");
      System.exit(1);
    }
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("ZeroMQWordCount");
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));

    // each message: the topic frame, then text frames (one record each)
    ZeroMQInputDStream<String> lines = ZeroMQUtils.createTextStream(
        ssc, args[0], true, List.of(args[1].getBytes(UTF_8)), StorageLevel.MEMORY_ONLY);
    lines.flatMap(line -> Arrays.asList(SPACE.split(line)).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .print();
    // the stream's counters: messages, records, bad input (oversized, undecodable), connections
    lines.foreachRDD((rdd, time) -> System.out.println("ZeroMQ receiver at " + time + ": " + lines.stats()));

    ssc.start();
    ssc.awaitTermination();
  }

  /** Publishes the words, one message a second, each word a frame after the topic frame. */
  private static void publish(String url, String topic, String[] words) throws InterruptedException {
    try (ZContext context = new ZContext()) {
      ZMQ.Socket publisher = context.createSocket(SocketType.PUB);
      publisher.bind(url);
      System.out.println("Publishing " + Arrays.toString(words) + " on topic '" + topic + "' at " + url);
      while (!Thread.currentThread().isInterrupted()) {
        publisher.sendMore(topic);
        for (int i = 0; i < words.length; i++) {
          if (i < words.length - 1) {
            publisher.sendMore(words[i]);
          } else {
            publisher.send(words[i]);
          }
        }
        Thread.sleep(1000);
      }
    }
  }
}
