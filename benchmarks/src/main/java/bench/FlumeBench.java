package bench;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.flume.FlumeEvent;
import io.tributary.flume.FlumeUtils;
import io.tributary.flume.sink.TributarySink;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.StreamingContext;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.ipc.netty.NettyServer;
import org.apache.avro.ipc.specific.SpecificResponder;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.Transaction;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.channel.MemoryChannel;
import org.apache.flume.conf.Configurables;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.source.avro.AvroFlumeEvent;
import org.apache.flume.source.avro.AvroSourceProtocol;
import org.apache.flume.source.avro.Status;

/**
 * Flume throughput, events of 100-byte bodies, all in one JVM over loopback.
 * <ul>
 *   <li>{@code plain}: a flume-ng-sdk RpcClient (batches of 1000) to a bare AvroSourceProtocol server that
 *       counts and answers OK: the transport's limit.
 *   <li>{@code push}: the same client to {@code FlumeUtils.createStream}; counted by the stream's batches.
 *   <li>{@code pull}: {@code FlumeUtils.createPollingStream} draining a memory channel pre-filled with the
 *       events through a TributarySink (threads 10, maxBatchSize 1000, parallelism 5).
 * </ul>
 * The time is from the first to the last event of {@code events} stored by the receiver (push: the last
 * batch answered OK; pull: the receiver's count of stored events), after a warm-up of a fifth as many;
 * the run then checks that the stream's batches counted every event.
 * Usage: bench.FlumeBench plain|push|pull [events] [wal]. Prints one RESULT line.
 */
public final class FlumeBench {
  private static final int BATCH = 1000;

  private FlumeBench() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    boolean wal = args.length > 2 && args[2].equals("wal");
    double seconds = switch (mode) {
      case "plain" -> plain(events);
      case "push" -> push(events, wal);
      case "pull" -> pull(events, wal);
      default -> throw new IllegalArgumentException("mode must be plain, push or pull, not " + mode);
    };
    System.out.printf("RESULT workload=flume-%s%s events=%d seconds=%.2f events_per_s=%.0f%n", mode,
        mode.equals("plain") ? "" : wal ? "-wal" : "-nowal", events, seconds, events / seconds);
    System.exit(0);
  }

  private static List<Event> batch() {
    List<Event> batch = new ArrayList<>(BATCH);
    for (int i = 0; i < BATCH; i++) {
      batch.add(EventBuilder.withBody(new byte[100]));
    }
    return batch;
  }

  private static double send(int port, int events) throws Exception {
    RpcClient client = RpcClientFactory.getDefaultInstance("127.0.0.1", port, BATCH);
    List<Event> batch = batch();
    long start = System.nanoTime();
    for (int sent = 0; sent < events; sent += BATCH) {
      client.appendBatch(batch);
    }
    client.close();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double plain(int events) throws Exception {
    AtomicLong count = new AtomicLong();
    AvroSourceProtocol counter = new AvroSourceProtocol() {
      @Override
      public Status append(AvroFlumeEvent event) {
        count.incrementAndGet();
        return Status.OK;
      }

      @Override
      public Status appendBatch(List<AvroFlumeEvent> batch) {
        count.addAndGet(batch.size());
        return Status.OK;
      }
    };
    NioEventLoopGroup boss = new NioEventLoopGroup(1);
    NioEventLoopGroup workers = new NioEventLoopGroup(2);
    DefaultEventLoopGroup callers = new DefaultEventLoopGroup(4);
    NettyServer server = new NettyServer(new SpecificResponder(AvroSourceProtocol.class, counter),
        new InetSocketAddress("127.0.0.1", 0), ch -> {}, b -> {}, boss, workers, callers);
    send(server.getPort(), events / 5); // warm-up
    double seconds = send(server.getPort(), events);
    server.close();
    callers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    return seconds;
  }

  private static StreamingContext context(boolean wal) throws Exception {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("flume-bench")
        .set("streaming.receiver.writeAheadLog.enable", Boolean.toString(wal));
    StreamingContext ssc = new StreamingContext(conf, Durations.milliseconds(500));
    if (wal) {
      ssc.checkpoint(Files.createTempDirectory("flume-bench-").toString());
    }
    return ssc;
  }

  private static void count(ReceiverInputDStream<FlumeEvent> stream, AtomicLong counted) {
    stream.foreachRDD(rdd -> {
      counted.addAndGet(rdd.count());
    });
  }

  private static void awaitCount(AtomicLong counted, long events) throws InterruptedException {
    while (counted.get() < events) {
      Thread.sleep(5);
    }
  }

  private static double push(int events, boolean wal) throws Exception {
    StreamingContext ssc = context(wal);
    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ReceiverInputDStream<FlumeEvent> stream = FlumeUtils.createStream(ssc, "127.0.0.1", port,
        StorageLevel.MEMORY_AND_DISK_SER);
    AtomicLong counted = new AtomicLong();
    count(stream, counted);
    ssc.start();
    waitForPort(port);
    send(port, events / 5); // warm-up
    long start = System.nanoTime();
    send(port, events); // each batch is answered once stored
    double seconds = (System.nanoTime() - start) / 1e9;
    awaitCount(counted, events + events / 5 / BATCH * BATCH); // and every event is counted by the batches
    ssc.stop();
    return seconds;
  }

  private static void waitForPort(int port) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("nothing listens on " + port);
  }

  private static double pull(int events, boolean wal) throws Exception {
    MemoryChannel channel = new MemoryChannel();
    channel.setName("c1");
    int total = events + events / 5 + BATCH; // warm-up, measured, and the batches in flight at the end
    Configurables.configure(channel, new Context(Map.of("capacity", Integer.toString(total),
        "transactionCapacity", Integer.toString(BATCH), "keep-alive", "0", "byteCapacity", "0")));
    channel.start();
    for (int put = 0; put < total; put += BATCH) {
      Transaction tx = channel.getTransaction();
      tx.begin();
      for (int i = 0; i < BATCH; i++) {
        channel.put(EventBuilder.withBody(new byte[100]));
      }
      tx.commit();
      tx.close();
    }
    TributarySink sink = new TributarySink();
    sink.setName("k1");
    sink.setChannel(channel);
    Configurables.configure(sink, new Context(Map.of("hostname", "127.0.0.1", "port", "0", "threads", "10")));
    sink.start();
    StreamingContext ssc = context(wal);
    ReceiverInputDStream<FlumeEvent> stream = FlumeUtils.createPollingStream(ssc,
        List.of(new InetSocketAddress("127.0.0.1", sink.getPort())), StorageLevel.MEMORY_AND_DISK_SER, BATCH, 5);
    AtomicLong counted = new AtomicLong();
    count(stream, counted);
    ssc.start();
    int warm = events / 5; // the channel holds warm-up and measured events
    while (FlumeUtils.stats(stream).eventsStored() < warm) {
      Thread.sleep(1);
    }
    long base = FlumeUtils.stats(stream).eventsStored();
    long start = System.nanoTime();
    while (FlumeUtils.stats(stream).eventsStored() < base + events) {
      Thread.sleep(1);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    awaitCount(counted, events + warm);
    ssc.stop();
    sink.stop();
    channel.stop();
    return seconds;
  }
}
