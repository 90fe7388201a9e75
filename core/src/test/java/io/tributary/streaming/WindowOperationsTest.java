package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Window operations without an inverse function (window, reduceByWindow, groupByKeyAndWindow,
 * reduceByKeyAndWindow), the incremental counts, and the checks made when a window is defined.
 * Batches are 1 s; the first batch is at 1000 ms; window {@code (t - w, t]}.
 */
class WindowOperationsTest {
  private StreamingTestDriver driver;

  @TempDir Path checkpoints;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private static Duration s(long seconds) {
    return Durations.seconds(seconds);
  }

  private static Tuple2<String, Integer> kv(String k, int v) {
    return Tuple2.of(k, v);
  }

  /** Each batch as a map from key to value (pairs with distinct keys). */
  private static <K extends Comparable<K>, V> List<Map<K, V>> asMaps(TestOutput<Tuple2<K, V>> out) {
    List<Map<K, V>> maps = new ArrayList<>();
    for (List<Tuple2<K, V>> batch : out.batches()) {
      Map<K, V> map = new TreeMap<>();
      batch.forEach(kv -> assertThat(map.put(kv._1(), kv._2())).as("duplicate key %s", kv._1()).isNull());
      maps.add(map);
    }
    return maps;
  }

  // ---------------------------------------------------------------- window

