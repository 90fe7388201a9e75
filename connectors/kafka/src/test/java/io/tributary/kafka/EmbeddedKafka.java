package io.tributary.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A single-node KRaft Kafka broker in the test JVM, started once for all test classes that use
 * this extension ({@code @ExtendWith(EmbeddedKafka.class)}) and stopped when the test JVM's tests
 * end. Listens on random ports of 127.0.0.1, stores its logs in a temporary directory.
 */
public final class EmbeddedKafka implements BeforeAllCallback {
  private static Broker broker;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Broker.class, k -> {
          broker = new Broker();
          return broker;
        }, Broker.class);
  }

  /** The broker's {@code host:port}. */
  public static String bootstrapServers() {
    if (broker == null) {
      throw new IllegalStateException("No broker: annotate the test class with @ExtendWith(EmbeddedKafka.class)");
    }
    return broker.bootstrap;
  }

  /** An admin client of the broker (shared; do not close). */
  public static Admin admin() {
    return broker.admin;
  }

  /**
   * Creates {@code topic} with {@code partitions} partitions and waits until the broker serves
   * every partition (list offsets answers): producing at once to a partition the broker has not
   * opened yet can make an idempotent producer's first request fail and its second succeed, after
   * which the first can never be written (KAFKA-15591: OutOfOrderSequenceException until
   * delivery.timeout.ms).
   */
  public static void createTopic(String topic, int partitions) {
    createTopic(broker.admin, topic, partitions);
  }

  /** {@link #createTopic(String, int)} on the broker of {@code admin}. */
  static void createTopic(Admin admin, String topic, int partitions) {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      long deadline = System.currentTimeMillis() + 30_000;
      while (true) {
        try {
          admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          if (System.currentTimeMillis() > deadline) {
            throw e;
          }
          Thread.sleep(20);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot create topic " + topic, e);
    }
  }

  /** Adds partitions to {@code topic} up to {@code total}. */
  public static void addPartitions(String topic, int total) {
    try {
      broker.admin.createPartitions(Map.of(topic, org.apache.kafka.clients.admin.NewPartitions.increaseTo(total)))
          .all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot add partitions to " + topic, e);
    }
  }

  /** Writes {@code values} to partition {@code partition} of {@code topic} (key = value), acknowledged. */
  public static void produce(String topic, int partition, List<String> values) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps())) {
      for (String v : values) {
        producer.send(new ProducerRecord<>(topic, partition, v, v));
      }
      producer.flush();
    }
  }

  /** Writes {@code count} values {@code prefix-0 ... prefix-(count-1)} to {@code partition}. */
  public static void produce(String topic, int partition, String prefix, int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(prefix + "-" + i);
    }
    produce(topic, partition, values);
  }

  /** Producer properties (string keys and values, acks=all). */
  public static Properties producerProps() {
    return producerProps(bootstrapServers());
  }

  /** {@link #producerProps()} for the broker at {@code bootstrap}. */
  static Properties producerProps(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return p;
  }

  /** Consumer parameters of a stream: string deserializers, group {@code group}, reset earliest. */
  public static Map<String, Object> consumerParams(String group) {
    return consumerParams(bootstrapServers(), group);
  }

  /** {@link #consumerParams(String)} for the broker at {@code bootstrap}. */
  static Map<String, Object> consumerParams(String bootstrap, String group) {
    return new java.util.HashMap<>(Map.of(
        "bootstrap.servers", bootstrap,
        "group.id", group,
        "key.deserializer", StringDeserializer.class,
        "value.deserializer", StringDeserializer.class,
        "auto.offset.reset", "earliest"));
  }

  /** Deletes the records of {@code partition} before {@code offset} (as retention would). */
  public static void deleteRecordsBefore(TopicPartition partition, long offset) {
    try {
      broker.admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot delete records of " + partition, e);
    }
  }

  /** The committed offsets of {@code group}. */
  public static Map<TopicPartition, Long> committed(String group) {
    return committed(broker.admin, group);
  }

  /** {@link #committed(String)} on the broker of {@code admin}. */
  static Map<TopicPartition, Long> committed(Admin admin, String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      Map<TopicPartition, Long> result = new java.util.HashMap<>();
      offsets.forEach((tp, om) -> {
        if (om != null) {
          result.put(tp, om.offset());
        }
      });
      return result;
    } catch (Exception e) {
      throw new IllegalStateException("Cannot read the offsets of group " + group, e);
    }
  }

  /**
   * The configuration of a single-node KRaft broker (broker and controller in one) listening on
   * {@code 127.0.0.1:port}, its controller on {@code controllerPort}, storing its logs in {@code
   * logDir}; groups and transactions work on the one node.
   */
  static Properties serverProperties(int port, int controllerPort, Path logDir) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "2");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "2");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "2");
    p.put("num.partitions", "1");
    p.put("log.segment.bytes", String.valueOf(16 * 1024 * 1024));
    return p;
  }

  /** Writes {@code properties} to {@code file} and formats the storage they name (a new cluster id). */
  static void format(Properties properties, Path file) throws IOException {
    try (Writer w = Files.newBufferedWriter(file)) {
      properties.store(w, null);
    }
    int rc = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c",
        file.toString(), "--ignore-formatted"}, System.out);
    if (rc != 0) {
      throw new IllegalStateException("Formatting the Kafka storage failed with exit code " + rc);
    }
  }

  /** A port of 127.0.0.1 free now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static final class Broker implements ExtensionContext.Store.CloseableResource {
    private final Path dir;
    private final KafkaRaftServer server;
    private final String bootstrap;
    private final Admin admin;

    Broker() {
      long started = System.nanoTime();
      try {
        dir = Files.createTempDirectory("tributary-kafka-");
        int port = freePort();
        Properties p = serverProperties(port, freePort(), dir.resolve("logs"));
        format(p, dir.resolve("server.properties"));
        server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
        server.startup();
        bootstrap = "127.0.0.1:" + port;
        Properties a = new Properties();
        a.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        admin = Admin.create(a);
        admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("Cannot start the embedded Kafka broker", e);
      }
      System.out.printf("Embedded Kafka on %s ready in %d ms%n", bootstrap, (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void close() {
      admin.close();
      server.shutdown();
      server.awaitShutdown();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
