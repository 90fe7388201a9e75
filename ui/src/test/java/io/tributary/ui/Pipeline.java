package io.tributary.ui;

import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.StreamingConf;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.ReceiverInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real running pipeline for the UI's tests: a receiver that restarts itself once and then
 * stores {@link #RECEIVED} records in steps, a queue stream (an input without a receiver), batches
 * every 200 ms on the wall clock, and a listener recording every event the UI sees too.
 */
final class Pipeline implements AutoCloseable {
  static final int RECEIVED = 600;
  static final List<Integer> QUEUED = List.of(30, 70, 100);

  final StreamingContext ssc;
  final List<BatchInfo> batches = new CopyOnWriteArrayList<>();
  final Map<Integer, ReceiverInfo> receivers = new ConcurrentHashMap<>();
  final AtomicInteger receiverStarts = new AtomicInteger();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A receiver that asks for one restart on its first start, then stores its records 20 at a time. */
  static final class Steady extends Receiver<String> {
    private final AtomicInteger starts = new AtomicInteger();

    Steady() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      if (starts.incrementAndGet() == 1) {
        restart("test: one restart on purpose", new IOException("connection reset (on purpose)"), 50);
        return;
      }
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; i < RECEIVED && !isStopped(); i += 20) {
            for (int j = 0; j < 20; j++) {
              store("record " + (i + j));
            }
            Thread.sleep(40);
          }
        } catch (InterruptedException | IllegalStateException stopped) {
          // stopped
        }
      }, "steady-receiver");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void onStop() {}
  }

  Pipeline(Map<String, String> settings) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("ui-test")
        .set("ui.port", "0").set("streaming.receiverRestartDelay", "50ms");
    settings.forEach(conf::set);
    ssc = new StreamingContext(conf, Durations.milliseconds(200));
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        batches.add(completed.batchInfo());
      }

      @Override
      public void onReceiverStarted(StreamingListenerReceiverStarted started) {
        receiverStarts.incrementAndGet();
        receivers.put(started.receiverInfo().streamId(), started.receiverInfo());
      }
    });
    ssc.receiverStream(new Steady()).name("steady").count().foreachRDD(rdd -> {
      rdd.collect();
    });
    Queue<Rdd<Integer>> queue = new ArrayDeque<>();
    for (int n : QUEUED) {
      queue.add(ssc.rddContext().parallelize(java.util.stream.IntStream.range(0, n).boxed().toList(), 2));
    }
    ssc.queueStream(queue).map(x -> x * 2).foreachRDD(rdd -> {
      rdd.count();
    });
  }

  Pipeline start() {
    ssc.start();
    return this;
  }

  /** The queue stream reports no record counts (as in Spark), so the receiver's are all. */
  static long totalRecords() {
    return RECEIVED;
  }

  /** Waits (bounded) until the listener saw every record and {@code more} further batches. */
  Pipeline awaitAllRecords(int more) {
    await().atMost(Duration.ofSeconds(30)).until(() -> batches.stream().mapToLong(BatchInfo::numRecords).sum() == totalRecords());
    int seen = batches.size();
    await().atMost(Duration.ofSeconds(30)).until(() -> batches.size() >= seen + more);
    return this;
  }

  URI url() {
    return StreamingUi.webUrl(ssc).orElseThrow(() -> new AssertionError("the UI is not running"));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(url().resolve(path)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    ssc.stop(true, false);
  }
}
