package io.tributary.streaming.testing;

import io.tributary.rdd.Rdd;
import io.tributary.streaming.DStream;
import io.tributary.streaming.DStreamLike;
import io.tributary.Duration;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.Time;
import io.tributary.BatchFailedException;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Queue;

/**
 * Runs a streaming pipeline batch by batch on a manual clock, for unit tests: feed input, advance
 * one batch, read the output. No sockets, no sleeps, the same results every run.
 *
 * <pre>{@code
 * try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
 *   TestInput<String> lines = driver.input();
 *   TestOutput<Tuple2<String, Integer>> counts = driver.collect(
 *       lines.stream()
 *           .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
 *           .mapToPair(w -> new Tuple2<>(w, 1))
 *           .reduceByKey(Integer::sum));
 *   driver.start();
 *   lines.addBatch("a b a");
 *   driver.advance();                       // runs the batch at 1000 ms
 *   assertThat(counts.batch(0)).containsExactlyInAnyOrder(new Tuple2<>("a", 2), new Tuple2<>("b", 1));
 * }
 * }</pre>
 */
public final class StreamingTestDriver implements AutoCloseable {
  private static final long BATCH_TIMEOUT_MS = 60_000;

  private final ManualClock clock = new ManualClock();
  private final StreamingContext ssc;
  private final Duration batchDuration;
  private Time lastBatch;
  private final List<BatchInfo> failedBatches = new CopyOnWriteArrayList<>();
  private final Object progress = new Object();
  private long lastCompleted = Long.MIN_VALUE;

  /** A driver on {@code local[2]}. */
  public StreamingTestDriver(Duration batchDuration) {
    this(new StreamingConf().setMaster("local[2]").setAppName("test"), batchDuration);
  }

  /**
   * A driver with {@code conf}. Failed outputs are retried as configured, but 10 ms apart unless
   * {@code streaming.batch.retryBackoff} is set, so tests of failures do not wait seconds.
   * Backpressure is off unless {@code streaming.backpressure.enabled} is set: its rates follow
   * how long batches take on the wall clock, which would make what a batch takes in differ
   * between runs. The web UI of {@code tributary-ui} is off unless {@code ui.enabled} is set.
   */
  public StreamingTestDriver(StreamingConf conf, Duration batchDuration) {
    this.batchDuration = batchDuration;
    StreamingConf withDefaults = new StreamingConf(conf)
        .setIfMissing("streaming.batch.retryBackoff", "10ms")
        .setIfMissing("streaming.backpressure.enabled", "false")
        .setIfMissing("ui.enabled", "false");
    this.ssc = new StreamingContext(withDefaults, batchDuration, clock);
    ssc.addStreamingListener(new StreamingListener() {
      @Override
      public void onBatchCompleted(StreamingListenerBatchCompleted completed) {
        if (completed.batchInfo().hasFailure()) {
          failedBatches.add(completed.batchInfo());
        }
        synchronized (progress) {
          lastCompleted = Math.max(lastCompleted, completed.batchInfo().batchTime().milliseconds());
          progress.notifyAll();
        }
      }
    });
  }

  /** The context, to define streams and outputs before {@link #start()}. */
  public StreamingContext context() {
    return ssc;
  }

  public ManualClock clock() {
    return clock;
  }

  /** A new input stream fed with {@link TestInput#addBatch}, two partitions per batch. */
  public <T> TestInput<T> input() {
    return input(2);
  }

  public <T> TestInput<T> input(int partitionsPerBatch) {
    Queue<Rdd<T>> queue = new ArrayDeque<>();
    DStream<T> stream = ssc.queueStream(queue, true);
    return new TestInput<>(stream, queue, ssc.rddContext(), partitionsPerBatch);
  }

  /** Collects every batch of {@code stream} (an output operation). */
  public <T> TestOutput<T> collect(DStreamLike<T, ?, ?> stream) {
    TestOutput<T> output = new TestOutput<>();
    stream.foreachRDD((rdd, time) -> output.add(time, rdd.collect()));
    return output;
  }

  public void start() {
    ssc.start();
  }

  /**
   * Runs the next batch and waits for all its output operations; returns its time. Throws the
   * {@link BatchFailedException} of a batch that failed for good (the context then stops); a batch
   * completed without a failed output ({@code streaming.batch.onFailure=skip}) is in {@link
   * #failedBatches()} instead.
   */
  public Time advance() {
    Time next = lastBatch == null
        ? new Time(clock.getTimeMillis()).floor(batchDuration).plus(batchDuration)
        : lastBatch.plus(batchDuration);
    clock.setTime(next.milliseconds());
    try {
      awaitCompleted(next);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for batch " + next, e);
    }
    lastBatch = next;
    return next;
  }

  /** Waits for the listeners to see batch {@code time} completed; throws the context's failure. */
  private void awaitCompleted(Time time) throws InterruptedException {
    long deadline = System.nanoTime() + BATCH_TIMEOUT_MS * 1_000_000L;
    while (true) {
      synchronized (progress) {
        if (lastCompleted >= time.milliseconds()) {
          return;
        }
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          throw new IllegalStateException("Batch " + time + " did not complete within " + BATCH_TIMEOUT_MS + " ms");
        }
        progress.wait(Math.min(left, 10));
      }
      if (ssc.awaitTerminationOrTimeout(0)) { // throws the failure that stopped the context
        throw new IllegalStateException("The context stopped before batch " + time + " completed");
      }
    }
  }

  /** Runs the next {@code batches} batches; returns the time of the last one. */
  public Time advance(int batches) {
    Time t = lastBatch;
    for (int i = 0; i < batches; i++) {
      t = advance();
    }
    return t;
  }

  /**
   * The batches completed with a failed output operation so far ({@code
   * streaming.batch.onFailure=skip}), as their listeners saw them; possibly later than {@link
   * #advance()} returns, as listener events are delivered on their own thread.
   */
  public List<BatchInfo> failedBatches() {
    return List.copyOf(failedBatches);
  }

  /** The time of the last batch run, or null before the first. */
  public Time lastBatchTime() {
    return lastBatch;
  }

  @Override
  public void close() {
    ssc.stop();
  }
}
