package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.BatchFailedException;
import io.tributary.Durations;
import io.tributary.HashPartitioner;
import io.tributary.State;
import io.tributary.StorageLevel;
import io.tributary.StorageLevels;
import io.tributary.Time;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behaviour ported code relies on, as Spark Streaming's own suites state it (BasicOperationsSuite:
 * union, transform, slice, remember; WindowOperationsSuite: persistence; MapWithStateSuite: the
 * checkpoint interval).
 */
class SparkSemanticsTest {
  @TempDir Path checkpoints;
  /** A new driver per test (JUnit makes a new instance of the class for each). */
  private StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1));

  @AfterEach
  void close() {
    driver.close();
  }

  /** An input with one element per batch (its second), that has no dataset at all at {@code gaps}. */
  static final class GappyInput extends InputDStream<Integer> {
    private final Set<Long> gaps;

    GappyInput(StreamingContext ssc, Long... gaps) {
      super(ssc);
      this.gaps = Set.of(gaps);
    }

    @Override
    public void start() {}

    @Override
    public void stop() {}

    @Override
    public Optional<Rdd<Integer>> compute(Time validTime) {
      if (gaps.contains(validTime.milliseconds())) {
        return Optional.empty();
      }
      return Optional.of(ssc.rddContext().parallelize(List.of((int) (validTime.milliseconds() / 1000)), 1));
    }
  }

  // ---------------------------------------------------------------- a parent without a dataset

  /** Runs batches 1000 and 2000 of {@code combined} (gappy at 2000): the second must fail. */
  private void assertSecondBatchFails(DStreamLike<?, ?, ?> combined) {
    TestOutput<?> out = driver.collect(combined);
    driver.start();
    driver.advance();
    assertThat(out.batches()).hasSize(1);
    assertThatThrownBy(driver::advance)
        .isInstanceOf(BatchFailedException.class)
        .hasStackTraceContaining("no dataset for batch 2000 ms")
        .hasStackTraceContaining("GappyInput");
  }

  @Test
  void unionFailsTheBatchWhenAParentHasNoDatasetForIt() {
    TestInput<Integer> in = driver.input();
    in.addBatch(10).addBatch(20);
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    assertSecondBatchFails(in.stream().union(gappy));
  }

  @Test
  void contextUnionFailsTheBatchWhenAParentHasNoDatasetForIt() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    assertSecondBatchFails(driver.context().union(gappy, in.stream()));
  }

  @Test
  void transformFailsTheBatchWhenItsParentHasNoDatasetForIt() {
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    assertSecondBatchFails(gappy.transform(rdd -> rdd.map(x -> x + 1)));
  }

  @Test
  void transformWithFailsTheBatchWhenEitherParentHasNoDatasetForIt() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    assertSecondBatchFails(in.stream().transformWith(gappy, (a, b, time) -> a.union(b)));
  }

  @Test
  void contextTransformFailsTheBatchWhenAParentHasNoDatasetForIt() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    assertSecondBatchFails(driver.context().<Integer>transform(List.of(in.stream(), gappy), (rdds, time) -> {
      @SuppressWarnings("unchecked")
      Rdd<Integer> first = (Rdd<Integer>) rdds.get(0);
      return first;
    }));
  }

  @Test
  void aMapOfAParentWithoutADatasetHasNoDatasetEitherAndItsOutputSkipsTheBatch() {
    DStream<Integer> gappy = new GappyInput(driver.context(), 2000L);
    TestOutput<Integer> out = driver.collect(gappy.map(x -> x * 10));
    driver.start();
    driver.advance(3);
    assertThat(out.batches()).containsExactly(List.of(10), List.of(30));
  }

  // ---------------------------------------------------------------- transformToPair and updateStateByKey with time

  @Test
  void contextTransformToPairCombinesTheSameBatchOfSeveralStreamsIntoPairs() {
    TestInput<String> words = driver.input();
    TestInput<Integer> numbers = driver.input();
    PairDStream<String, Integer> pairs = driver.context().<String, Integer>transformToPair(
        List.of(words.stream(), numbers.stream()),
        (rdds, time) -> {
          @SuppressWarnings("unchecked")
          Rdd<String> w = (Rdd<String>) rdds.get(0);
          @SuppressWarnings("unchecked")
          Rdd<Integer> n = (Rdd<Integer>) rdds.get(1);
          int total = n.collect().stream().mapToInt(Integer::intValue).sum();
          return w.mapToPair(s -> new Tuple2<>(s, total + (int) (time.milliseconds() / 1000)));
        });
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.reduceByKey(Integer::sum));
    driver.start();
    words.addBatch("a", "b");
    numbers.addBatch(1, 2);
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(new Tuple2<>("a", 4), new Tuple2<>("b", 4));
  }

  @Test
  void updateStateByKeyWithTheBatchTimeSeesEachBatchsTimeAndKey() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, String> state = in.<String, Integer>pairStream().updateStateByKey(
        (Time time, String key, List<Integer> values, Optional<String> previous) -> Optional.of(
            previous.orElse(key) + "|" + time.milliseconds() + ":" + values.stream().mapToInt(i -> i).sum()));
    TestOutput<Tuple2<String, String>> out = driver.collect(state);
    driver.start();
    in.addBatch(new Tuple2<>("a", 1), new Tuple2<>("a", 2)).addBatch(new Tuple2<>("b", 5));
    driver.advance(2);
    assertThat(out.batch(0)).containsExactly(new Tuple2<>("a", "a|1000:3"));
    assertThat(out.batch(1)).containsExactlyInAnyOrder(
        new Tuple2<>("a", "a|1000:3|2000:0"), new Tuple2<>("b", "b|2000:5"));
  }

  @Test
  void updateStateByKeyWithTimeAcceptsAPartitionerAndAnInitialState() {
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairRdd<String, Integer> initial = driver.context().rddContext().parallelizePairs(List.of(new Tuple2<>("a", 100)));
    PairDStream<String, Integer> state = in.<String, Integer>pairStream().updateStateByKey(
        (Time time, String key, List<Integer> values, Optional<Integer> previous) ->
            Optional.of(previous.orElse(0) + values.stream().mapToInt(i -> i).sum()),
        new HashPartitioner(3), initial);
    TestOutput<Tuple2<String, Integer>> out = driver.collect(state);
    driver.start();
    in.addBatch(new Tuple2<>("a", 1), new Tuple2<>("b", 2));
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(new Tuple2<>("a", 101), new Tuple2<>("b", 2));
  }

  // ---------------------------------------------------------------- remember and slice

  @Test
  void aStreamForgetsTheBatchExactlyAtNowMinusItsRememberDuration() {
    driver.context().remember(Durations.seconds(3));
    TestInput<Integer> in = driver.input();
    driver.collect(in.stream());
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4).addBatch(5);
    driver.advance(5);
    // Spark's clearMetadata drops every batch at or before 5000 - 3000
    assertThat(in.stream().rememberedCount()).isEqualTo(3);
    assertThat(in.stream().slice(new Time(1000), new Time(5000)).stream().map(Rdd::collect).toList())
        .containsExactly(List.of(3), List.of(4), List.of(5));
  }

  @Test
  void sliceIsInclusiveAtBothEndsAsInSparksBasicOperationsSuite() {
    TestInput<Integer> in = fourBatchesRememberedFor10Seconds();
    assertThat(sliced(in.stream(), 0, 1000)).containsExactly(1);
    assertThat(sliced(in.stream(), 0, 2000)).containsExactly(1, 2);
    assertThat(sliced(in.stream(), 1000, 2000)).containsExactly(1, 2);
    assertThat(sliced(in.stream(), 2000, 4000)).containsExactly(2, 3, 4);
  }

  @Test
  void sliceAlignsTimesBetweenBatchesDownToTheBatchTimeBeforeThemAsSparkDoes() {
    TestInput<Integer> in = fourBatchesRememberedFor10Seconds();
    assertThat(sliced(in.stream(), 1500, 3500)).containsExactly(1, 2, 3);
  }

  @Test
  void sliceComputesABatchUpToTheCurrentTimeThatTheStreamHasNotGeneratedYet() {
    driver.context().remember(Durations.seconds(10));
    TestInput<Integer> in = driver.input();
    DStream<Integer> tenTimes = in.stream().map(x -> x * 10);
    java.util.Map<Long, List<Integer>> seen = new java.util.concurrent.ConcurrentHashMap<>();
    // tenTimes is only generated every 2 s (as a parent of the window of this output)
    driver.collect(tenTimes.window(Durations.seconds(2), Durations.seconds(2)));
    in.stream().foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 3000) {
        seen.put(3000L, sliced(tenTimes, 1000, 3000));
      }
    });
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3);
    driver.advance(3);
    assertThat(seen.get(3000L)).containsExactly(10, 20, 30);
  }

  @Test
  void sliceBeforeStartFailsSayingTheStreamHasNotBeenInitialized() {
    DStream<Integer> stream = driver.<Integer>input().stream();
    assertThatThrownBy(() -> stream.slice(new Time(0), new Time(1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has not been initialized")
        .hasMessageContaining("after start()");
  }

  /** An input whose batches 1000..4000 held 1..4 and are remembered for 10 s, after batch 4000. */
  private TestInput<Integer> fourBatchesRememberedFor10Seconds() {
    driver.context().remember(Durations.seconds(10));
    TestInput<Integer> in = driver.input();
    driver.collect(in.stream());
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4);
    driver.advance(4);
    return in;
  }

  private static List<Integer> sliced(DStreamLike<Integer, ?, ?> stream, long from, long to) {
    return stream.slice(new Time(from), new Time(to)).stream().flatMap(rdd -> rdd.collect().stream()).toList();
  }

  // ---------------------------------------------------------------- window persistence

  @Test
  void aWindowPersistsItsParentSerializedInMemory() {
    DStream<Integer> parent = driver.<Integer>input().stream();
    parent.window(Durations.seconds(3));
    assertThat(parent.storageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY_SER);
  }

  @Test
  void persistingAWindowPersistsItsParentInsteadSoOverlappingWindowsShareOneCopy() {
    DStream<Integer> parent = driver.<Integer>input().stream();
    DStream<Integer> window = parent.window(Durations.seconds(3));
    window.persist(StorageLevel.MEMORY_AND_DISK);
    assertThat(parent.storageLevel()).isEqualTo(StorageLevel.MEMORY_AND_DISK);
    assertThat(window.storageLevel()).isEqualTo(StorageLevel.NONE);

    PairDStream<String, Integer> pairs = driver.<Tuple2<String, Integer>>input().pairStream();
    PairDStream<String, Integer> pairWindow = pairs.window(Durations.seconds(2));
    pairWindow.cache();
    assertThat(pairs.storageLevel()).isEqualTo(StorageLevel.MEMORY_ONLY_SER);
    assertThat(pairWindow.storageLevel()).isEqualTo(StorageLevel.NONE);
  }

  @Test
  void windowedBatchesReadTheirParentsCachedDatasetsAndComputeEachParentBatchOnce() {
    TestInput<Integer> in = driver.input();
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    DStream<Integer> parent = in.stream().map(x -> {
      calls.incrementAndGet();
      return x;
    });
    TestOutput<Integer> out = driver.collect(parent.window(Durations.seconds(3)).persist(StorageLevel.MEMORY_ONLY));
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4);
    driver.advance(4);
    assertThat(out.batches()).containsExactly(List.of(1), List.of(1, 2), List.of(1, 2, 3), List.of(2, 3, 4));
    assertThat(calls).hasValue(4);
  }

  // ---------------------------------------------------------------- default checkpoint intervals

  @Test
  void mapWithStateIsCheckpointedEveryTenBatchesByDefault() {
    driver.close();
    driver = new StreamingTestDriver(Durations.seconds(3));
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Tuple2<String, Integer>> in = driver.input();
    MapWithStateDStream<String, Integer, Integer, Integer> mapped = in.<String, Integer>pairStream()
        .mapWithState(StateSpec.function((String key, Optional<Integer> v, State<Integer> s) -> v.orElse(0)));
    PairDStream<String, Integer> counted = in.<String, Integer>pairStream()
        .updateStateByKey((List<Integer> vs, Optional<Integer> s) -> s);
    driver.collect(mapped);
    driver.collect(counted);
    driver.start();
    assertThat(mapped.checkpointDuration()).isEqualTo(Durations.seconds(30));
    // updateStateByKey keeps Spark's rule for other stateful streams: the first multiple of the slide >= 10 s
    assertThat(counted.checkpointDuration()).isEqualTo(Durations.seconds(12));
  }

  // ---------------------------------------------------------------- StorageLevels

  @Test
  void storageLevelsHoldsSparksJavaConstantsAsAliases() {
    assertThat(StorageLevels.MEMORY_ONLY).isSameAs(StorageLevel.MEMORY_ONLY);
    assertThat(StorageLevels.MEMORY_AND_DISK_SER_2).isSameAs(StorageLevel.MEMORY_AND_DISK_SER_2);
    assertThat(StorageLevels.NONE).isSameAs(StorageLevel.NONE);
    assertThat(StorageLevels.create(true, true, false, false, 1)).isSameAs(StorageLevel.MEMORY_AND_DISK_SER);
    assertThat(StorageLevels.create(false, true, false, true, 2)).isSameAs(StorageLevel.MEMORY_ONLY_2);
    assertThatThrownBy(() -> StorageLevels.create(true, false, false, false, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("disk only");
  }
}
