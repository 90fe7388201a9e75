package io.tributary.zeromq;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Mistakes in a ZeroMQ stream's definition fail when it is defined, with a message naming them. */
class ZeroMQConfigErrorsTest {
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  private StreamingContext context(String... settings) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("zeromq-errors");
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    ssc = new StreamingContext(conf, Durations.seconds(1));
    return ssc;
  }

  private static final List<byte[]> ALL = List.of(new byte[0]);

  @Test
  void argumentsAreChecked() {
    StreamingContext c = context();
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, null, true, ALL))
        .hasMessage("publisherUrl must not be null");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "localhost:5555", true, ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("publisherUrl must look like tcp://host:port")
        .hasMessageContaining("got 'localhost:5555'");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "inproc://x", true, ALL))
        .hasMessageContaining("supported transports: [tcp, ipc, pgm, epgm]");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "tcp://", true, ALL))
        .hasMessageContaining("got 'tcp://'");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "tcp://127.0.0.1:1", true, List.of()))
        .hasMessageContaining("topics must not be empty")
        .hasMessageContaining("List.of(new byte[0])");
    List<byte[]> withNull = new ArrayList<>();
    withNull.add(null);
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "tcp://127.0.0.1:1", true, withNull))
        .hasMessageContaining("topics must not contain null");
    assertThatThrownBy(() -> ZeroMQUtils.createStream(c, "tcp://127.0.0.1:1", true, ALL, null, StorageLevel.MEMORY_ONLY))
        .hasMessage("messageConverter must not be null");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(c, "tcp://127.0.0.1:1", true, ALL, null))
        .hasMessage("storageLevel must not be null");
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(null, "tcp://127.0.0.1:1", true, ALL))
        .hasMessage("ssc must not be null");
  }

  @Test
  void malformedSettingsFailAtDefinitionNamingTheKey() {
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(
            context("streaming.zeromq.maxMessageBytes", "lots"), "tcp://127.0.0.1:1", true, ALL))
        .hasMessageContaining("streaming.zeromq.maxMessageBytes");
    ssc.stop();
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(
            context("streaming.zeromq.maxMessageBytes", "0"), "tcp://127.0.0.1:1", true, ALL))
        .hasMessage("Configuration key 'streaming.zeromq.maxMessageBytes' must be at least 1 (bytes), got 0");
    ssc.stop();
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(
            context("streaming.zeromq.receiveHighWaterMark", "-1"), "tcp://127.0.0.1:1", true, ALL))
        .hasMessageContaining("'streaming.zeromq.receiveHighWaterMark' must be between 0 (no limit)");
    ssc.stop();
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(
            context("streaming.zeromq.reconnectInterval", "1s", "streaming.zeromq.reconnectIntervalMax", "200ms"),
            "tcp://127.0.0.1:1", true, ALL))
        .hasMessageContaining("'streaming.zeromq.reconnectIntervalMax' (200ms) must be 0 (no back-off) or at least");
    ssc.stop();
    assertThatThrownBy(() -> ZeroMQUtils.createTextStream(
            context("streaming.zeromq.reconnectInterval", "soon"), "tcp://127.0.0.1:1", true, ALL))
        .hasMessageContaining("Configuration key 'streaming.zeromq.reconnectInterval'");
  }
}
