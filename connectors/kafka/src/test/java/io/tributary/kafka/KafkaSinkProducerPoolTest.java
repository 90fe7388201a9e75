package io.tributary.kafka;

import static io.tributary.kafka.EmbeddedKafka.bootstrapServers;
import static io.tributary.kafka.EmbeddedKafka.consumerParams;
import static io.tributary.kafka.EmbeddedKafka.createTopic;
import static io.tributary.kafka.EmbeddedKafka.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink's producers belong to the dataset context: made on first use, closed when it closes. */
@ExtendWith(EmbeddedKafka.class)
class KafkaSinkProducerPoolTest {
  private final List<RddContext> contexts = new ArrayList<>();

  @AfterEach
  void close() {
    contexts.forEach(RddContext::close);
  }

  private RddContext newContext() {
    RddContext context = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("pool")
        .set("streaming.kafka.consumer.poll.ms", "10000"));
    contexts.add(context);
    return context;
  }

  private static Rdd<String> values(RddContext context, String group, OffsetRange... ranges) {
    Rdd<ConsumerRecord<String, String>> rdd =
        KafkaUtils.createRdd(context, consumerParams(group), ranges, LocationStrategies.preferConsistent());
    return rdd.map(ConsumerRecord::value);
  }

  /** The network threads of the producers whose client id contains {@code name}. */
  static List<String> producerThreads(String name) {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("kafka-producer-network-thread") && n.contains(name)).sorted().toList();
  }

  private static List<String> range(String prefix, int from, int until) {
    return IntStream.range(from, until).mapToObj(i -> prefix + "-" + i).collect(Collectors.toList());
  }

  @Test
  void stoppingTheContextClosesItsProducersAndANewContextMakesFreshOnes() {
    createTopic("pool-in", 2);
    createTopic("pool-out", 1);
    produce("pool-in", 0, "p", 10);
    produce("pool-in", 1, "q", 10);
    KafkaSink<String> exactlyOnce = KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .valueSerializer(StringSerializer.class).exactlyOnce("pool-app").forValues("pool-out");
    KafkaSink<String> atLeastOnce = KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .valueSerializer(StringSerializer.class).property("client.id", "pool-alo").forValues("pool-copy");

    RddContext first = newContext();
    exactlyOnce.write(values(first, "g-pool", OffsetRange.create("pool-in", 0, 0, 5),
        OffsetRange.create("pool-in", 1, 0, 5)), new Time(1000));
    atLeastOnce.write(first.parallelize(List.of("x", "y"), 2), new Time(1000));
    assertThat(producerThreads("pool-app")).hasSize(2);
    assertThat(producerThreads("pool-alo")).hasSize(1);

    first.close();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(producerThreads("pool-app")).isEmpty();
      assertThat(producerThreads("pool-alo")).isEmpty();
    });

    // a new run: new producers, which fence nothing of this one and know nothing of what it committed
    RddContext second = newContext();
    exactlyOnce.write(values(second, "g-pool", OffsetRange.create("pool-in", 0, 0, 10),
        OffsetRange.create("pool-in", 1, 5, 10)), new Time(2000));
    assertThat(producerThreads("pool-app")).hasSize(2);
    List<String> expected = new ArrayList<>(range("p", 0, 10));
    expected.addAll(range("q", 0, 10));
    assertThat(KafkaSinkTest.readCommitted("pool-out")).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(KafkaSinkTest.readAll("pool-copy", "read_uncommitted")).containsExactlyInAnyOrder("x", "y");

    exactlyOnce.close(); // closes this sink's producers in the contexts it wrote with, before they stop
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(producerThreads("pool-app")).isEmpty());
  }

  static final CountDownLatch IN_TRANSACTION = new CountDownLatch(1);
  static volatile boolean release;

  @Test
  void aTransactionOpenWhenTheContextStopsIsAbortedNotLeftOpen() throws Exception {
    createTopic("stop-in", 1);
    createTopic("stop-out", 1);
    produce("stop-in", 0, "s", 10);
    KafkaSink<String> sink = KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .keySerializer(StringSerializer.class).valueSerializer(StringSerializer.class).exactlyOnce("stop-app")
        .forRecords((String v) -> {
          if (v.equals("s-3")) { // s-0 ... s-2 are sent in the open transaction
            IN_TRANSACTION.countDown();
            while (!release) { // a task that does not give up when interrupted: the context closes around it
              Thread.onSpinWait();
            }
          }
          return new ProducerRecord<>("stop-out", v);
        });
    RddContext context = newContext();
    Rdd<String> batch = values(context, "g-stop", OffsetRange.create("stop-in", 0, 0, 10));
    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> sink.write(batch, new Time(1000)));
    try {
      assertThat(IN_TRANSACTION.await(60, TimeUnit.SECONDS)).as("the task opened its transaction").isTrue();
      context.close();
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(producerThreads("stop-app")).isEmpty());
    } finally {
      release = true;
    }
    assertThatThrownBy(() -> writing.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

    // readCommitted waits (30 s at most, below transaction.timeout.ms = 60 s) until no transaction is open
    assertThat(KafkaSinkTest.readCommitted("stop-out")).isEmpty();
    assertThat(EmbeddedKafka.committed("g-stop")).isEmpty();
  }
}
