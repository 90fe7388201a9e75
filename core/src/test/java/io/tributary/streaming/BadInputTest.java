package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static io.tributary.streaming.StreamingTests.conf;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StorageLevel;
import io.tributary.function.Function;
import io.tributary.function.VoidFunction;
import io.tributary.function.VoidFunction2;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.receiver.Receiver;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BadInputTest {
  private StreamingContext ssc;

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  private StreamingContext context() {
    ssc = new StreamingContext(conf("local[2]"), Durations.milliseconds(100));
    return ssc;
  }

  private DStream<Integer> stream() {
    Queue<Rdd<Integer>> queue = new ArrayDeque<>();
    return context().queueStream(queue);
  }

  @Test
  void nullFunctionsAreRejectedNamingTheArgument() {
    DStream<Integer> s = stream();
    assertThatThrownBy(() -> s.map(null)).hasMessage("map function must not be null");
    assertThatThrownBy(() -> s.filter(null)).hasMessage("filter function must not be null");
    assertThatThrownBy(() -> s.flatMap(null)).hasMessage("flatMap function must not be null");
    assertThatThrownBy(() -> s.mapToPair(null)).hasMessage("mapToPair function must not be null");
    assertThatThrownBy(() -> s.reduce(null)).hasMessage("reduce function must not be null");
    assertThatThrownBy(() -> s.foreachRDD((VoidFunction<Rdd<Integer>>) null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("foreachRDD function must not be null");
    assertThatThrownBy(() -> s.foreachRDD((VoidFunction2<Rdd<Integer>, Time>) null))
        .hasMessage("foreachRDD function must not be null");
  }

  @Test
  void nullSourceArgumentsAreRejectedNamingTheArgument() {
    StreamingContext c = context();
    assertThatThrownBy(() -> c.receiverStream((Receiver<String>) null)).hasMessage("receiver must not be null");
    assertThatThrownBy(() -> c.queueStream((Queue<Rdd<String>>) null)).hasMessage("queue must not be null");
    assertThatThrownBy(() -> c.socketTextStream(null, 9999)).hasMessage("host must not be null");
    assertThatThrownBy(() -> c.socketStream("localhost", 9999, (Function<InputStream, Iterable<String>>) null,
            StorageLevel.MEMORY_ONLY))
        .hasMessage("converter must not be null");
    assertThatThrownBy(() -> c.textFileStream(null)).hasMessage("directory must not be null");
    assertThatThrownBy(() -> c.fileStream("/tmp", file -> java.util.Collections.emptyIterator(), null, true))
        .hasMessage("filter must not be null");
    assertThatThrownBy(() -> c.addStreamingListener(null)).hasMessage("listener must not be null");
  }

  @Test
  void aPortOutsideTheTcpRangeIsRejected() {
    StreamingContext c = context();
    assertThatThrownBy(() -> c.socketTextStream("localhost", 70_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Port must be between 0 and 65535, got 70000");
  }

  @Test
  void printNeedsAPositiveCount() {
    DStream<Integer> s = stream();
    assertThatThrownBy(() -> s.print(0)).hasMessage("num must be at least 1, got 0");
  }

  @Test
  void nullContextArgumentsAreRejected() {
    assertThatThrownBy(() -> new StreamingContext(null, Durations.seconds(1))).hasMessage("conf must not be null");
    assertThatThrownBy(() -> new StreamingContext(conf("local"), null)).hasMessage("batch duration must not be null");
  }

  @Test
  void aZeroBatchDurationIsRejected() {
    assertThatThrownBy(() -> new StreamingContext(conf("local[2]"), Durations.milliseconds(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Batch duration must be positive, got 0 ms")
        .hasMessageContaining("Durations.seconds(1)");
  }

  @Test
  void aNegativeDurationIsRejected() {
    assertThatThrownBy(() -> Durations.milliseconds(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Duration must not be negative, got -1 ms");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.5ms", "fast", "", "2 weeks", "ms", "99999999999999999999s", "9999999999999999h"})
  void aMalformedDurationIsRejectedNamingTheTextAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cannot read '" + text + "' as a duration")
        .hasMessageContaining("e.g. 200ms, 2s, 1min");
  }

  @Test
  void aNullDurationTextIsRejected() {
    assertThatThrownBy(() -> Durations.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
  }

  @Test
  void wellFormedDurationsParse() {
    assertThat(Durations.parse("200ms")).isEqualTo(Durations.milliseconds(200));
    assertThat(Durations.parse(" 2s ")).isEqualTo(Durations.seconds(2));
    assertThat(Durations.parse("1min")).isEqualTo(Durations.minutes(1));
    assertThat(Durations.parse("3m")).isEqualTo(Durations.minutes(3));
    assertThat(Durations.parse("1h")).isEqualTo(Durations.minutes(60));
    assertThat(Durations.parse("150")).isEqualTo(Durations.milliseconds(150));
  }

  @ParameterizedTest
  @ValueSource(strings = {"local[0]", "local[two]", "local[-1]", "local[2"})
  void aMalformedMasterIsRejectedNamingItAndTheAcceptedForms(String master) {
    assertThatThrownBy(() -> new StreamingContext(conf(master), Durations.seconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot read master '" + master + "': use local, local[N] with N >= 1, or local[*]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"yarn", "spark://host:7077"})
  void aMasterNoEngineRunsIsRejectedNamingItAndTheKnownMasters(String master) {
    assertThatThrownBy(() -> new StreamingContext(conf(master), Durations.seconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("No engine runs master '" + master + "'")
        .hasMessageContaining("Known masters: ").hasMessageContaining("local, local[N], local[*] (tributary-core)");
  }

  @Test
  void aMalformedDurationSettingFailsNamingTheKey() {
    // the block interval is checked with the batch duration, when the context is made
    assertThatThrownBy(() -> new StreamingContext(conf("local[2]").set("streaming.blockInterval", "fast"),
        Durations.milliseconds(100)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Configuration key 'streaming.blockInterval'")
        .hasMessageContaining("Cannot read 'fast' as a duration");
    assertThat(StreamingContext.getActive()).isEmpty();
  }

  @Test
  void aMalformedBooleanSettingFailsAtStartAndLeavesNoContextRunning() {
    ssc = new StreamingContext(
        conf("local[2]").set("streaming.stopGracefullyOnShutdown", "yes"), Durations.milliseconds(100));
    ssc.receiverStream(new ReceiverSupervisionTest.ManualReceiver()).print();

    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Configuration key 'streaming.stopGracefullyOnShutdown' must be true or false, got 'yes'");
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    assertThat(StreamingContext.getActive()).isEmpty();
  }

  @Test
  void nullConfigurationKeysAndValuesAreRejected() {
    assertThatThrownBy(() -> new StreamingConf().set("streaming.blockInterval", null))
        .hasMessageContaining("must not be null")
        .hasMessageContaining("streaming.blockInterval");
  }
}
