package io.tributary.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.testing.StreamingTestDriver;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** When the server starts, where it listens, and when it stays off. */
class UiServerTest {
  private static StreamingContext context(StreamingConf conf) {
    StreamingContext ssc = new StreamingContext(conf.setMaster("local[1]").setAppName("server-test"), Durations.seconds(1));
    ssc.queueStream(new ArrayDeque<Rdd<Integer>>()).foreachRDD(rdd -> {});
    return ssc;
  }

  @Test
  void aTakenPortFallsBackToTheNextFreeOne() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StreamingContext ssc = context(new StreamingConf().set("ui.port", String.valueOf(taken.getLocalPort())));
      try {
        ssc.start();
        int port = StreamingUi.webUrl(ssc).orElseThrow().getPort();
        assertThat(port).isGreaterThan(taken.getLocalPort()).isLessThanOrEqualTo(taken.getLocalPort() + 16);
      } finally {
        ssc.stop();
      }
      assertThat(StreamingUi.webUrl(ssc)).as("closed with its context").isEmpty();
    }
  }

  @Test
  void offWithUiEnabledFalse() {
    StreamingContext ssc = context(new StreamingConf().set("ui.enabled", "false"));
    try {
      ssc.start();
      assertThat(StreamingUi.webUrl(ssc)).isEmpty();
    } finally {
      ssc.stop();
    }
  }

  @Test
  void offInTheTestDriver() {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.collect(driver.<Integer>input().stream());
      driver.start();
      assertThat(StreamingUi.webUrl(driver.context())).isEmpty();
    }
  }

  @Test
  void aWrongSettingFailsTheStartNamingTheKey() {
    StreamingContext ssc = context(new StreamingConf().set("ui.port", "forty"));
    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ui.port'").hasMessageContaining("'forty'");
    assertThatThrownBy(() -> UiConfig.of(new StreamingConf().set("ui.enabled", "yes")))
        .hasMessageContaining("'ui.enabled' must be true or false");
    assertThatThrownBy(() -> UiConfig.of(new StreamingConf().set("ui.retainedBatches", "0")))
        .hasMessageContaining("'ui.retainedBatches'");
  }
}
