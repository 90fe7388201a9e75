package io.tributary.kafka;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.streaming.receiver.Receiver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A reliable Kafka receiver: consumer threads in the consumer group, each storing what one poll
 * returned as one block ({@code store(List)}, which returns once the block is stored, and written
 * to the write-ahead log when it is on) and only then committing those offsets. A crash between
 * the two re-delivers the block's records: at least once.
 */
final class KafkaReceiver<K, V> extends Receiver<Tuple2<K, V>> {
  private static final long serialVersionUID = 1L;

  private final Map<String, Object> params;
  private final Map<String, Integer> topicThreads;
  private transient List<KafkaConsumer<K, V>> consumers;

  public KafkaReceiver(Map<String, Object> params, Map<String, Integer> topicThreads, StorageLevel level) {
    super(level);
    this.params = params;
    this.topicThreads = Map.copyOf(topicThreads);
  }

  @Override
  public void onStart() {
    consumers = new CopyOnWriteArrayList<>();
    topicThreads.forEach((topic, threads) -> {
      for (int i = 0; i < threads; i++) {
        KafkaConsumer<K, V> consumer = new KafkaConsumer<>(params);
        consumers.add(consumer);
        Thread thread = new Thread(() -> consume(consumer, topic), "kafka-receiver-" + topic + "-" + i);
        thread.setDaemon(true);
        thread.start();
      }
    });
  }

  private void consume(KafkaConsumer<K, V> consumer, String topic) {
    try (consumer) {
      consumer.subscribe(List.of(topic));
      while (!isStopped()) {
        ConsumerRecords<K, V> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        List<Tuple2<K, V>> block = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (ConsumerRecord<K, V> r : records) {
          block.add(new Tuple2<>(r.key(), r.value()));
          offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
        }
        store(block, offsets.toString());
        consumer.commitSync(offsets);
      }
    } catch (WakeupException e) {
      // stopping
    } catch (RuntimeException e) {
      if (!isStopped()) {
        restart("Kafka receiver of topic " + topic + " failed: " + e.getMessage(), e);
      }
    }
  }

  @Override
  public void onStop() {
    if (consumers != null) {
      consumers.forEach(KafkaConsumer::wakeup);
      consumers = null;
    }
  }
}
