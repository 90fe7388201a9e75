package io.tributary.kafka;

import java.io.Serializable;
import java.lang.ref.Cleaner;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads one offset range in a task, with a pooled consumer. Gaps are expected (compacted topics,
 * transaction markers, aborted records under {@code read_committed}): the range is done when the
 * consumer's position reaches its end, never waiting for offsets that will not come.
 *
 * @param params the consumer parameters ({@link KafkaParams#forExecutor})
 * @param pollTimeoutMs how long a poll may return nothing before the task fails
 * @param cacheEnabled whether consumers are pooled (else each task makes and closes its own)
 * @param maxIdleConsumers the most idle consumers the pool keeps
 */
record OffsetRangeReader(
    Map<String, Object> params, long pollTimeoutMs, boolean cacheEnabled, int maxIdleConsumers)
    implements Serializable {
  private static final Cleaner CLEANER = Cleaner.create();

  /**
   * A reader with {@code executorParams} and the settings of {@code conf}: {@code
   * streaming.kafka.consumer.poll.ms} (default 120000), {@code streaming.kafka.consumer.cache.enabled}
   * (true) and {@code streaming.kafka.consumer.cache.maxCapacity} (64).
   */
  public static OffsetRangeReader fromConf(io.tributary.StreamingConf conf, Map<String, Object> executorParams) {
    long pollMs = conf.getLong("streaming.kafka.consumer.poll.ms", 120_000);
    int maxIdle = conf.getInt("streaming.kafka.consumer.cache.maxCapacity", 64);
    if (pollMs <= 0 || maxIdle < 0) {
      throw new IllegalArgumentException("streaming.kafka.consumer.poll.ms must be > 0 and "
          + "streaming.kafka.consumer.cache.maxCapacity >= 0, got " + pollMs + " and " + maxIdle);
    }
    return new OffsetRangeReader(executorParams, pollMs,
        conf.getBoolean("streaming.kafka.consumer.cache.enabled", true), maxIdle);
  }

  /** The records of {@code range}, in offset order; the consumer goes back to the pool at the end. */
  public <K, V> Iterator<ConsumerRecord<K, V>> read(OffsetRange range) {
    if (range.count() == 0) {
      return java.util.Collections.emptyIterator();
    }
    return new RangeIterator<>(this, range);
  }

  /** Returns a consumer to the pool, or closes it: once, from the iterator or its cleaner. */
  private static final class Lease implements Runnable {
    private final OffsetRangeReader reader;
    private final ConsumerPool pool; // null: the consumer is not pooled
    private ConsumerPool.Pooled consumer;

    Lease(OffsetRangeReader reader, ConsumerPool pool, ConsumerPool.Pooled consumer) {
      this.reader = reader;
      this.pool = pool;
      this.consumer = consumer;
    }

    synchronized void end(boolean reusable) {
      if (consumer == null) {
        return;
      }
      if (reusable && pool != null) {
        pool.release(consumer, reader.maxIdleConsumers());
      } else {
        consumer.close();
      }
      consumer = null;
    }

    @Override
    public void run() { // the iterator was dropped before its end: its consumer's state is unknown
      end(false);
    }
  }

  private static final class RangeIterator<K, V> implements Iterator<ConsumerRecord<K, V>> {
    private final OffsetRangeReader reader;
    private final OffsetRange range;
    private final TopicPartition partition;
    private final ConsumerPool.Pooled consumer;
    private final Lease lease;
    private final Cleaner.Cleanable cleanable;
    private ConsumerRecord<K, V> next;
    private boolean done;

    RangeIterator(OffsetRangeReader reader, OffsetRange range) {
      this.reader = reader;
      this.range = range;
      this.partition = range.topicPartition();
      io.tributary.TaskContext task = io.tributary.TaskContext.get();
      ConsumerPool pool = reader.cacheEnabled() && task != null ? ConsumerPool.of(task.resources()) : null;
      this.consumer = pool != null
          ? pool.borrow(reader.params(), partition)
          : new ConsumerPool.Pooled(reader.params(), partition);
      this.lease = new Lease(reader, pool, consumer);
      this.cleanable = CLEANER.register(this, lease);
      try {
        consumer.seek(range.fromOffset());
      } catch (RuntimeException e) {
        finish(false);
        throw e;
      }
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        try {
          next = fetchNext();
        } catch (RuntimeException e) {
          finish(false);
          throw e;
        }
        if (next == null) {
          consumer.nextOffset = range.untilOffset();
          finish(true);
        }
      }
      return next != null;
    }

    @Override
    public ConsumerRecord<K, V> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      ConsumerRecord<K, V> record = next;
      next = null;
      return record;
    }

    private void finish(boolean reusable) {
      done = true;
      lease.end(reusable);
      cleanable.clean();
    }

    @SuppressWarnings("unchecked")
    private ConsumerRecord<K, V> fetchNext() {
      long waitingSince = System.currentTimeMillis();
      while (true) {
        ConsumerRecord<Object, Object> record = consumer.buffer.pollFirst();
        if (record != null) {
          if (record.offset() < range.fromOffset()) {
            continue;
          }
          if (record.offset() >= range.untilOffset()) {
            consumer.buffer.addFirst(record);
            return null;
          }
          return (ConsumerRecord<K, V>) record;
        }
        long position = consumer.consumer.position(partition);
        if (position >= range.untilOffset()) {
          return null;
        }
        long waited = System.currentTimeMillis() - waitingSince;
        if (waited >= reader.pollTimeoutMs()) {
          throw new IllegalStateException("No record of " + range + " arrived within " + reader.pollTimeoutMs()
              + " ms (the consumer stands at offset " + position + "): is the broker reachable? Raise "
              + "streaming.kafka.consumer.poll.ms if it is just slow");
        }
        try {
          consumer.consumer.poll(Duration.ofMillis(Math.min(1_000, reader.pollTimeoutMs() - waited)))
              .records(partition).forEach(consumer.buffer::addLast);
        } catch (OffsetOutOfRangeException e) {
          long earliest = consumer.consumer.beginningOffsets(java.util.List.of(partition)).get(partition);
          long latest = consumer.consumer.endOffsets(java.util.List.of(partition)).get(partition);
          throw new IllegalStateException("Offsets " + range + " are no longer in Kafka, which holds offsets ["
              + earliest + ", " + latest + ") of " + partition + " now: retention deleted them, or the topic was "
              + "re-created. This batch cannot be read again; delete the checkpoint or start from explicit offsets", e);
        }
      }
    }
  }
}
