package io.tributary.kinesis;

import static io.tributary.kinesis.KinesisEmulators.builder;
import static io.tributary.kinesis.KinesisEmulators.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.kinesis.retrieval.kpl.Messages;

/**
 * Kinesis streams on kinesalite + dynalite, read by KCL 2.x in one running context (KCL needs
 * 15–40 s to start on an empty lease table, so all scenarios start at once): every record of
 * several shards, KPL-aggregated records de-aggregated, a shard split mid-stream, and two receivers
 * of one application sharing the shards of a stream.
 */
@ExtendWith(KinesisEmulators.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KinesisStreamTest {
  private static final Map<String, Queue<String>> OUT = new ConcurrentHashMap<>();
  private static final Duration BUDGET = KinesisEmulators.firstRecordsBudget();

  private StreamingContext ssc;
  private KinesisInputDStream<String> several;
  private KinesisInputDStream<String> resharded;

  /** shard|sequence|subsequence|partition key|data|arrival time in ms */
  static String describe(KinesisRecord r) {
    return r.shardId() + "|" + r.sequenceNumber() + "|" + r.subSequenceNumber() + "|" + r.partitionKey() + "|"
        + new String(r.data(), StandardCharsets.UTF_8) + "|" + r.approximateArrivalTimestamp().toEpochMilli();
  }

  private void collect(KinesisInputDStream<String> stream, String tag) {
    OUT.put(tag, new ConcurrentLinkedQueue<>());
    stream.foreachRDD(rdd -> OUT.get(tag).addAll(rdd.collect()));
  }

  @BeforeAll
  void start() {
    KinesisEmulators.createStream("several", 3);
    KinesisEmulators.createStream("resharded", 2);
    KinesisEmulators.createStream("shared", 4);
    ssc = new StreamingContext(new StreamingConf().setMaster("local[2]").setAppName("kinesis-test"),
        Durations.milliseconds(500));
    several = builder(ssc, "several", "app-several").buildWithMessageHandler(KinesisStreamTest::describe);
    resharded = builder(ssc, "resharded", "app-resharded").buildWithMessageHandler(KinesisStreamTest::describe);
    collect(several, "several");
    collect(resharded, "resharded");
    collect(builder(ssc, "shared", "app-shared").workerId("worker-a")
        .buildWithMessageHandler(KinesisStreamTest::describe), "worker-a");
    collect(builder(ssc, "shared", "app-shared").workerId("worker-b")
        .buildWithMessageHandler(KinesisStreamTest::describe), "worker-b");
    ssc.start();
  }

  @AfterAll
  void stop() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  private static List<String> field(Queue<String> lines, int index) {
    return lines.stream().map(l -> l.split("\\|", -1)[index]).toList();
  }

  private static Set<String> payloads(String tag) {
    return new HashSet<>(field(OUT.get(tag), 4));
  }

  /** A KPL aggregated record: magic, the AggregatedRecord protobuf, its MD5. */
  static byte[] aggregate(String partitionKey, List<String> values) throws Exception {
    Messages.AggregatedRecord.Builder agg = Messages.AggregatedRecord.newBuilder().addPartitionKeyTable(partitionKey);
    for (String v : values) {
      agg.addRecords(Messages.Record.newBuilder().setPartitionKeyIndex(0)
          .setData(ByteString.copyFrom(v, StandardCharsets.UTF_8)));
    }
    byte[] body = agg.build().toByteArray();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2});
    out.write(body);
    out.write(MessageDigest.getInstance("MD5").digest(body));
    return out.toByteArray();
  }

  @Test
  void readsEveryRecordOfSeveralShardsInShardOrderAndDeaggregatesKplRecords() throws Exception {
    List<String> values = new ArrayList<>();
    Map<String, String> shardSeqOfValue = new HashMap<>();
    for (int batch = 0; batch < 3; batch++) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String v = "v-" + (batch * 300 + i);
        values.add(v);
        entries.add(entry("key-" + (batch * 300 + i), v.getBytes(StandardCharsets.UTF_8)));
      }
      List<String> ids = KinesisEmulators.put("several", entries);
      for (int i = 0; i < ids.size(); i++) {
        shardSeqOfValue.put(values.get(batch * 300 + i), ids.get(i));
      }
    }
    List<String> aggregated = List.of("agg-0", "agg-1", "agg-2", "agg-3", "agg-4");
    String aggregatedId = KinesisEmulators.put("several", List.of(entry("agg-key", aggregate("agg-key", aggregated))))
        .get(0);

    await().atMost(BUDGET).pollInterval(Duration.ofMillis(500))
        .until(() -> payloads("several").size() >= values.size() + aggregated.size());

    List<String> lines = new ArrayList<>(OUT.get("several"));
    assertThat(payloads("several")).containsAll(values).containsAll(aggregated).hasSize(905);
    // every plain record with the shard and sequence number Kinesis gave it
    Map<String, String> seen = new HashMap<>();
    for (String line : lines) {
      String[] f = line.split("\\|", -1);
      seen.putIfAbsent(f[4], f[0] + "/" + f[1]);
    }
    for (String v : values) {
      assertThat(seen.get(v)).as(v).isEqualTo(shardSeqOfValue.get(v));
    }
    assertThat(lines.stream().map(l -> l.split("\\|")[0]).collect(Collectors.toSet())).hasSize(3);
    // the aggregated record: five user records under one sequence number, sub-sequence 0..4
    List<String[]> sub = lines.stream().map(l -> l.split("\\|", -1)).filter(f -> f[4].startsWith("agg-")).toList();
    assertThat(sub).extracting(f -> f[0] + "/" + f[1]).containsOnly(aggregatedId);
    assertThat(sub).extracting(f -> f[2] + ":" + f[3] + ":" + f[4])
        .containsExactly("0:agg-key:agg-0", "1:agg-key:agg-1", "2:agg-key:agg-2", "3:agg-key:agg-3", "4:agg-key:agg-4");
    // per shard, records come in sequence-number order
    Map<String, List<java.math.BigInteger>> perShard = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split("\\|", -1);
      perShard.computeIfAbsent(f[0], k -> new ArrayList<>()).add(new java.math.BigInteger(f[1]));
    }
    perShard.values().forEach(seqs -> assertThat(seqs).isSorted());
    long now = System.currentTimeMillis();
    assertThat(field(OUT.get("several"), 5)).allSatisfy(
        t -> assertThat(Long.parseLong(t)).isBetween(now - 600_000, now));

    // what was stored is checkpointed: every shard's lease holds a sequence number
    await().atMost(Duration.ofSeconds(30)).until(() -> checkpoints("app-several").values().stream()
        .filter(c -> c.matches("\\d+")).count() == 3);
    assertThat(several.stats().recordsStored()).isGreaterThanOrEqualTo(905);
    assertThat(several.stats().checkpoints()).isPositive();
  }

  @Test
  void aShardSplitMidStreamLosesNothing() {
    Set<String> values = new TreeSet<>();
    putNumbered("resharded", 0, 1000, values);
    await().atMost(BUDGET).pollInterval(Duration.ofMillis(500)).until(() -> !OUT.get("resharded").isEmpty());
    KinesisEmulators.split("resharded", "shardId-000000000000");
    putNumbered("resharded", 1000, 2000, values);

    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
        .until(() -> payloads("resharded").containsAll(values));
    assertThat(payloads("resharded")).isEqualTo(values);
    Set<String> shards = new TreeSet<>(field(OUT.get("resharded"), 0));
    assertThat(shards).contains("shardId-000000000000", "shardId-000000000002", "shardId-000000000003");
    assertThat(resharded.stats().shardsEnded()).isEqualTo(1);
  }

  private static void putNumbered(String stream, int from, int to, Set<String> values) {
    for (int start = from; start < to; start += 250) {
      List<PutRecordsRequestEntry> entries = new ArrayList<>();
      for (int i = start; i < Math.min(to, start + 250); i++) {
        values.add("r-" + i);
        entries.add(entry("p-" + i, ("r-" + i).getBytes(StandardCharsets.UTF_8)));
      }
      KinesisEmulators.put(stream, entries);
    }
  }

  @Test
  void twoReceiversOfOneApplicationSplitTheShards() {
    // KCL balances the leases: two workers, four shards, two each
    // (held for longer than the failover time, so that a worker that lost a lease has noticed it)
    await().atMost(BUDGET.plusSeconds(30)).pollInterval(Duration.ofMillis(500)).during(Duration.ofSeconds(5)).until(() -> {
      Map<String, Long> perOwner = owners("app-shared").values().stream()
          .collect(Collectors.groupingBy(o -> o, Collectors.counting()));
      return perOwner.equals(Map.of("worker-a", 2L, "worker-b", 2L));
    });
    Map<String, String> owners = owners("app-shared");
    Set<String> values = new TreeSet<>();
    putNumbered("shared", 0, 800, values);
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
      Set<String> all = new HashSet<>(payloads("worker-a"));
      all.addAll(payloads("worker-b"));
      return all.containsAll(values);
    });
    for (String worker : List.of("worker-a", "worker-b")) {
      Set<String> owned = owners.entrySet().stream().filter(e -> e.getValue().equals(worker)).map(Map.Entry::getKey)
          .collect(Collectors.toSet());
      assertThat(new HashSet<>(field(OUT.get(worker), 0))).as(worker + " reads only its leased shards")
          .isEqualTo(owned);
    }
    Set<String> a = payloads("worker-a");
    Set<String> b = payloads("worker-b");
    assertThat(a).isNotEmpty().doesNotContainAnyElementsOf(b);
    assertThat(a.size() + b.size()).isEqualTo(values.size());
  }

  /** lease key (shard id) to checkpoint. */
  static Map<String, String> checkpoints(String app) {
    return attribute(app, "checkpoint");
  }

  /** lease key (shard id) to owner. */
  static Map<String, String> owners(String app) {
    return attribute(app, "leaseOwner");
  }

  private static Map<String, String> attribute(String app, String name) {
    try {
      Map<String, String> result = new HashMap<>();
      for (Map<String, AttributeValue> item : KinesisEmulators.leases(app)) {
        AttributeValue v = item.get(name);
        result.put(item.get("leaseKey").s(), v == null ? "" : v.s());
      }
      return result;
    } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
      return Map.of(); // the table is not there yet
    }
  }
}
