package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Duration}, {@link Durations} and {@link Time}. */
class DurationAndTimeTest {

  // ---------------------------------------------------------------- Durations factories

  @Test
  void durationsFactoriesConvertToMilliseconds() {
    assertThat(Durations.milliseconds(250).milliseconds()).isEqualTo(250);
    assertThat(Durations.seconds(2).milliseconds()).isEqualTo(2_000);
    assertThat(Durations.minutes(3).milliseconds()).isEqualTo(180_000);
  }

  @Test
  void equalLengthsAreEqualDurations() {
    assertThat(Durations.seconds(60)).isEqualTo(Durations.minutes(1)).hasSameHashCodeAs(Durations.minutes(1));
  }

  @Test
  void aNegativeDurationIsRejectedWithItsValue() {
    assertThatThrownBy(() -> Durations.milliseconds(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative")
        .hasMessageContaining("-1 ms");
  }

  @Test
  void aDurationTooLongForMillisecondsIsRejected() {
    assertThatThrownBy(() -> Durations.minutes(Long.MAX_VALUE / 1000)).isInstanceOf(ArithmeticException.class);
  }

  // ---------------------------------------------------------------- Duration arithmetic

  @Test
  void durationsAddSubtractAndMultiply() {
    Duration two = Durations.seconds(2);
    assertThat(two.plus(Durations.milliseconds(500))).isEqualTo(Durations.milliseconds(2_500));
    assertThat(two.minus(Durations.milliseconds(500))).isEqualTo(Durations.milliseconds(1_500));
    assertThat(two.times(3)).isEqualTo(Durations.seconds(6));
  }

  @Test
  void subtractingALongerDurationFailsAsNegative() {
    assertThatThrownBy(() -> Durations.seconds(1).minus(Durations.seconds(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1000 ms");
  }

  @Test
  void divGivesHowManyTimesADurationFitsAsAFraction() {
    assertThat(Durations.seconds(3).div(Durations.seconds(2))).isEqualTo(1.5);
    assertThat(Durations.seconds(10).div(Durations.seconds(1))).isEqualTo(10.0);
  }

  @Test
  void isMultipleOfIsTrueOnlyForWholeMultiplesOfANonZeroDuration() {
    assertThat(Durations.seconds(10).isMultipleOf(Durations.seconds(2))).isTrue();
    assertThat(Durations.seconds(10).isMultipleOf(Durations.seconds(10))).isTrue();
    assertThat(Durations.seconds(10).isMultipleOf(Durations.seconds(3))).isFalse();
    assertThat(Durations.seconds(10).isMultipleOf(Durations.milliseconds(0))).isFalse();
  }

  @Test
  void durationsCompare() {
    Duration one = Durations.seconds(1);
    Duration two = Durations.seconds(2);
    assertThat(one.less(two)).isTrue();
    assertThat(one.lessEq(one)).isTrue();
    assertThat(two.greater(one)).isTrue();
    assertThat(two.greaterEq(two)).isTrue();
    assertThat(two.less(one)).isFalse();
    assertThat(one.greater(one)).isFalse();
    assertThat(one.min(two)).isEqualTo(one);
    assertThat(one.max(two)).isEqualTo(two);
    assertThat(List.of(two, one)).isSortedAccordingTo((a, b) -> -a.compareTo(b));
    assertThat(Durations.milliseconds(0).isZero()).isTrue();
    assertThat(one.isZero()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({"500, 500 ms", "1000, 1 s", "1500, 1.5 s", "60000, 1 min", "90000, 1.5 min"})
  void prettyPrintUsesTheLargestFittingUnit(long ms, String expected) {
    assertThat(Durations.milliseconds(ms).prettyPrint()).isEqualTo(expected);
  }

  @Test
  void toStringIsMilliseconds() {
    assertThat(Durations.seconds(2)).hasToString("2000 ms");
  }

  // ---------------------------------------------------------------- Durations.parse

  @ParameterizedTest
  @CsvSource({
    "200ms, 200",
    "2s, 2000",
    "1min, 60000",
    "5m, 300000",
    "1h, 3600000",
    "750, 750",
    "' 3 s ', 3000",
    "2S, 2000",
    "0ms, 0"
  })
  void parseReadsANumberWithAUnit(String text, long expectedMs) {
    assertThat(Durations.parse(text)).isEqualTo(Durations.milliseconds(expectedMs));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "1.5s", "", "ms", "2 sec", "10 days"})
  void parseOfBadTextFailsNamingTheTextAndTheAcceptedForms(String text) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text + "'")
        .hasMessageContaining("200ms");
  }

  @Test
  void parseOfANegativeDurationFailsNamingTheText() {
    assertThatThrownBy(() -> Durations.parse("-5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'-5s'")
        .hasMessageContaining("negative");
  }

  @Test
  void parseOfADurationTooLongFailsNamingTheText() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999min"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'99999999999999999min'");
  }

  @Test
  void parseOfNullFailsNamingTheArgument() {
    assertThatThrownBy(() -> Durations.parse(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
  }

  // ---------------------------------------------------------------- Time

  @Test
  void timePlusAndMinusADurationMoveIt() {
    Time t = new Time(5_000);
    assertThat(t.plus(Durations.seconds(2))).isEqualTo(new Time(7_000));
    assertThat(t.minus(Durations.milliseconds(500))).isEqualTo(new Time(4_500));
  }

  @Test
  void timeMinusAnEarlierTimeIsTheDurationBetweenThem() {
    assertThat(new Time(5_000).minus(new Time(2_000))).isEqualTo(Durations.seconds(3));
  }

  @Test
  void timeMinusALaterTimeFailsAsANegativeDuration() {
    assertThatThrownBy(() -> new Time(1_000).minus(new Time(2_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("negative");
  }

  @Test
  void floorGivesTheLatestMultipleAtOrBefore() {
    assertThat(new Time(2_500).floor(Durations.seconds(1))).isEqualTo(new Time(2_000));
    assertThat(new Time(3_000).floor(Durations.seconds(1))).isEqualTo(new Time(3_000));
    assertThat(new Time(999).floor(Durations.seconds(1))).isEqualTo(new Time(0));
  }

  @Test
  void floorFromAZeroTimeCountsWholeStepsFromIt() {
    Time zero = new Time(500);
    assertThat(new Time(2_400).floor(Durations.seconds(1), zero)).isEqualTo(new Time(1_500));
    assertThat(new Time(2_500).floor(Durations.seconds(1), zero)).isEqualTo(new Time(2_500));
    assertThat(new Time(400).floor(Durations.seconds(1), zero)).isEqualTo(new Time(-500));
  }

  @Test
  void timeIsMultipleOfADuration() {
    assertThat(new Time(4_000).isMultipleOf(Durations.seconds(2))).isTrue();
    assertThat(new Time(5_000).isMultipleOf(Durations.seconds(2))).isFalse();
    assertThat(new Time(5_000).isMultipleOf(Durations.milliseconds(0))).isFalse();
  }

  @Test
  void timesCompare() {
    Time a = new Time(1_000);
    Time b = new Time(2_000);
    assertThat(a.less(b)).isTrue();
    assertThat(a.lessEq(a)).isTrue();
    assertThat(b.greater(a)).isTrue();
    assertThat(b.greaterEq(b)).isTrue();
    assertThat(b.lessEq(a)).isFalse();
    assertThat(a.compareTo(b)).isNegative();
  }

  @Test
  void untilExcludesTheEndAndToIncludesIt() {
    Time start = new Time(1_000);
    Time end = new Time(4_000);
    Duration step = Durations.seconds(1);
    assertThat(start.until(end, step)).containsExactly(new Time(1_000), new Time(2_000), new Time(3_000));
    assertThat(start.to(end, step))
        .containsExactly(new Time(1_000), new Time(2_000), new Time(3_000), new Time(4_000));
    assertThat(end.until(start, step)).isEmpty();
  }

  @Test
  void timeToStringIsMilliseconds() {
    assertThat(new Time(1_000)).hasToString("1000 ms");
  }
}
