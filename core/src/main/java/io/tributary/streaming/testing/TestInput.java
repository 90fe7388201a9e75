package io.tributary.streaming.testing;

import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.DStream;
import io.tributary.streaming.PairDStream;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

/**
 * Input a test feeds batch by batch: each {@link #addBatch} queues the elements of one future
 * batch; a batch with nothing queued is empty.
 */
public final class TestInput<T> {
  private final DStream<T> stream;
  private final Queue<Rdd<T>> queue;
  private final RddContext context;
  private final int partitions;

  TestInput(DStream<T> stream, Queue<Rdd<T>> queue, RddContext context, int partitions) {
    this.stream = stream;
    this.queue = queue;
    this.context = context;
    this.partitions = partitions;
  }

  /** The stream of this input, to build the pipeline under test on. */
  public DStream<T> stream() {
    return stream;
  }

  /** The stream as pairs, for inputs of {@code Tuple2} elements. */
  @SuppressWarnings("unchecked")
  public <K, V> PairDStream<K, V> pairStream() {
    return PairDStream.fromDStream((DStream<Tuple2<K, V>>) (DStream<?>) stream);
  }

  /** Queues the elements of the next batch not yet fed. */
  public TestInput<T> addBatch(List<T> elements) {
    Rdd<T> rdd = context.parallelize(elements, partitions);
    synchronized (queue) {
      queue.add(rdd);
    }
    return this;
  }

  @SafeVarargs
  public final TestInput<T> addBatch(T... elements) {
    return addBatch(Arrays.asList(elements));
  }
}
