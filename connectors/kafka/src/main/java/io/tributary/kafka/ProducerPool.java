package io.tributary.kafka;

import io.tributary.TaskContext;
import io.tributary.rdd.RddContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producers of the Kafka sinks of one context, kept from one batch to the next:
 *
 * <ul>
 *   <li>at least once: one shared (thread-safe) producer per configuration;
 *   <li>exactly once: one transactional producer per (configuration, transactional id), whose
 *       {@code initTransactions()} ran once when it was made (which fences older producers with
 *       the same id and aborts their open transaction). It is lent to one task at a time.
 * </ul>
 *
 * <p>Also one consumer per (configuration, group) to read committed offsets (never joining the
 * group), and which exactly-once sink commits to which consumer group.
 *
 * <p>A pool is a resource of the dataset context ({@link RddContext#resource}): made on first use,
 * closed when the context closes (a streaming context closes its dataset context when it stops),
 * so producers live as long as the application that uses them. The driver plans with the pool of
 * its context ({@link #of}), tasks write with the pool of where they run ({@link #inTask}): with
 * the local engine the same pool. On an engine that runs tasks on other machines, each executor
 * has its own pool; a task then finds a producer other than the one the driver planned with (its
 * {@linkplain Transactional#serial serial} differs) and reads the committed offset again.
 */
final class ProducerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerPool.class);
  private static final String KEY = ProducerPool.class.getName();
  /** How long closing a producer may wait for records still in flight. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();

  private final Map<Map<String, Object>, KafkaProducer<Object, Object>> shared = new HashMap<>();
  private final Map<Key, Transactional> transactional = new HashMap<>();
  private final Map<Key, KafkaConsumer<byte[], byte[]>> offsetReaders = new HashMap<>();
  private final Map<String, String> groupOwners = new HashMap<>();
  private boolean closed;

  private record Key(Map<String, Object> config, String transactionalId) {}

  /** A transactional producer and what this JVM knows of its progress. */
  public static final class Transactional {
    private final Key key;
    private final KafkaProducer<Object, Object> producer;
    private final long serial = SERIALS.incrementAndGet();
    private boolean lent;
    private long lastCommitted = -1;

    private Transactional(Key key, KafkaProducer<Object, Object> producer) {
      this.key = key;
      this.producer = producer;
    }

    public KafkaProducer<Object, Object> producer() {
      return producer;
    }

    public String transactionalId() {
      return key.transactionalId();
    }

    /** Different for every producer made in this JVM: tells a producer made again from the one seen before. */
    public long serial() {
      return serial;
    }

    /**
     * The input offset this producer last committed in a transaction (its id belongs to one
     * input partition), or -1 when it committed none since it was made.
     */
    public synchronized long lastCommitted() {
      return lastCommitted;
    }

    public synchronized void lastCommitted(long offset) {
      lastCommitted = offset;
    }
  }

  /** The pool of {@code context}, made on first use and closed with it. */
  public static ProducerPool of(RddContext context) {
    return context.resource(KEY, ProducerPool.class, ProducerPool::new);
  }

  /**
   * The pool of where the current task runs ({@link TaskContext#resources()}): with the local
   * engine, its context's.
   *
   * @throws IllegalStateException outside a task
   */
  public static ProducerPool inTask() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      throw new IllegalStateException("KafkaSink writes in tasks only");
    }
    return task.resources().get(KEY, ProducerPool.class, ProducerPool::new);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("The Kafka producers of this context are closed: its context was stopped. "
          + "Write with a context that is still running");
    }
  }

  /** The shared non-transactional producer of {@code config}. */
  public KafkaProducer<Object, Object> producer(Map<String, Object> config) {
    synchronized (shared) {
      synchronized (this) {
        requireOpen();
      }
      return shared.computeIfAbsent(config, KafkaProducer::new);
    }
  }

  /**
   * The transactional producer of {@code transactionalId}, lent to the caller alone until {@link
   * #release} or {@link #discard}. A new one is made and initialized (fencing any older producer
   * with the same id, whose open transaction is aborted).
   *
   * @throws IllegalStateException when it is lent already: two tasks of this JVM would write with
   *     the same transactional id at once
   */
  public Transactional borrow(Map<String, Object> config, String transactionalId) {
    Key key = new Key(config, transactionalId);
    synchronized (this) {
      requireOpen();
      Transactional t = transactional.get(key);
      if (t != null) {
        if (t.lent) {
          throw new IllegalStateException("Transactional id '" + transactionalId + "' is in use by another task of "
              + "this JVM: an exactly-once KafkaSink needs its batches to run one at a time (streaming.concurrentJobs=1) "
              + "and a transactional id prefix of its own");
        }
        t.lent = true;
        return t;
      }
    }
    Map<String, Object> props = new HashMap<>(config);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    KafkaProducer<Object, Object> producer = new KafkaProducer<>(props);
    try {
      producer.initTransactions();
    } catch (RuntimeException e) {
      producer.close(Duration.ZERO);
      throw new IllegalStateException("Cannot initialize the transactions of transactional id '" + transactionalId
          + "': is the broker reachable, and able to keep transactions (transaction.state.log.replication.factor and "
          + "transaction.state.log.min.isr not above the number of brokers)?", e);
    }
    LOG.debug("Transactional producer {} initialized", transactionalId);
    Transactional made = new Transactional(key, producer);
    made.lent = true;
    synchronized (this) {
      if (closed) { // closed while this one was initialized
        producer.close(Duration.ZERO);
        requireOpen();
      }
      Transactional raced = transactional.putIfAbsent(key, made);
      if (raced != null) { // cannot happen while ids are lent to one task at a time; keep the newest
        LOG.warn("Two producers of transactional id {} were made at once", transactionalId);
        transactional.put(key, made);
      }
    }
    return made;
  }

  /** Gives {@code t} back for the next batch (its transaction is committed or aborted). */
  public synchronized void release(Transactional t) {
    t.lent = false;
  }

  /** Closes {@code t} (fenced, or in an unknown state): the next borrow makes a new one. */
  public void discard(Transactional t) {
    synchronized (this) {
      transactional.remove(t.key, t);
      t.lent = false;
    }
    try {
      t.producer.close(Duration.ZERO);
    } catch (RuntimeException e) {
      LOG.debug("Closing producer {} failed", t.transactionalId(), e);
    }
  }

  /**
   * The committed offsets of {@code partitions} in {@code groupId} (none for partitions without),
   * once no transaction that sent offsets of them is pending: read like a {@code read_committed}
   * consumer, which waits for such transactions to complete ({@code require_stable}), unlike the
   * admin client, which leaves such partitions out of its answer.
   */
  public Map<TopicPartition, Long> committed(Map<String, Object> config, String groupId,
      Set<TopicPartition> partitions, Duration timeout) {
    KafkaConsumer<byte[], byte[]> consumer;
    synchronized (offsetReaders) {
      synchronized (this) {
        requireOpen();
      }
      consumer = offsetReaders.computeIfAbsent(new Key(config, groupId), k -> {
        Map<String, Object> props = new HashMap<>();
        config.forEach((name, value) -> {
          if (ConsumerConfig.configNames().contains(name)) {
            props.put(name, value);
          }
        });
        props.remove(ConsumerConfig.CLIENT_ID_CONFIG);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return new KafkaConsumer<>(props);
      });
    }
    synchronized (consumer) { // not thread-safe
      Map<TopicPartition, Long> result = new HashMap<>();
      consumer.committed(partitions, timeout).forEach((tp, om) -> {
        if (om != null) {
          result.put(tp, om.offset());
        }
      });
      return result;
    }
  }

  /**
   * Records that the exactly-once sink with {@code prefix} commits its input offsets to {@code
   * groupId}.
   *
   * @throws IllegalStateException when another sink does already: both would take the other's
   *     committed offsets for their own progress
   */
  public synchronized void claimGroup(String groupId, String prefix) {
    String owner = groupOwners.putIfAbsent(groupId, prefix);
    if (owner != null && !owner.equals(prefix)) {
      throw new IllegalStateException("Consumer group '" + groupId + "' already receives the input offsets of the "
          + "exactly-once KafkaSink with transactional id prefix '" + owner + "'; the sink with prefix '" + prefix
          + "' would take them for its own progress and skip batches. Give each exactly-once sink of a stream its own "
          + "group: sink.writeWithOffsets(rdd, ranges, \"another-group\", time)");
    }
  }

  /**
   * Closes the producers of one sink: the transactional ones of {@code config} whose ids start
   * with {@code prefix + "-"}, or the shared one of {@code config} when {@code prefix} is null;
   * and the offset readers of {@code config} (made again when needed).
   */
  public void close(Map<String, Object> config, String prefix) {
    List<AutoCloseable> closing = new ArrayList<>();
    if (prefix == null) {
      synchronized (shared) {
        KafkaProducer<Object, Object> p = shared.remove(config);
        if (p != null) {
          closing.add(p);
        }
      }
    } else {
      synchronized (this) {
        transactional.entrySet().removeIf(e -> {
          if (e.getKey().config().equals(config) && e.getKey().transactionalId().startsWith(prefix + "-")) {
            closing.add(e.getValue().producer);
            return true;
          }
          return false;
        });
      }
    }
    synchronized (offsetReaders) {
      offsetReaders.entrySet().removeIf(e -> {
        if (e.getKey().config().equals(config)) {
          closing.add(e.getValue());
          return true;
        }
        return false;
      });
    }
    closeAll(closing);
  }

  /**
   * Closes every client of the pool (the context stops); later use fails. A producer sends what it
   * still holds and a transactional one aborts its open transaction (a task stopped in the middle),
   * as {@code KafkaProducer.close} does, waiting at most 10 s each; a producer that cannot reach
   * the broker in that time leaves its transaction to the broker ({@code transaction.timeout.ms})
   * or to the next producer of its id, which fences it.
   */
  @Override
  public void close() {
    List<AutoCloseable> closing = new ArrayList<>();
    synchronized (shared) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        transactional.values().forEach(t -> closing.add(t.producer));
        transactional.clear();
      }
      closing.addAll(shared.values());
      shared.clear();
    }
    synchronized (offsetReaders) {
      closing.addAll(offsetReaders.values());
      offsetReaders.clear();
    }
    closeAll(closing);
    LOG.debug("Closed {} Kafka sink clients", closing.size());
  }

  private static void closeAll(List<AutoCloseable> closing) {
    for (AutoCloseable c : closing) {
      try {
        if (c instanceof KafkaProducer<?, ?> p) {
          p.close(CLOSE_TIMEOUT);
        } else if (c instanceof KafkaConsumer<?, ?> k) {
          k.close(CLOSE_TIMEOUT);
        } else {
          c.close();
        }
      } catch (Exception e) {
        LOG.warn("Closing a Kafka sink client failed", e);
      }
    }
  }
}
