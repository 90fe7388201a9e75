package io.tributary.examples;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.flume.FlumeEvent;
import io.tributary.flume.FlumeReceiverStats;
import io.tributary.flume.FlumeUtils;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flume.Event;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;

/**
 * Counts the events a Flume agent hands over, every 2 seconds, in either mode.
 *
 * <ul>
 *   <li>Push: {@code FlumeEventCount push <host> <port>} serves Flume's Avro RPC there; point an agent's
 *       {@code avro} sink at it (see the README), or send test events with {@code FlumeEventCount send
 *       <host> <port>} (a flume-ng-sdk RpcClient, 100 events every 100 ms).
 *   <li>Pull: {@code FlumeEventCount pull <host:port>[,<host:port>...]} polls the agents' {@code
 *       io.tributary.flume.sink.TributarySink}s (put {@code tributary-flume-sink.jar} in the agent's class path).
 * </ul>
 *
 * <p>Add a checkpoint directory as a last argument to turn the write-ahead log on: then nothing the
 * agent let go of is lost if this application dies.
 * {@code java -cp examples/target/tributary-examples.jar io.tributary.examples.FlumeEventCount push 0.0.0.0 41414}
 */
public final class FlumeEventCount {
  private FlumeEventCount() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 3 && args[0].equals("send")) {
      send(args[1], Integer.parseInt(args[2]));
      return;
    }
    boolean push = args.length >= 3 && args[0].equals("push");
    boolean pull = args.length >= 2 && args[0].equals("pull");
    if (!push && !pull) {
      System.err.println("Usage: FlumeEventCount push <host> <port> [checkpoint dir]\n"
          + "       FlumeEventCount pull <host:port>[,<host:port>...] [checkpoint dir]\n"
          + "       FlumeEventCount send <host> <port>");
      System.exit(1);
    }
    String checkpoint = args.length > (push ? 3 : 2) ? args[push ? 3 : 2] : null;
    StreamingConf conf = new StreamingConf().setMaster("local[*]").setAppName("FlumeEventCount")
        .set("streaming.receiver.writeAheadLog.enable", Boolean.toString(checkpoint != null));
    StreamingContext ssc = new StreamingContext(conf, Durations.seconds(2));
    if (checkpoint != null) {
      ssc.checkpoint(checkpoint);
    }
    ReceiverInputDStream<FlumeEvent> events;
    if (push) {
      events = FlumeUtils.createStream(ssc, args[1], Integer.parseInt(args[2]), StorageLevel.MEMORY_AND_DISK_SER);
    } else {
      List<InetSocketAddress> agents = new ArrayList<>();
      for (String hostPort : args[1].split(",")) {
        int colon = hostPort.lastIndexOf(':');
        agents.add(new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
      }
      events = FlumeUtils.createPollingStream(ssc, agents, StorageLevel.MEMORY_AND_DISK_SER);
    }
    events.count().map(n -> "Received " + n + " flume events.").print();
    events.foreachRDD(rdd -> {
      FlumeReceiverStats stats = FlumeUtils.stats(events);
      if (stats.oversizedEvents() + stats.undecodableRequests() + stats.oversizedRequests() > 0) {
        System.err.println("Bad input so far: " + stats);
      }
    });
    ssc.start();
    ssc.awaitTermination();
  }

  /** Sends 100 numbered events every 100 ms with the SDK's RpcClient, until stopped. */
  private static void send(String host, int port) throws Exception {
    RpcClient client = RpcClientFactory.getDefaultInstance(host, port, 100);
    try {
      for (long n = 0; ; ) {
        List<Event> batch = new ArrayList<>(100);
        for (int i = 0; i < 100; i++, n++) {
          batch.add(EventBuilder.withBody(("event " + n).getBytes(StandardCharsets.UTF_8), Map.of("n", Long.toString(n))));
        }
        client.appendBatch(batch);
        Thread.sleep(100);
      }
    } finally {
      client.close();
    }
  }
}