  @Test
  void windowOfThreeBatchesHoldsTheLastThreeBatchesInOrder() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().window(s(3)));
    driver.start();
    in.addBatch(1).addBatch(2, 3).addBatch(4).addBatch(5).addBatch();
    driver.advance(7);
    assertThat(out.batches())
        .containsExactly(
            List.of(1), List.of(1, 2, 3), List.of(1, 2, 3, 4), List.of(2, 3, 4, 5), List.of(4, 5),
            List.of(5), List.of());
  }

  @Test
  void windowLargerThanTheDataSeenSoFarHoldsEverythingSinceTheStart() {
    TestInput<String> in = driver.input();
    TestOutput<String> out = driver.collect(in.stream().window(s(10)));
    driver.start();
    in.addBatch("a").addBatch("b").addBatch("c");
    driver.advance(3);
    assertThat(out.batches()).containsExactly(List.of("a"), List.of("a", "b"), List.of("a", "b", "c"));
  }

  @Test
  void windowWithSlideOfTwoBatchesOutputsOnlyEverySecondBatch() {
    TestInput<String> in = driver.input();
    TestOutput<String> out = driver.collect(in.stream().window(s(4), s(2)));
    driver.start();
    in.addBatch("a").addBatch("b").addBatch("c").addBatch("d").addBatch("e").addBatch("f");
    driver.advance(7);
    assertThat(out.byTime().keySet()).containsExactly(new Time(2000), new Time(4000), new Time(6000));
    assertThat(out.batches())
        .containsExactly(List.of("a", "b"), List.of("a", "b", "c", "d"), List.of("c", "d", "e", "f"));
  }

  @Test
  void windowShorterThanItsSlideSamplesTheLastBatchesAndReadsEachInputBatchOnce() {
    TestInput<String> in = driver.input();
    TestOutput<String> out = driver.collect(in.stream().window(s(1), s(3)));
    driver.start();
    in.addBatch("a").addBatch("b").addBatch("c").addBatch("d").addBatch("e").addBatch("f");
    driver.advance(6);
    assertThat(out.byTime().keySet()).containsExactly(new Time(3000), new Time(6000));
    assertThat(out.batches()).containsExactly(List.of("c"), List.of("f"));
  }

  @Test
  void windowOfEmptyBatchesIsEmpty() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().window(s(2)));
    driver.start();
    driver.advance(3);
    assertThat(out.batches()).containsExactly(List.of(), List.of(), List.of());
  }

  @Test
  void windowOfAPairStreamIsAPairStream() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> windowed = in.<String, Integer>pairStream().window(s(2));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(windowed.reduceByKey(Integer::sum));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2)).addBatch(kv("a", 10)).addBatch(kv("b", 5));
    driver.advance(3);
    assertThat(asMaps(out))
        .containsExactly(Map.of("a", 1, "b", 2), Map.of("a", 11, "b", 2), Map.of("a", 10, "b", 5));
  }

  @Test
  void windowOfAWindowCoversBothLengths() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().window(s(2)).window(s(4), s(2)));
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4);
    driver.advance(4);
    // at 2 s: the inner windows of 1 s and 2 s; at 4 s: the inner windows of 1 s to 4 s
    assertThat(out.batches()).containsExactly(List.of(1, 1, 2), List.of(1, 1, 2, 2, 3, 3, 4));
  }

  @Test
  void windowedStreamParentKeepsOnlyTheBatchesTheWindowNeeds() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> source = in.stream();
    driver.collect(source.window(s(3)));
    driver.start();
    for (int i = 0; i < 20; i++) {
      in.addBatch(i);
    }
    driver.advance(20);
    // the window needs 3 batches; its parent keeps window + the window's remember duration (one slide), as in Spark
    assertThat(source.rememberedCount()).isBetween(3, 3 + 2);
  }

  @Test
  void windowWithLongSlideKeepsItsParentForOneWindowAndOneSlide() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> source = in.stream();
    TestOutput<Integer> out = driver.collect(source.window(s(5), s(5)));
    driver.start();
    for (int i = 1; i <= 30; i++) {
      in.addBatch(i);
    }
    driver.advance(30);
    assertThat(out.lastBatch()).containsExactly(26, 27, 28, 29, 30);
    // window + the window's remember duration (its slide), as in Spark
    assertThat(source.rememberedCount()).isLessThanOrEqualTo(5 + 5 + 1);
  }

  @Test
  void windowPersistsItsParentSoEachBatchIsComputedOnce() {
    TestInput<Integer> in = driver.input();
    COUNTED.set(0);
    DStream<Integer> counted = in.stream().map(x -> {
      COUNTED.incrementAndGet();
      return x;
    });
    driver.collect(counted.window(s(3)));
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4);
    driver.advance(4);
    assertThat(COUNTED.get()).isEqualTo(4);
  }

  private static final java.util.concurrent.atomic.AtomicInteger COUNTED =
      new java.util.concurrent.atomic.AtomicInteger();

  // ---------------------------------------------------------------- checks at definition

  @Test
  void windowNotAMultipleOfTheBatchFailsNamingBothDurations() {
    TestInput<Integer> in = driver.input();
    assertThatThrownBy(() -> in.stream().window(Durations.milliseconds(2500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window duration 2500 ms")
        .hasMessageContaining("slide duration 1000 ms")
        .hasMessageContaining("QueueInputDStream");
  }

  @Test
  void slideNotAMultipleOfTheBatchFailsNamingBothDurations() {
    TestInput<Integer> in = driver.input();
    assertThatThrownBy(() -> in.stream().window(s(4), Durations.milliseconds(1500)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window duration 4000 ms")
        .hasMessageContaining("slide duration 1500 ms")
        .hasMessageContaining("parent's slide duration 1000 ms")
        .hasMessageContaining("the slide duration 1500 ms is not");
  }

  @Test
  void zeroWindowFailsAtDefinition() {
    TestInput<Integer> in = driver.input();
    assertThatThrownBy(() -> in.stream().window(Durations.milliseconds(0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the window duration 0 ms is not");
  }

  @Test
  void windowOverAWindowMustUseMultiplesOfThatWindowsSlide() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> everyTwo = in.stream().window(s(4), s(2));
    assertThatThrownBy(() -> everyTwo.window(s(3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("window duration 3000 ms")
        .hasMessageContaining("parent's slide duration 2000 ms");
  }

  @Test
  void everyWindowOperationChecksItsDurationsAtDefinition() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> pairs = in.pairStream();
    Duration bad = Durations.milliseconds(1500);
    List<Runnable> definitions = List.of(
        () -> pairs.reduceByKeyAndWindow(Integer::sum, bad),
        () -> pairs.reduceByKeyAndWindow(Integer::sum, s(2), bad),
        () -> pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, bad, s(1)),
        () -> pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), bad, 2, null),
        () -> pairs.groupByKeyAndWindow(bad),
        () -> pairs.countByWindow(bad, s(1)),
        () -> pairs.countByValueAndWindow(s(2), bad),
        () -> pairs.reduceByWindow((a, b) -> a, bad, s(1)),
        () -> pairs.reduceByWindow((a, b) -> a, (a, b) -> a, s(2), bad));
    for (Runnable definition : definitions) {
      assertThatThrownBy(definition::run)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1500 ms")
          .hasMessageContaining("parent's slide duration 1000 ms");
    }
  }

  // ---------------------------------------------------------------- reduceByWindow, countByWindow

  @Test
  void reduceByWindowCombinesEveryElementOfTheWindowAndNothingForAnEmptyWindow() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().reduceByWindow(Integer::sum, s(3), s(1)));
    driver.start();
    in.addBatch(1, 2).addBatch(3).addBatch().addBatch(4).addBatch().addBatch().addBatch();
    driver.advance(7);
    assertThat(out.batches())
        .containsExactly(List.of(3), List.of(6), List.of(6), List.of(7), List.of(4), List.of(4), List.of());
  }

  @Test
  void reduceByWindowWithSlideOfTwoBatchesReducesTheLastWindowEverySecondBatch() {
    TestInput<String> in = driver.input();
    TestOutput<String> out =
        driver.collect(in.stream().reduceByWindow((a, b) -> a.compareTo(b) > 0 ? a : b, s(3), s(2)));
    driver.start();
    in.addBatch("d", "a").addBatch("b").addBatch("c").addBatch("a");
    driver.advance(4);
    // (−1, 2] = {d, a, b}; (1, 4] = {b, c, a}
    assertThat(out.batches()).containsExactly(List.of("d"), List.of("c"));
  }

  @Test
  void countByWindowCountsTheElementsOfTheWindowAndZeroOnceTheyLeft() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<String> in = driver.input();
    TestOutput<Long> out = driver.collect(in.stream().countByWindow(s(3), s(1)));
    driver.start();
    in.addBatch().addBatch("x", "y").addBatch().addBatch("z").addBatch().addBatch().addBatch();
    driver.advance(7);
    // no element seen yet: no count (as in Spark); afterwards an empty window counts 0
    assertThat(out.batches())
        .containsExactly(List.of(), List.of(2L), List.of(2L), List.of(3L), List.of(1L), List.of(1L), List.of(0L));
  }

  @Test
  void countByWindowWithSlideOfTwoBatches() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Integer> in = driver.input();
    TestOutput<Long> out = driver.collect(in.stream().countByWindow(s(4), s(2)));
    driver.start();
    in.addBatch(1, 2).addBatch(3).addBatch().addBatch(4, 5, 6).addBatch(7).addBatch().addBatch().addBatch();
    driver.advance(10);
    assertThat(out.byTime())
        .containsExactly(
            Map.entry(new Time(2000), List.of(3L)), Map.entry(new Time(4000), List.of(6L)),
            Map.entry(new Time(6000), List.of(4L)), Map.entry(new Time(8000), List.of(1L)),
            Map.entry(new Time(10000), List.of(0L)));
  }

  @Test
  void reduceByWindowWithInverseKeepsTheIdentityOnceTheWindowEmpties() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out =
        driver.collect(in.stream().reduceByWindow(Integer::sum, (a, b) -> a - b, s(2), s(1)));
    driver.start();
    in.addBatch(1, 2).addBatch(3).addBatch(10).addBatch().addBatch();
    driver.advance(5);
    assertThat(out.batches())
        .containsExactly(List.of(3), List.of(6), List.of(13), List.of(10), List.of(0));
  }

  // ---------------------------------------------------------------- by key

  @Test
  void groupByKeyAndWindowGathersEachKeysValuesOfTheWindow() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    TestOutput<Tuple2<String, Iterable<Integer>>> out =
        driver.collect(in.<String, Integer>pairStream().groupByKeyAndWindow(s(2)));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("a", 5)).addBatch(kv("a", 3)).addBatch(kv("b", 4)).addBatch();
    driver.advance(4);
    assertThat(groupsOf(out))
        .containsExactly(
            Map.of("a", List.of(1, 5), "b", List.of(2)),
            Map.of("a", List.of(1, 3, 5), "b", List.of(2)),
            Map.of("a", List.of(3), "b", List.of(4)),
            Map.of("b", List.of(4)));
  }

  @Test
  void groupByKeyAndWindowWithSlideAndPartitionCount() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Iterable<Integer>> grouped =
        in.<String, Integer>pairStream().groupByKeyAndWindow(s(3), s(3), 3);
    TestOutput<Tuple2<String, Iterable<Integer>>> out = driver.collect(grouped);
    TestOutput<Integer> partitions = driver.collect(grouped.glom().map(List::size));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 2)).addBatch(kv("a", 3)).addBatch(kv("c", 9));
    driver.advance(6);
    assertThat(groupsOf(out))
        .containsExactly(Map.of("a", List.of(1, 3), "b", List.of(2)), Map.of("c", List.of(9)));
    assertThat(partitions.batch(0)).hasSize(3);
  }

  @Test
  void groupByKeyAndWindowWithAPartitionerPlacesKeysByIt() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Iterable<Integer>> grouped = in.<String, Integer>pairStream()
        .groupByKeyAndWindow(s(2), s(1), new PairDStreamTest.FirstLetterParity());
    TestOutput<List<String>> keysByPartition =
        driver.collect(grouped.glom().map(p -> p.stream().map(Tuple2::_1).sorted().toList()));
    driver.start();
    in.addBatch(kv("b", 1), kv("a", 2)).addBatch(kv("d", 3), kv("c", 4));
    driver.advance(2);
    assertThat(keysByPartition.batch(1)).containsExactly(List.of("b", "d"), List.of("a", "c"));
  }

  private static List<Map<String, List<Integer>>> groupsOf(TestOutput<Tuple2<String, Iterable<Integer>>> out) {
    List<Map<String, List<Integer>>> batches = new ArrayList<>();
    for (List<Tuple2<String, Iterable<Integer>>> batch : out.batches()) {
      Map<String, List<Integer>> groups = new TreeMap<>();
      for (Tuple2<String, Iterable<Integer>> group : batch) {
        List<Integer> values = new ArrayList<>();
        group._2().forEach(values::add);
        values.sort(null);
        assertThat(groups.put(group._1(), values)).isNull();
      }
      batches.add(groups);
    }
    return batches;
  }

  @Test
  void reduceByKeyAndWindowReducesEachKeyOverTheWindow() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(in.<String, Integer>pairStream().reduceByKeyAndWindow(Integer::sum, s(3)));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 1)).addBatch(kv("a", 1)).addBatch(kv("c", 5)).addBatch().addBatch()
        .addBatch(kv("a", 2));
    driver.advance(6);
    assertThat(asMaps(out))
        .containsExactly(
            Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 2, "b", 1, "c", 5),
            Map.of("a", 1, "c", 5), Map.of("c", 5), Map.of("a", 2));
  }

  @Test
  void reduceByKeyAndWindowWithSlideOutputsEverySlide() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(in.<String, Integer>pairStream().reduceByKeyAndWindow(Integer::sum, s(4), s(2)));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 1)).addBatch(kv("a", 1)).addBatch().addBatch(kv("a", 1));
    driver.advance(6);
    assertThat(out.byTime().keySet()).containsExactly(new Time(2000), new Time(4000), new Time(6000));
    assertThat(asMaps(out)).containsExactly(Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 2));
  }

  @Test
  void reduceByKeyAndWindowInGivenPartitions() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> reduced =
        in.<String, Integer>pairStream().reduceByKeyAndWindow(Integer::sum, s(2), s(1), 4);
    TestOutput<Tuple2<String, Integer>> out = driver.collect(reduced);
    TestOutput<Integer> partitions = driver.collect(reduced.glom().map(List::size));
    driver.start();
    in.addBatch(kv("a", 1), kv("a", 2)).addBatch(kv("a", 4), kv("b", 8));
    driver.advance(2);
    assertThat(asMaps(out)).containsExactly(Map.of("a", 3), Map.of("a", 7, "b", 8));
    assertThat(partitions.batch(1)).hasSize(4);
  }

  @Test
  void reduceByKeyAndWindowWithAPartitionerPlacesKeysByIt() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> reduced = in.<String, Integer>pairStream()
        .reduceByKeyAndWindow(Integer::sum, s(2), s(1), new PairDStreamTest.FirstLetterParity());
    TestOutput<List<Tuple2<String, Integer>>> parts = driver.collect(
        reduced.glom().map(p -> p.stream().sorted((x, y) -> x._1().compareTo(y._1())).toList()));
    driver.start();
    in.addBatch(kv("b", 1), kv("a", 2)).addBatch(kv("b", 3), kv("c", 4));
    driver.advance(2);
    assertThat(parts.batch(1))
        .containsExactly(List.of(kv("b", 4)), List.of(kv("a", 2), kv("c", 4)));
  }

  @Test
  void countByValueAndWindowCountsEachElementAndDropsThoseThatLeft() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<String> in = driver.input();
    TestOutput<Tuple2<String, Long>> out = driver.collect(in.stream().countByValueAndWindow(s(2), s(1)));
    driver.start();
    in.addBatch("a", "b", "a").addBatch("b").addBatch("c").addBatch().addBatch();
    driver.advance(5);
    assertThat(asMaps(out))
        .containsExactly(
            Map.of("a", 2L, "b", 1L), Map.of("a", 2L, "b", 2L), Map.of("b", 1L, "c", 1L), Map.of("c", 1L),
            Map.of());
  }

  @Test
  void countByValueAndWindowInGivenPartitions() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Integer> in = driver.input();
    PairDStream<Integer, Long> counts = in.stream().countByValueAndWindow(s(2), s(2), 3);
    TestOutput<Tuple2<Integer, Long>> out = driver.collect(counts);
    TestOutput<Integer> partitions = driver.collect(counts.glom().map(List::size));
    driver.start();
    in.addBatch(1, 2).addBatch(2, 3).addBatch(3).addBatch(3);
    driver.advance(4);
    assertThat(asMaps(out)).containsExactly(Map.of(1, 1L, 2, 2L, 3, 1L), Map.of(3, 2L));
    assertThat(partitions.batches()).allSatisfy(sizes -> assertThat(sizes).hasSize(3));
  }
}
