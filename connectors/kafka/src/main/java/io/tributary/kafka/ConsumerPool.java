package io.tributary.kafka;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import io.tributary.Resources;
import io.tributary.rdd.RddContext;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumers of the tasks of one context (one pool per {@link Resources} registry: the
 * context's on the local engine, each executor's elsewhere), pooled per (parameters, partition) and reused from one
 * batch to the next, so a partition's next range usually continues where the previous task left
 * off without a seek or a new connection. A consumer is lent to one task at a time: tasks reading
 * the same partition at once (windows, concurrent jobs, split ranges) get different consumers,
 * so a consumer is never used by two threads. At most {@code maxIdle} idle consumers are kept;
 * the least recently used are closed beyond that. Closing the pool (with its registry) closes the
 * idle consumers, and those given back later.
 */
final class ConsumerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);
  private static final String KEY = "io.tributary.kafka.consumer-pool";

  private final ArrayDeque<Pooled> idle = new ArrayDeque<>(); // oldest first
  private boolean closed;

  /** The pool kept in {@code resources}, made on first use. */
  public static ConsumerPool of(Resources resources) {
    return resources.get(KEY, ConsumerPool.class, ConsumerPool::new);
  }

  /** The pool of the tasks of {@code context}. */
  public static ConsumerPool of(RddContext context) {
    return context.resource(KEY, ConsumerPool.class, ConsumerPool::new);
  }

  /** A consumer assigned to {@code partition} alone, idle from the pool or new. */
  public Pooled borrow(Map<String, Object> params, TopicPartition partition) {
    synchronized (this) {
      for (Iterator<Pooled> it = idle.descendingIterator(); it.hasNext(); ) {
        Pooled p = it.next();
        if (p.partition.equals(partition) && p.params.equals(params)) {
          it.remove();
          return p;
        }
      }
    }
    return new Pooled(params, partition);
  }

  /** Gives {@code consumer} back for reuse, closing the least recently used beyond {@code maxIdle}. */
  public void release(Pooled consumer, int maxIdle) {
    Pooled evicted;
    synchronized (this) {
      if (closed) {
        evicted = consumer;
      } else {
        idle.addLast(consumer);
        evicted = idle.size() > maxIdle ? idle.removeFirst() : null;
      }
    }
    if (evicted != null) {
      evicted.close();
    }
  }

  /** Closes the idle consumers whose group is {@code groupId} (when their stream stops). */
  public void closeGroup(String groupId) {
    List<Pooled> closing;
    synchronized (this) {
      closing = idle.stream().filter(p -> groupId.equals(p.params.get(ConsumerConfig.GROUP_ID_CONFIG))).toList();
      idle.removeAll(closing);
    }
    closing.forEach(Pooled::close);
  }

  /** Closes every idle consumer; consumers given back afterwards are closed too. */
  @Override
  public void close() {
    List<Pooled> closing;
    synchronized (this) {
      closed = true;
      closing = List.copyOf(idle);
      idle.clear();
    }
    closing.forEach(Pooled::close);
  }

  /** How many idle consumers the pool holds (for tests and metrics). */
  public synchronized int idleCount() {
    return idle.size();
  }

  /**
   * A consumer of one partition with the records it fetched beyond the last range read. {@link
   * #nextOffset()} is the offset from which its buffer and position continue without a gap.
   */
  public static final class Pooled {
    final Map<String, Object> params;
    final TopicPartition partition;
    final KafkaConsumer<Object, Object> consumer;
    final ArrayDeque<ConsumerRecord<Object, Object>> buffer = new ArrayDeque<>();
    long nextOffset = -1;

    Pooled(Map<String, Object> params, TopicPartition partition) {
      this.params = params;
      this.partition = partition;
      this.consumer = new KafkaConsumer<>(params);
      consumer.assign(List.of(partition));
      LOG.debug("New task consumer for {}", partition);
    }

    public long nextOffset() {
      return nextOffset;
    }

    /** Positions the consumer at {@code offset}, keeping the buffer when it continues there. */
    void seek(long offset) {
      if (offset != nextOffset) {
        buffer.clear();
        consumer.seek(partition, offset);
        nextOffset = offset;
      }
    }

    void close() {
      try {
        consumer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.warn("Error closing the task consumer of {}", partition, e);
      }
    }
  }
}
