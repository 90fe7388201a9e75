package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.streaming.internal.scheduler.ProgressLog;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.StreamInputInfo;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The progress log: one line per batch, and the WARN of a pipeline falling behind. */
class ProgressLogTest {
  private static final long INTERVAL = 1000;

  /** Batch {@code n}: 2,500 records, scheduling delay {@code delay}, output 0 fast and output 1 slow. */
  private static BatchInfo batch(int n, long delay, String failure) {
    long time = 1_000_000 + n * INTERVAL;
    long start = time + delay;
    Time t = new Time(time);
    return new BatchInfo(t, Map.of(0, new StreamInputInfo(0, 2000), 1, new StreamInputInfo(1, 500)), time,
        Optional.of(start), Optional.of(start + 1200),
        Map.of(0, new OutputOperationInfo(t, 0, "print", "print at App.java:10", Optional.of(start),
                Optional.of(start + 100), Optional.empty()),
            1, new OutputOperationInfo(t, 1, "foreachRDD", "foreachRDD at App.java:12", Optional.of(start + 100),
                Optional.of(start + 1200), Optional.ofNullable(failure))));
  }

  @Test
  void oneLinePerBatchWithRecordsRateAndDelays() {
    assertThat(ProgressLog.line(batch(1, 40, null), INTERVAL)).isEqualTo(
        "Batch 1001000 ms: 2,500 records (2,500 records/s), scheduling delay 0.040 s, processing 1.200 s, "
            + "total delay 1.240 s");
    assertThat(ProgressLog.line(batch(1, 0, "boom"), 500)).endsWith(
        "(5,000 records/s), scheduling delay 0.000 s, processing 1.200 s, total delay 1.200 s; failed output(s): #1 foreachRDD");
  }

  @Test
  void warnsOnceEveryNBatchesOfGrowingSchedulingDelayNamingTheSlowestOutput() {
    ProgressLog log = new ProgressLog(new StreamingConf().set(ProgressLog.FALLING_BEHIND_BATCHES, "3"), INTERVAL);
    try (CapturedLog captured = new CapturedLog()) {
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(0, 5, null)));
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(1, 200, null)));
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(2, 400, null)));
      assertThat(captured.text()).doesNotContain("Falling behind");
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(3, 600, null))); // third growth in a row
      assertThat(captured.text()).containsOnlyOnce("Falling behind")
          .contains("WARN", "grew for 3 batches in a row, to 0.600 s at batch 1003000 ms",
              "batches take 1.200 s to process against an interval of 1.000 s",
              "The slowest output operation is #1 foreachRDD (foreachRDD at App.java:12) at 1.100 s");
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(4, 800, null)));
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(5, 100, null))); // caught up: the count restarts
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(6, 200, null)));
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(7, 300, null)));
      assertThat(captured.text()).containsOnlyOnce("Falling behind");
      log.onBatchCompleted(new StreamingListenerBatchCompleted(batch(8, 400, null)));
      assertThat(captured.text().split("Falling behind", -1)).hasSize(3);
    }
  }

  @Test
  void zeroTurnsTheWarningOffAndANegativeCountIsRefused() {
    ProgressLog off = new ProgressLog(new StreamingConf().set(ProgressLog.FALLING_BEHIND_BATCHES, "0"), INTERVAL);
    try (CapturedLog captured = new CapturedLog()) {
      for (int i = 0; i < 10; i++) {
        off.onBatchCompleted(new StreamingListenerBatchCompleted(batch(i, i * 100L, null)));
      }
      assertThat(captured.text()).doesNotContain("Falling behind");
    }
    assertThatThrownBy(() -> new ProgressLog(new StreamingConf().set(ProgressLog.FALLING_BEHIND_BATCHES, "-1"), INTERVAL))
        .hasMessageContaining("'streaming.log.fallingBehindBatches'").hasMessageContaining("-1");
  }
}
