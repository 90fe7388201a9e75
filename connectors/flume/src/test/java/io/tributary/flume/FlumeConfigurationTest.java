package io.tributary.flume;

import static io.tributary.flume.FlumeTestSupport.conf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.Durations;
import io.tributary.StorageLevel;
import io.tributary.flume.sink.TributarySink;
import io.tributary.streaming.StreamingContext;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.conf.ConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misconfiguration, of the sink in the agent or of a stream, fails naming the setting. */
class FlumeConfigurationTest {
  private static String sinkError(Map<String, String> settings) {
    TributarySink sink = new TributarySink();
    sink.setName("k1");
    try {
      sink.configure(new Context(settings));
    } catch (ConfigurationException e) {
      return e.getMessage();
    }
    throw new AssertionError("configured without an error: " + settings);
  }

  @Test
  void theSinkNamesTheSettingThatIsMissingOrWrong() {
    assertThat(sinkError(Map.of("port", "9999"))).contains("TributarySink k1").contains("'hostname' is required");
    assertThat(sinkError(Map.of("hostname", "0.0.0.0"))).contains("'port' is required");
    assertThat(sinkError(Map.of("hostname", "0.0.0.0", "port", "99999"))).contains("'port' must be from 0 to 65535");
    assertThat(sinkError(Map.of("hostname", "h", "port", "1", "threads", "many")))
        .contains("'threads' must be a whole number").contains("'many'");
    assertThat(sinkError(Map.of("hostname", "h", "port", "1", "timeout", "0"))).contains("'timeout' must be from 1");
    assertThat(sinkError(Map.of("hostname", "h", "port", "1", "backoff", "-1"))).contains("'backoff' must be from 0");
  }

  @Test
  void aRealAgentReportsTheSinksMisconfigurationInItsLog(@TempDir Path dir) throws Exception {
    try (FlumeAgentProcess agent = FlumeAgentProcess.tributarySink(dir, false, 5).put("sinks.k1.threads", "none")) {
      agent.withoutWaitingForTheSink().start(); // the sink is dropped; the agent still runs its source
      await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(agent.log()).contains("'threads'"));
      assertThat(Files.readString(agent.log())).contains("TributarySink k1: 'threads' must be a whole number");
    }
  }

  @Test
  void streamsNameTheArgumentOrSettingThatIsWrong() {
    StreamingContext ssc = new StreamingContext(conf().set("streaming.flume.maxEventBytes", "lots"),
        Durations.seconds(1));
    try {
      assertThatThrownBy(() -> FlumeUtils.createStream(ssc, "127.0.0.1", 1234))
          .hasMessageContaining("streaming.flume.maxEventBytes");
    } finally {
      ssc.stop();
    }
    StreamingContext ok = new StreamingContext(conf(), Durations.seconds(1));
    try {
      assertThatThrownBy(() -> FlumeUtils.createStream(ok, "127.0.0.1", 70000)).hasMessageContaining("port must be");
      assertThatThrownBy(() -> FlumeUtils.createStream(ok, " ", 1)).hasMessageContaining("hostname is empty");
      assertThatThrownBy(() -> FlumeUtils.createPollingStream(ok, List.of(), StorageLevel.MEMORY_ONLY))
          .hasMessageContaining("addresses is empty");
      List<InetSocketAddress> one = List.of(new InetSocketAddress("127.0.0.1", 1));
      assertThatThrownBy(() -> FlumeUtils.createPollingStream(ok, one, StorageLevel.MEMORY_ONLY, 0, 1))
          .hasMessageContaining("maxBatchSize must be positive");
      assertThatThrownBy(() -> FlumeUtils.createPollingStream(ok, one, StorageLevel.MEMORY_ONLY, 10, 0))
          .hasMessageContaining("parallelism must be positive");
      assertThatThrownBy(() -> FlumeUtils.createPollingStream(ok, "127.0.0.1", 0)).hasMessageContaining("port must be");
    } finally {
      ok.stop();
    }
  }
}
