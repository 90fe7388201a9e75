package io.tributary.flume;

import static io.tributary.flume.FlumeTestSupport.conf;
import static io.tributary.flume.FlumeTestSupport.driver;
import static io.tributary.flume.FlumeTestSupport.runUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.Event;
import org.apache.flume.agent.embedded.EmbeddedAgent;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.Test;

/**
 * The push stream against Flume's own senders: the SDK's RpcClient and an embedded agent's avro
 * sink; compression; bad input; a clean stop.
 */
class FlumePushTest {
  private static ReceiverInputDStream<FlumeEvent> push(StreamingTestDriver driver, boolean deflate) {
    return FlumeUtils.createStream(driver.context(), "127.0.0.1", 0, StorageLevel.MEMORY_ONLY, deflate);
  }

  /** A started push stream: its output, the receivers' error reports and the port it serves. */
  private record Started(ReceiverInputDStream<FlumeEvent> stream, TestOutput<FlumeEvent> out,
      FlumeTestSupport.Errors errors, int port) {}

  private static Started start(StreamingTestDriver driver, boolean deflate) {
    FlumeTestSupport.Errors errors = new FlumeTestSupport.Errors();
    driver.context().addStreamingListener(errors);
    ReceiverInputDStream<FlumeEvent> stream = push(driver, deflate);
    TestOutput<FlumeEvent> out = driver.collect(stream);
    driver.start();
    return new Started(stream, out, errors, awaitPort(stream));
  }

  /** Sends each batch with a new SDK client; each call returns once the batch was answered OK. */
  @SafeVarargs
  private static void send(int port, List<Event>... batches) throws Exception {
    RpcClient client = RpcClientFactory.getDefaultInstance("127.0.0.1", port, 100);
    try {
      for (List<Event> batch : batches) {
        client.appendBatch(batch);
      }
    } finally {
      client.close();
    }
  }

