package io.tributary.flume;

import static io.tributary.flume.FlumeTestSupport.conf;
import static io.tributary.flume.FlumeTestSupport.driver;
import static io.tributary.flume.FlumeTestSupport.runUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.flume.sink.TributarySinkProtocol;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.netty.NettyTransceiver;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The polling stream and {@code TributarySink} in real Flume agents (child JVMs): every event of
 * several agents arrives; a batch rejected, or not acknowledged in time, is delivered again.
 */
class FlumePollingTest {
  @TempDir Path dir;
  private final List<FlumeAgentProcess> agents = new java.util.ArrayList<>();

  @AfterEach
  void stopAgents() throws Exception {
    for (FlumeAgentProcess a : agents) {
      a.close();
    }
  }

  private FlumeAgentProcess agent(String name, int timeoutSeconds) throws Exception {
    FlumeAgentProcess a = FlumeAgentProcess.tributarySink(dir.resolve(name), false, timeoutSeconds);
    agents.add(a);
    return a;
  }

  private static Set<String> ids(List<FlumeEvent> events) {
    return events.stream().map(FlumeEvent::bodyAsString).collect(Collectors.toSet());
  }

  @Test
  void everyEventOfTwoAgentsArrivesAndIsAcknowledgedAndOversizedOnesAreCountedAndReported() throws Exception {
    FlumeAgentProcess a1 = agent("a1", 30);
    FlumeAgentProcess a2 = agent("a2", 30);
    a1.start();
    a2.start();
    try (Feeder f1 = new Feeder(a1.sourcePort(), "one", 100); Feeder f2 = new Feeder(a2.sourcePort(), "two", 100);
        StreamingTestDriver driver = driver(conf().set("streaming.flume.maxEventBytes", "1k"))) {
      FlumeTestSupport.Errors errors = new FlumeTestSupport.Errors();
      driver.context().addStreamingListener(errors);
      ReceiverInputDStream<FlumeEvent> stream = FlumeUtils.createPollingStream(driver.context(),
          List.of(a1.sinkAddress(), a2.sinkAddress()), StorageLevel.MEMORY_ONLY, 50, 3);
      TestOutput<FlumeEvent> out = driver.collect(stream);
      driver.start();
      f1.sendUntilAcknowledged(List.of(org.apache.flume.event.EventBuilder.withBody(new byte[3000]),
          org.apache.flume.event.EventBuilder.withBody(new byte[1500])));
      f1.startSending(1000, 0);
      f2.startSending(1000, 0);
      f1.awaitSent();
      f2.awaitSent();
      Set<String> sent = new HashSet<>(f1.acknowledged());
      sent.addAll(f2.acknowledged());
      assertThat(sent).hasSize(2000);
      List<FlumeEvent> got = runUntil(driver, out, Duration.ofSeconds(30), all -> all.size() >= 2000);
      assertThat(got).hasSize(2000);
      assertThat(ids(got)).isEqualTo(sent);
      assertThat(got).allSatisfy(e -> assertThat(e.header("id")).isEqualTo(e.bodyAsString()));
      FlumeReceiverStats stats = FlumeUtils.stats(stream);
      assertThat(stats.eventsStored()).isEqualTo(2000);
      // every stored batch acknowledged; plus up to two batches that held only the oversized events
      assertThat(stats.batchesAcknowledged()).isBetween(stats.batchesStored(), stats.batchesStored() + 2);
      assertThat(stats.lateAcknowledgements()).isZero();
      assertThat(stats.connections()).isEqualTo(6);
      assertThat(stats.oversizedEvents()).isEqualTo(2);
      assertThat(stats.eventsReceived()).isEqualTo(2002);
      await().atMost(Duration.ofSeconds(10)).until(() -> String.join("\n", errors.messages)
          .contains("streaming.flume.maxEventBytes"));
    }
  }

  @Test
  void aRejectedBatchAndABatchNotAcknowledgedInTimeAreDeliveredAgain() throws Exception {
    FlumeAgentProcess agent = agent("sink", 2).start();
    try (Feeder feeder = new Feeder(agent.sourcePort(), "r", 100);
        NettyTransceiver transceiver = new NettyTransceiver(agent.sinkAddress(), 5000)) {
      feeder.sendUntilAcknowledged(Feeder.events("r", 0, 30));
      GenericRequestor sink = new GenericRequestor(TributarySinkProtocol.PROTOCOL, transceiver);

      GenericRecord first = getBatch(sink, 10);
      assertThat(bodies(first)).containsExactly(range("r", 0, 10));
      assertThat(sink.request(TributarySinkProtocol.NACK, request(TributarySinkProtocol.NACK,
          TributarySinkProtocol.sequenceNumber(first)))).isEqualTo(true);
      GenericRecord again = getBatch(sink, 10);
      assertThat(bodies(again)).as("rolled back: the same events again").containsExactly(range("r", 0, 10));

      // not acknowledged within the sink's 2 s timeout: rolled back, a late ack answers false
      long start = System.nanoTime();
      await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(200))
          .until(() -> bodies(getBatchAndNack(sink, 10)).contains("r-0"));
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));
      assertThat(sink.request(TributarySinkProtocol.ACK, request(TributarySinkProtocol.ACK,
          TributarySinkProtocol.sequenceNumber(again)))).as("too late").isEqualTo(false);

      GenericRecord third = getBatch(sink, 30);
      assertThat(sink.request(TributarySinkProtocol.ACK, request(TributarySinkProtocol.ACK,
          TributarySinkProtocol.sequenceNumber(third)))).isEqualTo(true);
      assertThat(bodies(third)).hasSize(30);
      GenericRecord empty = getBatch(sink, 10);
      assertThat(TributarySinkProtocol.events(empty)).as("committed: the channel is empty").isEmpty();
      assertThat(TributarySinkProtocol.error(empty)).isEmpty();
    }
  }

  private static GenericRecord getBatch(GenericRequestor sink, int n) throws Exception {
    return (GenericRecord) sink.request(TributarySinkProtocol.GET_EVENT_BATCH,
        request(TributarySinkProtocol.GET_EVENT_BATCH, n));
  }

  private static GenericRecord getBatchAndNack(GenericRequestor sink, int n) throws Exception {
    GenericRecord batch = getBatch(sink, n);
    if (!TributarySinkProtocol.events(batch).isEmpty()) {
      sink.request(TributarySinkProtocol.NACK, request(TributarySinkProtocol.NACK,
          TributarySinkProtocol.sequenceNumber(batch)));
    }
    return batch;
  }

  private static GenericRecord request(String message, Object argument) {
    return TributarySinkProtocol.request(message, argument);
  }

  private static List<String> bodies(GenericRecord batch) {
    return TributarySinkProtocol.events(batch).stream().map(e -> {
      java.nio.ByteBuffer b = TributarySinkProtocol.body(e);
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }).toList();
  }

  private static String[] range(String prefix, int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(i -> prefix + "-" + i).toArray(String[]::new);
  }
}
