package io.tributary.kafka;

import static io.tributary.kafka.EmbeddedKafka.bootstrapServers;
import static io.tributary.kafka.EmbeddedKafka.consumerParams;
import static io.tributary.kafka.EmbeddedKafka.createTopic;

import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A measurement, not a check (run with {@code -Dkafka.sink.throughput=true}): the time to read
 * and write 200,000 small records (4 input partitions to 4 output partitions) at least once and
 * exactly once, in one batch, in 5 batches of 40,000 and 20 of 10,000 200 ms apart
 * (as in a stream whose batches take less than the batch interval) and in 20 batches back to back
 * (a stream catching up), with the time to only read
 * them for comparison. Only the batches' processing is timed.
 */
@ExtendWith(EmbeddedKafka.class)
@EnabledIfSystemProperty(named = "kafka.sink.throughput", matches = "true")
class KafkaSinkThroughputTest {
  private static final int RECORDS = 200_000;
  private static final int PARTITIONS = 4;
  private static final int WARM_UP = 250;

  @Test
  void measure() throws InterruptedException {
    createTopic("tp-in", PARTITIONS);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(EmbeddedKafka.producerProps())) {
      for (int i = 0; i < RECORDS + WARM_UP * PARTITIONS; i++) {
        producer.send(new ProducerRecord<>("tp-in", i % PARTITIONS, null, String.format("value-%08d", i)));
      }
    }
    try (RddContext context = new RddContext(new StreamingConf().setMaster("local[4]").setAppName("throughput"))) {
      int run = 0;
      for (int[] scenario : new int[][] {{1, 0}, {5, 200}, {20, 200}, {20, 0}}) {
        int batches = scenario[0];
        int pause = scenario[1];
        List<Long> reads = new ArrayList<>();
        List<Long> alos = new ArrayList<>();
        List<Long> eoss = new ArrayList<>();
        for (int repeat = 0; repeat < 3; repeat++) {
          run++;
          // every sink (and the read consumers) first writes a small batch, as in a running stream
          reads.add(time(context, "g-read-" + run, batches, pause, null));
          KafkaSink<String> alo = sink(null, "tp-alo-" + run);
          alos.add(time(context, "g-alo-" + run, batches, pause, alo));
          KafkaSink<String> eos = sink("tp-eos-" + run, "tp-eos-" + run);
          eoss.add(time(context, "g-eos-" + run, batches, pause, eos));
          alo.close();
          eos.close();
        }
        long read = median(reads);
        long atLeastOnce = median(alos);
        long exactlyOnce = median(eoss);
        System.out.printf("THROUGHPUT %d records in %d batch(es) of %d partitions%s (medians of 3, ms of processing): "
                + "read only %d %s; at least once %d %s = %.0f records/s; exactly once %d %s = %.0f records/s; "
                + "exactly once has %.0f%% of the at-least-once throughput%n",
            RECORDS, batches, PARTITIONS, pause > 0 ? ", " + pause + " ms apart" : " back to back", read, reads,
            atLeastOnce, alos, RECORDS * 1000.0 / atLeastOnce, exactlyOnce, eoss, RECORDS * 1000.0 / exactlyOnce,
            100.0 * atLeastOnce / exactlyOnce);
      }
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  private static KafkaSink<String> sink(String prefix, String topic) {
    createTopic(topic, PARTITIONS);
    KafkaSink.Builder<String, String> b = KafkaSink.<String, String>builder().bootstrapServers(bootstrapServers())
        .valueSerializer(StringSerializer.class).property("linger.ms", 5);
    return (prefix == null ? b.atLeastOnce() : b.exactlyOnce(prefix)).forValues(topic);
  }

  /**
   * Reads the records in {@code batches} batches and writes them with {@code sink} (or counts
   * them); the ms of all but a first small batch of {@value #WARM_UP} records per partition.
   */
  private static long time(RddContext context, String group, int batches, int pauseMs, KafkaSink<String> sink)
      throws InterruptedException {
    run(context, group, sink, 0, 0, WARM_UP);
    long total = 0;
    long perPartition = RECORDS / PARTITIONS + WARM_UP;
    long step = (perPartition - WARM_UP) / batches;
    for (int b = 0; b < batches; b++) {
      Thread.sleep(pauseMs);
      long start = System.nanoTime();
      run(context, group, sink, b + 1, WARM_UP + b * step, b == batches - 1 ? perPartition : WARM_UP + (b + 1) * step);
      total += System.nanoTime() - start;
    }
    return total / 1_000_000;
  }

  private static void run(RddContext context, String group, KafkaSink<String> sink, int batch, long from, long until) {
    OffsetRange[] ranges = new OffsetRange[PARTITIONS];
    for (int p = 0; p < PARTITIONS; p++) {
      ranges[p] = OffsetRange.create("tp-in", p, from, until);
    }
    var values = KafkaUtils.<String, String>createRdd(context, consumerParams(group), ranges,
        LocationStrategies.preferConsistent()).map(ConsumerRecord::value);
    if (sink == null) {
      values.count();
    } else {
      sink.write(values, new Time(1000L * (batch + 1)));
    }
  }
}
