package io.tributary.kafka;

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
 * The producers of the Kafka sinks of this JVM, kept from one batch to the next:
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
 */
final class ProducerPool {
  private static final Logger LOG = LoggerFactory.getLogger(ProducerPool.class);
  private static final ProducerPool SHARED = new ProducerPool();
  private static final java.util.concurrent.atomic.AtomicLong SERIALS = new java.util.concurrent.atomic.AtomicLong();

  private final Map<Map<String, Object>, KafkaProducer<Object, Object>> shared = new HashMap<>();
  private final Map<Key, Transactional> transactional = new HashMap<>();
  private final Map<Key, KafkaConsumer<byte[], byte[]>> offsetReaders = new HashMap<>();
  private final Map<String, String> groupOwners = new HashMap<>();

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

  /** The pool of this JVM. */
  public static ProducerPool shared() {
    return SHARED;
  }

  /** The shared non-transactional producer of {@code config}. */
  public KafkaProducer<Object, Object> producer(Map<String, Object> config) {
    synchronized (shared) {
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
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.warn("Closing a Kafka sink client failed", e);
      }
    }
  }
}
