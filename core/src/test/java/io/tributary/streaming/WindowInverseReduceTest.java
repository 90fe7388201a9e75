package io.tributary.streaming;

import io.tributary.Duration;
import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reduceByKeyAndWindow} with an inverse function: incremental windows, keys leaving the
 * window, the same results as the plain form, data checkpoints that keep the lineage short, and
 * the checkpoint directory it needs. Batches are 1 s; window {@code (t - w, t]}.
 */
class WindowInverseReduceTest {
  private StreamingTestDriver driver;
  private TestInput<Tuple2<String, Integer>> in;
  private PairDStream<String, Integer> pairs;

  @TempDir Path checkpoints;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
    in = driver.input();
    pairs = in.pairStream();
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  private void checkpointed() {
    driver.context().checkpoint(checkpoints.toString());
  }

  private static Duration s(long seconds) {
    return Durations.seconds(seconds);
  }

  private static Tuple2<String, Integer> kv(String k, int v) {
    return Tuple2.of(k, v);
  }

  private static <K extends Comparable<K>, V> Map<K, V> asMap(List<Tuple2<K, V>> batch) {
    Map<K, V> map = new TreeMap<>();
    batch.forEach(kv -> assertThat(map.put(kv._1(), kv._2())).as("duplicate key %s", kv._1()).isNull());
    return map;
  }

  private static <K extends Comparable<K>, V> List<Map<K, V>> asMaps(TestOutput<Tuple2<K, V>> out) {
    return out.batches().stream().map(WindowInverseReduceTest::asMap).toList();
  }

  /** Batches 1..6 of the hand-computed examples. */
  private void feedSixBatches() {
    in.addBatch(kv("a", 1), kv("b", 1))
        .addBatch(kv("a", 1))
        .addBatch(kv("c", 5))
        .addBatch()
        .addBatch()
        .addBatch(kv("a", 2));
  }

  // ---------------------------------------------------------------- hand-computed windows

