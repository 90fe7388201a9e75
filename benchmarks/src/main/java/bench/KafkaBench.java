package bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import io.tributary.streaming.InputDStream;
import io.tributary.streaming.StreamingContext;
import io.tributary.kafka.ConsumerStrategies;
import io.tributary.kafka.KafkaUtils;
import io.tributary.kafka.LocationStrategies;

/**
 * W4: Kafka direct stream vs plain KafkaConsumer.
 * <pre>
 * bench.Main W4 preload  --bootstrap H:P [--topic w4] [--records 5000000] [--partitions 4] [--size 100]
 * bench.Main W4 consumer --bootstrap H:P [--topic w4] [--records 5000000]
 * bench.Main W4 spark    --bootstrap H:P [--topic w4] [--records 5000000] [--batch-ms 1000]
 * </pre>
 */
public final class KafkaBench {
  static volatile long doneTime = -1;
  static final java.util.concurrent.atomic.AtomicLong TOTAL = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicLong BYTES = new java.util.concurrent.atomic.AtomicLong();
  static final java.util.concurrent.atomic.AtomicLong VSUM = new java.util.concurrent.atomic.AtomicLong();

  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    Args a = new Args(argv, 1);
    switch (mode) {
      case "preload": preload(a); break;
      case "consumer": consumer(a); break;
      case "spark": spark(a); break;
      default: throw new IllegalArgumentException(mode);
    }
  }

  static Map<String, Object> consumerProps(Args a, String group) {
    Map<String, Object> p = new HashMap<>();
    p.put("bootstrap.servers", a.str("bootstrap", "127.0.0.1:19092"));
    p.put("key.deserializer", ByteArrayDeserializer.class);
    p.put("value.deserializer", ByteArrayDeserializer.class);
    p.put("group.id", group);
    p.put("auto.offset.reset", "earliest");
    p.put("enable.auto.commit", false);
    return p;
  }

  /** Value bytes of record i: 100 bytes 'a'+rnd.nextInt(26) from one SplittableRandom(42) stream. */
  static void preload(Args a) throws Exception {
    String topic = a.str("topic", "w4");
    long records = a.lng("records", 5_000_000);
    int parts = a.integer("partitions", 4);
    int size = a.integer("size", 100);
    Properties ap = new Properties();
    ap.put("bootstrap.servers", a.str("bootstrap", "127.0.0.1:19092"));
    try (AdminClient admin = AdminClient.create(ap)) {
      Set<String> names = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      if (names.contains(topic)) {
        long have = endOffsetsSum(a, topic);
        if (have == records) {
          System.out.println("PRELOAD topic " + topic + " already holds " + have + " records");
          return;
        }
        admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
        Thread.sleep(2000);
      }
      admin.createTopics(List.of(new NewTopic(topic, parts, (short) 1))).all().get(60, TimeUnit.SECONDS);
    }
    Properties pp = new Properties();
    pp.put("bootstrap.servers", a.str("bootstrap", "127.0.0.1:19092"));
    pp.put("key.serializer", ByteArraySerializer.class.getName());
    pp.put("value.serializer", ByteArraySerializer.class.getName());
    pp.put("acks", "1");
    pp.put("linger.ms", "20");
    pp.put("batch.size", String.valueOf(256 * 1024));
    pp.put("compression.type", "none");
    long t0 = System.nanoTime();
    SplittableRandom rnd = new SplittableRandom(DataGen.DEFAULT_SEED);
    try (KafkaProducer<byte[], byte[]> prod = new KafkaProducer<>(pp)) {
      for (long i = 0; i < records; i++) {
        byte[] v = new byte[size];
        for (int j = 0; j < size; j++) v[j] = (byte) ('a' + rnd.nextInt(26));
        prod.send(new ProducerRecord<>(topic, (int) (i % parts), null, v));
      }
      prod.flush();
    }
    System.out.printf("PRELOAD wrote %d records of %d bytes to %s (%d partitions) in %.1f s%n", records, size, topic, parts,
        (System.nanoTime() - t0) / 1e9);
    long have = endOffsetsSum(a, topic);
    if (have != records) throw new IllegalStateException("topic holds " + have + " records, expected " + records);
  }

  static long endOffsetsSum(Args a, String topic) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps(a, "w4-probe"))) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      long s = 0;
      for (long v : c.endOffsets(tps).values()) s += v;
      return s;
    }
  }

  /** Plain loop: one KafkaConsumer assigned all partitions, from the beginning, until all records are read. */
  static void consumer(Args a) throws Exception {
    String topic = a.str("topic", "w4");
    long records = a.lng("records", 5_000_000);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps(a, "w4-plain-" + System.nanoTime()))) {
      List<TopicPartition> tps = new ArrayList<>();
      c.partitionsFor(topic).forEach(pi -> tps.add(new TopicPartition(topic, pi.partition())));
      c.assign(tps);
      c.seekToBeginning(tps);
      long n = 0, bytes = 0, vsum = 0;
      long t0 = System.nanoTime();
      CpuMonitor cpu = new CpuMonitor().start();
      while (n < records) {
        ConsumerRecords<byte[], byte[]> rs = c.poll(Duration.ofMillis(100));
        for (ConsumerRecord<byte[], byte[]> r : rs) {
          n++;
          byte[] v = r.value();
          bytes += v.length;
          vsum += v[0] + v[v.length - 1];
        }
        if ((System.nanoTime() - t0) > 600e9) break;
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf("RESULT workload=W4-plain-consumer records=%d bytes=%d seconds=%.2f records_per_s=%.0f MB_per_s=%.1f vsum=%d %s verified=%b%n",
          n, bytes, s, n / s, bytes / s / 1e6, vsum, cpu.summary(), n == records);
    }
  }

  static void spark(Args a) throws Exception {
    String topic = a.str("topic", "w4");
    long records = a.lng("records", 5_000_000);
    long batchMs = a.lng("batch-ms", 1000);
    StreamingContext jssc = Main.context("W4", batchMs, a);
    BatchTracker tr = new BatchTracker();
    jssc.addStreamingListener(tr);
    InputDStream<ConsumerRecord<byte[], byte[]>> s = KafkaUtils.createDirectStream(jssc,
        LocationStrategies.preferConsistent(),
        ConsumerStrategies.<byte[], byte[]>subscribe(List.of(topic), consumerProps(a, "w4-spark-" + System.nanoTime())));
    // NOTE: KafkaRDD.count() is computed from offset ranges without reading data, so we iterate explicitly.
    s.foreachRDD((rdd, time) -> {
      List<long[]> parts = rdd.mapPartitions(it -> {
        long n = 0, bytes = 0, vsum = 0;
        while (it.hasNext()) {
          byte[] v = it.next().value();
          n++;
          bytes += v.length;
          vsum += v[0] + v[v.length - 1];
        }
        return Collections.singletonList(new long[] {n, bytes, vsum}).iterator();
      }).collect();
      long n = 0;
      for (long[] p : parts) { n += p[0]; BYTES.addAndGet(p[1]); VSUM.addAndGet(p[2]); }
      long t = TOTAL.addAndGet(n);
      if (t >= records && doneTime < 0) doneTime = time.milliseconds();
    });
    long startMs = System.currentTimeMillis();
    CpuMonitor cpu = new CpuMonitor().start();
    jssc.start();
    long deadline = System.currentTimeMillis() + a.lng("timeout-s", 600) * 1000;
    while (doneTime < 0 && System.currentTimeMillis() < deadline) Thread.sleep(10);
    BatchTracker.Done last = doneTime >= 0 ? tr.awaitCompleted(doneTime, 30_000) : null;
    String cpuSummary = cpu.summary();
    jssc.stop(true, false);
    if (last == null) { System.out.println("RESULT workload=W4-tributary-direct FAILED total=" + TOTAL.get()); System.exit(1); }
    long first = tr.firstNonEmptyBatch();
    BatchTracker.Done f = tr.completed.get(first);
    List<BatchTracker.Done> bs = tr.range(first, doneTime);
    double secs = (last.procEnd - f.procStart) / 1000.0;
    double secsFromStart = (last.procEnd - startMs) / 1000.0;
    System.out.printf("RESULT workload=W4-tributary-direct records=%d bytes=%d seconds=%.2f records_per_s=%.0f MB_per_s=%.1f "
            + "seconds_from_start=%.2f records_per_s_from_start=%.0f first_batch_records=%d %s vsum=%d %s verified=%b%n",
        TOTAL.get(), BYTES.get(), secs, TOTAL.get() / secs, BYTES.get() / secs / 1e6, secsFromStart,
        TOTAL.get() / secsFromStart, f.numRecords, BatchTracker.metrics(bs), VSUM.get(), cpuSummary, TOTAL.get() == records);
    System.exit(TOTAL.get() == records ? 0 : 1);
  }
}
