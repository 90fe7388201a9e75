package io.tributary.streaming.internal.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tributary.StreamingConf;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Expected values are worked out by hand from the formula in the class comment. */
class PIDRateEstimatorTest {
  private static PIDRateEstimator defaults() {
    return new PIDRateEstimator(1000, 1.0, 0.2, 0.0, 100);
  }

  private static double rate(OptionalDouble estimate) {
    assertThat(estimate).isPresent();
    return estimate.getAsDouble();
  }

  @Test
  void theFirstCountedBatchOnlyCalibratesAndPublishesNothing() {
    PIDRateEstimator pid = defaults();
    assertThat(pid.compute(1000, 1000, 500, 0)).isEmpty(); // latestRate = 2000
    // processingRate 1000; error 2000-1000 = 1000; historical 500*1000/1000 = 500
    // new = 2000 - 1000 - 0.2*500 = 900
    assertThat(rate(pid.compute(2000, 1000, 1000, 500))).isCloseTo(900, within(1e-9));
    // processingRate 900/600*1000 = 1500; error 900-1500 = -600; historical 200*1500/1000 = 300
    // new = 900 + 600 - 0.2*300 = 1440
    assertThat(rate(pid.compute(3000, 900, 600, 200))).isCloseTo(1440, within(1e-9));
  }

  @Test
  void withoutSchedulingDelayTheRateFollowsTheProcessingRate() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 5000, 1000, 0);
    // Kp = 1: new = latest - (latest - processing) = processing = 3000
    assertThat(rate(pid.compute(2000, 3000, 1000, 0))).isCloseTo(3000, within(1e-9));
  }

  @Test
  void theDerivativeTermUsesTheSecondsSinceTheLastUpdate() {
    PIDRateEstimator pid = new PIDRateEstimator(1000, 1.0, 0.2, 0.5, 100);
    pid.compute(1000, 1000, 500, 0); // latestRate 2000, latestError 0
    // 2 s later: processingRate 1000; error 1000; historical 500; dError (1000-0)/2 = 500
    // new = 2000 - 1000 - 0.2*500 - 0.5*500 = 650
    assertThat(rate(pid.compute(3000, 1000, 1000, 500))).isCloseTo(650, within(1e-9));
    // processingRate 2000; error 650-2000 = -1350; historical 0; dError (-1350-1000)/1 = -2350
    // new = 650 + 1350 - 0 + 0.5*2350 = 3175
    assertThat(rate(pid.compute(4000, 2000, 1000, 0))).isCloseTo(3175, within(1e-9));
  }

  @Test
  void theRateNeverFallsBelowMinRate() {
    PIDRateEstimator pid = defaults();
    pid.compute(1000, 1000, 500, 0); // latestRate 2000
    // processingRate 10; error 1990; historical 100000*10/1000 = 1000; new = 2000-1990-200 < 0
    assertThat(rate(pid.compute(2000, 10, 1000, 100_000))).isEqualTo(100);
  }

  @Test
  void batchesWithoutRecordsWithoutProcessingTimeOrNotLaterAreSkippedAndChangeNothing() {
    PIDRateEstimator pid = defaults();
    assertThat(pid.compute(1000, 0, 500, 0)).as("no records").isEmpty();
    assertThat(pid.compute(1000, 10, 0, 0)).as("no processing time").isEmpty();
    assertThat(pid.compute(1000, 1000, 500, 0)).as("first counted batch").isEmpty();
    assertThat(pid.compute(1000, 1000, 100, 0)).as("same time").isEmpty();
    assertThat(pid.compute(900, 1000, 100, 0)).as("earlier time").isEmpty();
    assertThat(pid.compute(1500, 0, 100, 0)).as("no records").isEmpty();
    assertThat(pid.compute(1500, 10, 0, 0)).as("no processing time").isEmpty();
    // still calibrated from the batch at 1000: same result as without the skipped calls
    assertThat(rate(pid.compute(2000, 1000, 1000, 500))).isCloseTo(900, within(1e-9));
  }

  @Test
  void invalidSettingsAreRejectedNamingTheKey() {
    assertThatThrownBy(() -> new PIDRateEstimator(0, 1, 0.2, 0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("batch interval");
    assertThatThrownBy(() -> new PIDRateEstimator(1000, -1, 0.2, 0, 100))
        .hasMessageContaining("streaming.backpressure.pid.proportional");
    assertThatThrownBy(() -> new PIDRateEstimator(1000, 1, -0.2, 0, 100))
        .hasMessageContaining("streaming.backpressure.pid.integral");
    assertThatThrownBy(() -> new PIDRateEstimator(1000, 1, 0.2, -1, 100))
        .hasMessageContaining("streaming.backpressure.pid.derived");
    assertThatThrownBy(() -> new PIDRateEstimator(1000, 1, 0.2, 0, 0))
        .hasMessageContaining("streaming.backpressure.pid.minRate");
    StreamingConf aimd = new StreamingConf().set("spark.streaming.backpressure.rateEstimator", "aimd");
    assertThatThrownBy(() -> PIDRateEstimator.fromConf(aimd, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Unknown rate estimator 'aimd'")
        .hasMessageContaining("'pid'");
  }

  @Test
  void settingsAreReadFromTheConfigurationWithOrWithoutTheSparkPrefix() {
    StreamingConf conf = new StreamingConf()
        .set("spark.streaming.backpressure.pid.proportional", "0.5")
        .set("streaming.backpressure.pid.integral", "0")
        .set("spark.streaming.backpressure.pid.minRate", "10");
    PIDRateEstimator pid = PIDRateEstimator.fromConf(conf, 1000);
    pid.compute(1000, 1000, 500, 0); // latestRate 2000
    // processingRate 100; error 1900; new = 2000 - 0.5*1900 = 1050 (no integral term)
    assertThat(rate(pid.compute(2000, 100, 1000, 5000))).isCloseTo(1050, within(1e-9));
  }
}