  @Test
  void withoutFilterKeysThatLeftTheWindowStayWithTheIdentityAsInSpark() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1)));
    driver.start();
    feedSixBatches();
    driver.advance(6);
    assertThat(asMaps(out))
        .containsExactly(
            Map.of("a", 1, "b", 1),
            Map.of("a", 2, "b", 1),
            Map.of("a", 2, "b", 1, "c", 5),
            Map.of("a", 1, "b", 0, "c", 5),
            Map.of("a", 0, "b", 0, "c", 5),
            Map.of("a", 2, "b", 0, "c", 0));
  }

  @Test
  void withFilterKeysThatLeftTheWindowAreDroppedAndComeBackWithNewValues() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out = driver.collect(
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1), 2, kv -> kv._2() != 0));
    driver.start();
    feedSixBatches();
    driver.advance(6);
    assertThat(asMaps(out))
        .containsExactly(
            Map.of("a", 1, "b", 1),
            Map.of("a", 2, "b", 1),
            Map.of("a", 2, "b", 1, "c", 5),
            Map.of("a", 1, "c", 5),
            Map.of("c", 5),
            Map.of("a", 2));
  }

  @Test
  void windowLargerThanTheDataSeenSoFarAddsEveryBatch() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(100), s(1)));
    driver.start();
    feedSixBatches();
    driver.advance(6);
    assertThat(asMap(out.lastBatch())).isEqualTo(Map.of("a", 4, "b", 1, "c", 5));
  }

  @Test
  void slideOfTwoBatchesRemovesAndAddsTwoBatchesAtATime() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(4), s(2)));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 1)).addBatch(kv("a", 1)).addBatch().addBatch(kv("a", 1));
    driver.advance(9);
    assertThat(out.byTime().keySet())
        .containsExactly(new Time(2000), new Time(4000), new Time(6000), new Time(8000));
    assertThat(asMaps(out))
        .containsExactly(
            Map.of("a", 1, "b", 1), Map.of("a", 2, "b", 1), Map.of("a", 2, "b", 0), Map.of("a", 1, "b", 0));
  }

  @Test
  void windowEqualToItsSlideReplacesThePreviousWindowWhole() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out = driver.collect(
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(2), s(2), 2, kv -> kv._2() != 0));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 2)).addBatch(kv("b", 3)).addBatch(kv("c", 4));
    driver.advance(6);
    assertThat(asMaps(out)).containsExactly(Map.of("a", 1, "b", 2), Map.of("b", 3, "c", 4), Map.of());
  }

  @Test
  void windowShorterThanItsSlideReducesEachWindowWhole() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(1), s(3)));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 2)).addBatch(kv("c", 3)).addBatch(kv("c", 9))
        .addBatch(kv("a", 1)).addBatch(kv("b", 1));
    driver.advance(6);
    assertThat(asMaps(out)).containsExactly(Map.of("c", 3), Map.of("b", 1));
  }

  @Test
  void emptyBatchesOnlyLeaveTheWindow() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> out = driver.collect(
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(2), s(1), 2, kv -> kv._2() != 0));
    driver.start();
    in.addBatch().addBatch().addBatch(kv("a", 7)).addBatch().addBatch();
    driver.advance(5);
    assertThat(asMaps(out))
        .containsExactly(Map.of(), Map.of(), Map.of("a", 7), Map.of("a", 7), Map.of());
  }

  @Test
  void partitionerFormPlacesKeysByIt() {
    checkpointed();
    PairDStream<String, Integer> windowed = pairs.reduceByKeyAndWindow(
        Integer::sum, (a, b) -> a - b, s(2), s(1), new PairDStreamTest.FirstLetterParity(), null);
    TestOutput<List<String>> keysByPartition =
        driver.collect(windowed.glom().map(p -> p.stream().map(Tuple2::_1).sorted().toList()));
    driver.start();
    in.addBatch(kv("b", 1), kv("a", 2)).addBatch(kv("d", 3), kv("c", 4)).addBatch();
    driver.advance(3);
    assertThat(keysByPartition.batch(1)).containsExactly(List.of("b", "d"), List.of("a", "c"));
    assertThat(keysByPartition.batch(2)).containsExactly(List.of("b", "d"), List.of("a", "c"));
  }

  @Test
  void numPartitionsFormUsesThatManyPartitions() {
    checkpointed();
    PairDStream<String, Integer> windowed =
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(2), s(1), 5, null);
    TestOutput<Integer> partitions = driver.collect(windowed.glom().map(List::size));
    driver.start();
    in.addBatch(kv("a", 1)).addBatch(kv("b", 1)).addBatch(kv("c", 1));
    driver.advance(3);
    assertThat(partitions.batches()).allSatisfy(sizes -> assertThat(sizes).hasSize(5));
  }

  // ---------------------------------------------------------------- same as the plain form

  @Test
  void inverseFormEqualsPlainFormOverALongRandomRun() {
    checkpointed();
    TestOutput<Tuple2<String, Integer>> plain = driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, s(5)));
    TestOutput<Tuple2<String, Integer>> filtered = driver.collect(
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(5), s(1), 3, kv -> kv._2() != 0));
    TestOutput<Tuple2<String, Integer>> unfiltered =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(5), s(1)));
    TestOutput<Tuple2<String, Integer>> plainSliding =
        driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, s(6), s(2)));
    TestOutput<Tuple2<String, Integer>> inverseSliding = driver.collect(
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(6), s(2), 2, kv -> kv._2() != 0));
    driver.start();
    int batches = 60;
    feedRandomBatches(batches, 42, in::addBatch);
    driver.advance(batches);

    assertThat(plain.batches()).hasSize(batches);
    assertThat(asMaps(filtered)).isEqualTo(asMaps(plain));
    List<Map<String, Integer>> withoutZeros = new ArrayList<>();
    for (Map<String, Integer> window : asMaps(unfiltered)) {
      Map<String, Integer> nonZero = new TreeMap<>(window);
      nonZero.values().removeIf(v -> v == 0);
      withoutZeros.add(nonZero);
    }
    assertThat(withoutZeros).isEqualTo(asMaps(plain));
    assertThat(inverseSliding.byTime().keySet()).isEqualTo(plainSliding.byTime().keySet()).hasSize(batches / 2);
    assertThat(asMaps(inverseSliding)).isEqualTo(asMaps(plainSliding));
    // the run is not trivial: keys come and go
    assertThat(asMaps(plain).stream().map(Map::size).distinct().count()).isGreaterThan(2);
  }

  @Test
  void countByValueAndWindowEqualsCountByValueOfTheWindow() {
    checkpointed();
    TestInput<String> words = driver.input();
    TestOutput<Tuple2<String, Long>> incremental = driver.collect(words.stream().countByValueAndWindow(s(4), s(2)));
    TestOutput<Tuple2<String, Long>> whole = driver.collect(words.stream().window(s(4), s(2)).countByValue());
    driver.start();
    int batches = 50;
    feedRandomBatches(batches, 7, batch -> words.addBatch(batch.stream().map(Tuple2::_1).toList()));
    driver.advance(batches);
    assertThat(incremental.batches()).hasSize(batches / 2);
    assertThat(asMaps(incremental)).isEqualTo(asMaps(whole));
  }

  /** {@code count} batches of 0 to 7 pairs of keys k0..k5 and values 1..5; about one in five empty. */
  private static void feedRandomBatches(int count, long seed, Consumer<List<Tuple2<String, Integer>>> feed) {
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      List<Tuple2<String, Integer>> batch = new ArrayList<>();
      int size = random.nextInt(5) == 0 ? 0 : 1 + random.nextInt(7);
      for (int j = 0; j < size; j++) {
        batch.add(kv("k" + random.nextInt(6), 1 + random.nextInt(5)));
      }
      feed.accept(batch);
    }
  }

  // ---------------------------------------------------------------- checkpoints

  @Test
  void windowsAreCheckpointedEveryTenSecondsAndTheLineageStaysShort() throws IOException {
    checkpointed();
    PairDStream<String, Integer> windowed =
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1), 2, kv -> kv._2() != 0);
    List<Rdd<Tuple2<String, Integer>>> windows = Collections.synchronizedList(new ArrayList<>());
    windowed.foreachRDD(rdd -> {
      rdd.count();
      windows.add(rdd);
    });
    driver.start();
    List<Long> lineageLines = new ArrayList<>();
    for (int i = 1; i <= 45; i++) {
      in.addBatch(kv("k" + (i % 4), i));
      driver.advance();
      lineageLines.add(windows.get(windows.size() - 1).toDebugString().lines().count());
    }

    assertThat(windows.get(9).isCheckpointed()).as("window at 10 s").isTrue();
    assertThat(windows.get(19).isCheckpointed()).as("window at 20 s").isTrue();
    assertThat(windows.get(10).isCheckpointed()).as("window at 11 s").isFalse();
    try (Stream<Path> files = Files.list(checkpoints)) {
      assertThat(files.filter(p -> p.getFileName().toString().startsWith("rdd-"))).isNotEmpty();
    }
    // a checkpointed window has no lineage left; the others go back to the last checkpoint only
    // (a dozen lines per window), so the lineage stops growing instead of adding them every batch
    assertThat(lineageLines.get(39)).as("lineage of the window at 40 s").isEqualTo(1);
    long longestEarly = Collections.max(lineageLines.subList(10, 25));
    long longestLate = Collections.max(lineageLines.subList(25, 45));
    assertThat(longestLate).isLessThanOrEqualTo(longestEarly).isLessThan(200);
  }

  @Test
  void checkpointIntervalGivenOnTheResultAppliesToTheIncrementalWindow() {
    checkpointed();
    PairDStream<String, Integer> windowed =
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1)).checkpoint(s(4));
    assertThat(windowed.checkpointDuration()).isEqualTo(s(4));
    driver.collect(windowed);
    driver.start();
    for (int i = 0; i < 8; i++) {
      in.addBatch(kv("a", i));
    }
    driver.advance(8);
    // the windows at 4 s and 8 s
    assertThat(windowed.dependencies().get(0).slice(new Time(1000), new Time(8000)))
        .extracting(Rdd::isCheckpointed)
        .containsExactly(false, false, false, true, false, false, false, true);
  }

  @Test
  void incrementalWindowKeepsItsInputOnlyForOneWindowAndOneSlide() {
    checkpointed();
    PairDStream<String, Integer> windowed =
        pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1));
    driver.collect(windowed);
    driver.start();
    for (int i = 0; i < 30; i++) {
      in.addBatch(kv("a", i));
    }
    driver.advance(30);
    DStreamLike<?, ?, ?> incremental = windowed.dependencies().get(0);
    DStreamLike<?, ?, ?> reducedBatches = incremental.dependencies().get(0);
    assertThat(incremental.toString()).contains("ReducedWindowedDStream");
    // the batches reduced per key: the window's 3 and the one leaving it, plus the current one
    assertThat(reducedBatches.rememberedCount()).isBetween(3, 3 + 2);
    // its own windows: two checkpoint intervals, so a checkpointed one is always kept
    assertThat(incremental.rememberedCount()).isBetween(10, 21);
  }

  @Test
  void startWithoutCheckpointDirectoryFailsNamingTheStreamAndTheFix() {
    driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(3), s(1)));
    assertThatThrownBy(driver::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("ReducedWindowedDStream#")
        .hasMessageContaining("no checkpoint directory is set")
        .hasMessageContaining("ssc.checkpoint(directory)");
  }

  @Test
  void everyIncrementalWindowOperationNeedsTheCheckpointDirectory() {
    List<Consumer<StreamingTestDriver>> definitions = List.of(
        d -> d.collect(d.<String>input().stream().countByWindow(s(2), s(1))),
        d -> d.collect(d.<String>input().stream().countByValueAndWindow(s(2), s(1))),
        d -> d.collect(d.<Integer>input().stream().reduceByWindow(Integer::sum, (a, b) -> a - b, s(2), s(1))),
        d -> d.collect(d.<Tuple2<String, Integer>>input().<String, Integer>pairStream()
            .reduceByKeyAndWindow(Integer::sum, (a, b) -> a - b, s(2), s(1), 2, kv -> true)));
    for (Consumer<StreamingTestDriver> definition : definitions) {
      try (StreamingTestDriver d = new StreamingTestDriver(Durations.seconds(1))) {
        definition.accept(d);
        assertThatThrownBy(d::start)
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("ReducedWindowedDStream#")
            .hasMessageContaining("ssc.checkpoint(directory)");
      }
    }
  }

  @Test
  void plainWindowsNeedNoCheckpointDirectory() {
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.reduceByKeyAndWindow(Integer::sum, s(2)));
    driver.start();
    in.addBatch(kv("a", 1));
    driver.advance();
    assertThat(asMap(out.batch(0))).isEqualTo(Map.of("a", 1));
  }
}
