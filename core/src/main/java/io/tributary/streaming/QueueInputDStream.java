package io.tributary.streaming;

import io.tributary.rdd.Rdd;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;

/** Batches taken from a queue of datasets (tests, and feeding prepared data). */
final class QueueInputDStream<T> extends InputDStream<T> {
  private final Queue<Rdd<T>> queue;
  private final boolean oneAtATime;
  private final Rdd<T> defaultRdd;

  public QueueInputDStream(StreamingContext ssc, Queue<Rdd<T>> queue, boolean oneAtATime, Rdd<T> defaultRdd) {
    super(ssc);
    this.queue = queue;
    this.oneAtATime = oneAtATime;
    this.defaultRdd = defaultRdd;
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public Optional<Rdd<T>> compute(Time validTime) {
    List<Rdd<T>> taken = new ArrayList<>();
    synchronized (queue) {
      if (oneAtATime) {
        Rdd<T> next = queue.poll();
        if (next != null) {
          taken.add(next);
        }
      } else {
        for (Rdd<T> next; (next = queue.poll()) != null; ) {
          taken.add(next);
        }
      }
    }
    Rdd<T> batch;
    if (taken.isEmpty()) {
      batch = defaultRdd != null ? defaultRdd : ssc.rddContext().emptyRdd();
    } else {
      batch = taken.size() == 1 ? taken.get(0) : ssc.rddContext().union(taken);
    }
    return Optional.of(batch);
  }
}