  private static int awaitPort(ReceiverInputDStream<FlumeEvent> stream) {
    FlumePushReceiver receiver = (FlumePushReceiver) stream.getReceiver();
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.boundPort() > 0);
    return receiver.boundPort();
  }

  private static List<String> ids(List<FlumeEvent> events) {
    return events.stream().map(FlumeEvent::bodyAsString).toList();
  }

  @Test
  void rpcClientBatchesArriveWithHeadersAndBodies() throws Exception {
    try (StreamingTestDriver driver = driver(conf())) {
      ReceiverInputDStream<FlumeEvent> stream = push(driver, false);
      TestOutput<FlumeEvent> out = driver.collect(stream);
      driver.start();
      RpcClient client = RpcClientFactory.getDefaultInstance("127.0.0.1", awaitPort(stream), 100);
      List<String> sent = new ArrayList<>();
      try {
        client.append(EventBuilder.withBody("single".getBytes(StandardCharsets.UTF_8), Map.of("id", "single")));
        sent.add("single");
        for (int b = 0; b < 5; b++) {
          List<Event> batch = Feeder.events("rpc" + b, 0, 100);
          client.appendBatch(batch); // returns only once the receiver answered OK
          batch.forEach(e -> sent.add(e.getHeaders().get("id")));
        }
      } finally {
        client.close();
      }
      assertThat(FlumeUtils.stats(stream).eventsStored()).as("stored before OK").isEqualTo(501);
      List<FlumeEvent> got = runUntil(driver, out, Duration.ofSeconds(20), all -> all.size() >= 501);
      assertThat(ids(got)).containsExactlyInAnyOrderElementsOf(sent);
      assertThat(got).allSatisfy(e -> assertThat(e.header("id")).isEqualTo(e.bodyAsString()));
      assertThat(FlumeUtils.stats(stream).batchesStored()).isEqualTo(6);
    }
  }

  @Test
  void deflateCompressionMatchesTheSdkClientsAndTheAvroSinks() throws Exception {
    try (StreamingTestDriver driver = driver(conf())) {
      ReceiverInputDStream<FlumeEvent> stream = push(driver, true);
      TestOutput<FlumeEvent> out = driver.collect(stream);
      driver.start();
      Properties props = new Properties();
      props.setProperty("hosts", "h1");
      props.setProperty("hosts.h1", "127.0.0.1:" + awaitPort(stream));
      props.setProperty("compression-type", "deflate");
      props.setProperty("compression-level", "6");
      RpcClient client = RpcClientFactory.getInstance(props);
      try {
        client.appendBatch(Feeder.events("z", 0, 300));
      } finally {
        client.close();
      }
      List<FlumeEvent> got = runUntil(driver, out, Duration.ofSeconds(20), all -> all.size() >= 300);
      assertThat(ids(got)).hasSize(300).contains("z-0", "z-299");
    }
  }

  @Test
  void anEmbeddedAgentsAvroSinkDeliversEveryEvent() throws Exception {
    try (StreamingTestDriver driver = driver(conf())) {
      Started push = start(driver, false);
      Map<String, String> agentConf = new HashMap<>();
      agentConf.put("channel.type", "memory");
      agentConf.put("channel.capacity", "5000");
      agentConf.put("channel.transactionCapacity", "100");
      agentConf.put("channel.keep-alive", "0");
      agentConf.put("sinks", "sink1");
      agentConf.put("sink1.type", "avro");
      agentConf.put("sink1.hostname", "127.0.0.1");
      agentConf.put("sink1.port", Integer.toString(push.port()));
      agentConf.put("sink1.batch-size", "100");
      agentConf.put("processor.type", "default");
      EmbeddedAgent agent = new EmbeddedAgent("embedded");
      agent.configure(agentConf);
      agent.start();
      try {
        for (int from = 0; from < 1000; from += 100) {
          agent.putAll(Feeder.events("emb", from, 100)); // one channel transaction each
        }
        List<FlumeEvent> got = runUntil(driver, push.out(), Duration.ofSeconds(30), all -> all.size() >= 1000);
        assertThat(ids(got)).containsExactlyInAnyOrderElementsOf(ids(Feeder.events("emb", 0, 1000).stream()
            .map(e -> new FlumeEvent(e.getHeaders(), e.getBody())).toList()));
      } finally {
        agent.stop();
      }
    }
  }

  @Test
  void oversizedEventsAreDroppedCountedAndReportedWhileTheRestIsStored() throws Exception {
    try (StreamingTestDriver driver = driver(conf().set("streaming.flume.maxEventBytes", "1k"))) {
      Started push = start(driver, false);
      List<Event> batch = new ArrayList<>(Feeder.events("ok", 0, 10));
      batch.add(3, EventBuilder.withBody(new byte[2000]));
      batch.add(EventBuilder.withBody(new byte[5000]));
      send(push.port(), batch, Feeder.events("after", 0, 5)); // OK: the first is stored without the two
      List<FlumeEvent> got = runUntil(driver, push.out(), Duration.ofSeconds(20), all -> all.size() >= 15);
      assertThat(ids(got)).hasSize(15).allMatch(id -> id.startsWith("ok-") || id.startsWith("after-"));
      FlumeReceiverStats stats = FlumeUtils.stats(push.stream());
      assertThat(stats.oversizedEvents()).isEqualTo(2);
      assertThat(stats.eventsReceived()).isEqualTo(17);
      await().atMost(Duration.ofSeconds(10)).until(() -> !push.errors().messages.isEmpty());
      assertThat(push.errors().messages.get(0)).contains("2000 bytes").contains("streaming.flume.maxEventBytes");
    }
  }

  @Test
  void junkAndOversizedRequestsCloseTheirConnectionAndAreReportedWhileTheStreamGoesOn() throws Exception {
    try (StreamingTestDriver driver = driver(conf().set("streaming.flume.maxRequestBytes", "64k"))) {
      Started push = start(driver, false);
      int port = push.port();

      // framing that announces a negative frame length: not Avro RPC
      try (Socket s = new Socket("127.0.0.1", port)) {
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        o.writeInt(1);
        o.writeInt(1);
        o.writeInt(-5);
        o.flush();
        assertThat(readUntilClosed(s.getInputStream())).isEqualTo(-1);
      }
      // well framed, but the bytes are no Avro handshake: answered with an error
      try (Socket s = new Socket("127.0.0.1", port)) {
        DataOutputStream o = new DataOutputStream(s.getOutputStream());
        o.writeInt(7);
        o.writeInt(1);
        o.writeInt(6);
        o.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        o.flush();
        s.setSoTimeout(5000);
        assertThat(s.getInputStream().read()).as("an answer").isNotEqualTo(-1);
      }
      // a batch far over 64k
      RpcClient big = RpcClientFactory.getDefaultInstance("127.0.0.1", port, 100);
      List<Event> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(EventBuilder.withBody(new byte[1000]));
      }
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> big.appendBatch(batch))
            .isInstanceOf(org.apache.flume.EventDeliveryException.class);
      } finally {
        big.close();
      }

      send(port, Feeder.events("fine", 0, 20));
      List<FlumeEvent> got = runUntil(driver, push.out(), Duration.ofSeconds(20), all -> all.size() >= 20);
      assertThat(ids(got)).hasSize(20).allMatch(id -> id.startsWith("fine-"));
      FlumeReceiverStats stats = FlumeUtils.stats(push.stream());
      assertThat(stats.undecodableRequests()).isEqualTo(2);
      assertThat(stats.oversizedRequests()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> !push.errors().messages.isEmpty());
      assertThat(String.join("\n", push.errors().messages)).contains("not Avro RPC framing");
    }
  }

  private static int readUntilClosed(InputStream in) throws Exception {
    int b;
    do {
      b = in.read();
    } while (b != -1);
    return b;
  }

  @Test
  void stoppingLeavesNoServerThreadBehind() throws Exception {
    try (StreamingTestDriver driver = driver(conf())) {
      send(start(driver, false).port(), Feeder.events("t", 0, 10));
      assertThat(serverThreads()).isNotEmpty();
    }
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(serverThreads()).isEmpty());
  }

  private static List<String> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("flume-push-")).toList();
  }
}
