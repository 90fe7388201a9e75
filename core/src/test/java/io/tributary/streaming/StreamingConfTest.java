package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** {@link StreamingConf}: settings, typed getters, the {@code spark.} prefix, and bad values. */
class StreamingConfTest {

  @Test
  void setValuesAreReadBack() {
    StreamingConf conf = new StreamingConf().set("a.b", "x");
    assertThat(conf.get("a.b")).isEqualTo("x");
    assertThat(conf.contains("a.b")).isTrue();
    assertThat(conf.getOption("a.b")).contains("x");
  }

  @Test
  void aMissingKeyHasNoValueAndGetFailsNamingIt() {
    StreamingConf conf = new StreamingConf();
    assertThat(conf.contains("nope")).isFalse();
    assertThat(conf.getOption("nope")).isEmpty();
    assertThat(conf.get("nope", "fallback")).isEqualTo("fallback");
    assertThatThrownBy(() -> conf.get("nope"))
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void sparkPrefixedKeysAreTheSameKeys() {
    StreamingConf conf = new StreamingConf().set("spark.streaming.blockInterval", "100ms");
    assertThat(conf.get("streaming.blockInterval")).isEqualTo("100ms");
    assertThat(conf.contains("spark.streaming.blockInterval")).isTrue();
    conf.set("streaming.blockInterval", "50ms");
    assertThat(conf.get("spark.streaming.blockInterval")).isEqualTo("50ms");
    assertThat(conf.getAll()).containsExactly(Map.entry("streaming.blockInterval", "50ms"));
  }

  @Test
  void setIfMissingSetsOnlyAbsentKeysWhateverTheirPrefix() {
    StreamingConf conf = new StreamingConf().set("spark.x", "1");
    conf.setIfMissing("x", "2").setIfMissing("spark.y", "3");
    assertThat(conf.get("x")).isEqualTo("1");
    assertThat(conf.get("y")).isEqualTo("3");
  }

  @Test
  void nullKeyOrValueIsRejectedShowingBoth() {
    assertThatThrownBy(() -> new StreamingConf().set("k", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key: k");
    assertThatThrownBy(() -> new StreamingConf().set(null, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("value: v");
  }

  @Test
  void masterAndAppNameHaveDefaultsAndSetters() {
    StreamingConf conf = new StreamingConf();
    assertThat(conf.master()).isEqualTo("local[*]");
    assertThat(conf.appName()).isEqualTo("tributary");
    conf.setMaster("local[2]").setAppName("wc");
    assertThat(conf.master()).isEqualTo("local[2]");
    assertThat(conf.appName()).isEqualTo("wc");
    assertThat(conf.get("spark.master")).isEqualTo("local[2]");
  }

  @Test
  void theCopyConstructorMakesAnIndependentCopy() {
    StreamingConf original = new StreamingConf().set("a", "1");
    StreamingConf copy = new StreamingConf(original);
    copy.set("a", "2").set("b", "3");
    assertThat(original.getAll()).containsExactly(Map.entry("a", "1"));
    assertThat(copy.getAll()).containsExactly(Map.entry("a", "2"), Map.entry("b", "3"));
  }

  @Test
  void getAllIsSortedAndUnmodifiable() {
    StreamingConf conf = new StreamingConf().set("b", "2").set("spark.a", "1");
    assertThat(conf.getAll().keySet()).containsExactly("a", "b");
    assertThatThrownBy(() -> conf.getAll().put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---------------------------------------------------------------- typed getters

  @Test
  void typedGettersReadValuesTrimmedOrGiveTheDefault() {
    StreamingConf conf =
        new StreamingConf()
            .set("i", " 42 ")
            .set("l", "12345678901")
            .set("d", "0.25")
            .set("b", " TRUE ")
            .set("t", "2s");
    assertThat(conf.getInt("i", 0)).isEqualTo(42);
    assertThat(conf.getLong("l", 0)).isEqualTo(12_345_678_901L);
    assertThat(conf.getDouble("d", 0)).isEqualTo(0.25);
    assertThat(conf.getBoolean("b", false)).isTrue();
    assertThat(conf.getDuration("t", null)).isEqualTo(Durations.seconds(2));
    assertThat(conf.getInt("missing", 7)).isEqualTo(7);
    assertThat(conf.getLong("missing", 8L)).isEqualTo(8L);
    assertThat(conf.getDouble("missing", 1.5)).isEqualTo(1.5);
    assertThat(conf.getBoolean("missing", true)).isTrue();
    assertThat(conf.getDuration("missing", Durations.milliseconds(200))).isEqualTo(Durations.milliseconds(200));
  }

  @Test
  void typedGettersReadSparkPrefixedSettings() {
    StreamingConf conf = new StreamingConf().set("spark.streaming.concurrentJobs", "3");
    assertThat(conf.getInt("streaming.concurrentJobs", 1)).isEqualTo(3);
    assertThat(conf.getInt("spark.streaming.concurrentJobs", 1)).isEqualTo(3);
  }

  @Test
  void aDurationSettingWithoutUnitIsMilliseconds() {
    assertThat(new StreamingConf().set("t", "300").getDuration("t", null)).isEqualTo(Durations.milliseconds(300));
  }

  @Test
  void aBadIntegerFailsNamingTheKeyAndTheValue() {
    StreamingConf conf = new StreamingConf().set("streaming.blockQueueSize", "ten");
    assertThatThrownBy(() -> conf.getInt("streaming.blockQueueSize", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'streaming.blockQueueSize'")
        .hasMessageContaining("an integer")
        .hasMessageContaining("'ten'");
  }

  @Test
  void anIntegerTooLargeForAnIntFailsNamingTheKey() {
    StreamingConf conf = new StreamingConf().set("n", "3000000000");
    assertThatThrownBy(() -> conf.getInt("n", 1)).hasMessageContaining("'n'").hasMessageContaining("'3000000000'");
  }

  @Test
  void aBadLongFailsNamingTheKey() {
    StreamingConf conf = new StreamingConf().set("n", "1.5");
    assertThatThrownBy(() -> conf.getLong("n", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'n'");
  }

  @Test
  void aBadNumberFailsNamingTheKey() {
    StreamingConf conf = new StreamingConf().set("ratio", "half");
    assertThatThrownBy(() -> conf.getDouble("ratio", 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'ratio'")
        .hasMessageContaining("a number");
  }

  @Test
  void aBadBooleanFailsNamingTheKeyAndTheAcceptedValues() {
    StreamingConf conf = new StreamingConf().set("streaming.unpersist", "yes");
    assertThatThrownBy(() -> conf.getBoolean("streaming.unpersist", true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'streaming.unpersist'")
        .hasMessageContaining("true or false")
        .hasMessageContaining("'yes'");
  }

  @Test
  void aBadDurationFailsNamingTheKeyAndTheText() {
    StreamingConf conf = new StreamingConf().set("spark.streaming.blockInterval", "fast");
    assertThatThrownBy(() -> conf.getDuration("streaming.blockInterval", Durations.milliseconds(200)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'streaming.blockInterval'")
        .hasMessageContaining("'fast'");
  }

  // ---------------------------------------------------------------- use by the context

  @Test
  void theContextKeepsACopyOfItsConfiguration() {
    StreamingConf conf = new StreamingConf().setMaster("local[1]").set("x", "1");
    try (StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1))) {
      conf.set("x", "2");
      assertThat(ssc.conf().get("x")).isEqualTo("1");
      ssc.conf().set("x", "3");
      assertThat(ssc.conf().get("x")).isEqualTo("1");
    }
  }

  @Test
  void defaultParallelismSettingSetsTheDefaultPartitionCount() {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").set("spark.default.parallelism", "7");
    try (StreamingContext ssc = new StreamingContext(conf, Durations.seconds(1))) {
      assertThat(ssc.rddContext().defaultParallelism()).isEqualTo(7);
    }
  }

  @Test
  void aNonPositiveBatchDurationIsRejectedWithAnExample() {
    StreamingConf conf = new StreamingConf().setMaster("local[1]");
    assertThatThrownBy(() -> new StreamingContext(conf, Durations.milliseconds(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Batch duration must be positive")
        .hasMessageContaining("Durations.seconds(1)");
  }
}
