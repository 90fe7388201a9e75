package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Per-batch operations of {@link DStream}, each checked against hand-computed batches. */
class DStreamTransformationsTest {
  private static final AtomicInteger MAP_CALLS = new AtomicInteger();

  private StreamingTestDriver driver;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  // ---------------------------------------------------------------- element-wise

  @Test
  void mapAppliesTheFunctionToEveryElementOfEachBatch() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().map(x -> x * 10));
    driver.start();
    in.addBatch(1, 2, 3).addBatch(4);
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(10, 20, 30), List.of(40));
  }

  @Test
  void mapOfAnEmptyBatchIsAnEmptyBatch() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().map(x -> x + 1));
    driver.start();
    assertThat(driver.advance()).isEqualTo(new Time(1000));
    assertThat(out.batches()).containsExactly(List.of());
  }

  @Test
  void flatMapEmitsEveryElementOfTheReturnedIterators() {
    TestInput<String> in = driver.input();
    TestOutput<String> out =
        driver.collect(in.stream().flatMap(s -> Arrays.asList(s.split(" ")).iterator()));
    driver.start();
    in.addBatch("a b", "", "c").addBatch("d e f");
    driver.advance(2);
    assertThat(out.batch(0)).containsExactly("a", "b", "", "c");
    assertThat(out.batch(1)).containsExactly("d", "e", "f");
  }

  @Test
  void filterKeepsOnlyElementsForWhichThePredicateHolds() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().filter(x -> x % 2 == 0));
    driver.start();
    in.addBatch(1, 2, 3, 4, 5, 6).addBatch(1, 3);
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(2, 4, 6), List.of());
  }

  @Test
  void mapPartitionsCallsTheFunctionOncePerPartitionOfEachBatch() {
    TestInput<Integer> in = driver.input(2);
    TestOutput<Integer> out =
        driver.collect(
            in.stream()
                .mapPartitions(
                    it -> {
                      int sum = 0;
                      while (it.hasNext()) {
                        sum += it.next();
                      }
                      return List.of(sum).iterator();
                    }));
    driver.start();
    in.addBatch(1, 2, 3, 4);
    driver.advance();
    // two partitions per batch: [1, 2] and [3, 4]
    assertThat(out.batch(0)).containsExactly(3, 7);
  }

  @Test
  void glomGivesEachPartitionOfEachBatchAsOneList() {
    TestInput<Integer> in = driver.input(2);
    TestOutput<List<Integer>> out = driver.collect(in.stream().glom());
    driver.start();
    in.addBatch(1, 2, 3, 4).addBatch(5);
    driver.advance(2);
    assertThat(out.batch(0)).containsExactly(List.of(1, 2), List.of(3, 4));
    assertThat(out.batch(1)).containsExactly(List.of(), List.of(5));
  }

  @Test
  void repartitionSpreadsEachBatchOverTheGivenNumberOfPartitionsKeepingAllElements() {
    TestInput<Integer> in = driver.input(1);
    TestOutput<List<Integer>> out = driver.collect(in.stream().repartition(3).glom());
    driver.start();
    in.addBatch(1, 2, 3, 4, 5, 6, 7, 8, 9);
    driver.advance();
    List<List<Integer>> partitions = out.batch(0);
    assertThat(partitions).hasSize(3);
    assertThat(partitions.stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(partitions).allSatisfy(p -> assertThat(p).isNotEmpty());
  }

  @Test
  void repartitionRejectsANonPositivePartitionCount() {
    TestInput<Integer> in = driver.input();
    assertThatThrownBy(() -> in.stream().repartition(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numPartitions");
  }

  // ---------------------------------------------------------------- to pairs

  @Test
  void mapToPairTurnsEachElementIntoAPair() {
    TestInput<String> in = driver.input();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(in.stream().mapToPair(s -> Tuple2.of(s, s.length())));
    driver.start();
    in.addBatch("a", "bb", "ccc");
    driver.advance();
    assertThat(out.batch(0)).containsExactly(Tuple2.of("a", 1), Tuple2.of("bb", 2), Tuple2.of("ccc", 3));
  }

  @Test
  void flatMapToPairEmitsEveryPairOfTheReturnedIterators() {
    TestInput<String> in = driver.input();
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(
            in.stream()
                .flatMapToPair(
                    s -> {
                      List<Tuple2<String, Integer>> pairs = new ArrayList<>();
                      for (String w : s.split(" ")) {
                        pairs.add(Tuple2.of(w, 1));
                      }
                      return pairs.iterator();
                    }));
    driver.start();
    in.addBatch("a b", "a");
    driver.advance();
    assertThat(out.batch(0)).containsExactly(Tuple2.of("a", 1), Tuple2.of("b", 1), Tuple2.of("a", 1));
  }

  @Test
  void mapPartitionsToPairCallsTheFunctionOncePerPartition() {
    TestInput<String> in = driver.input(2);
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(
            in.stream()
                .mapPartitionsToPair(
                    it -> {
                      StringBuilder joined = new StringBuilder();
                      int n = 0;
                      while (it.hasNext()) {
                        joined.append(it.next());
                        n++;
                      }
                      return List.of(Tuple2.of(joined.toString(), n)).iterator();
                    }));
    driver.start();
    in.addBatch("a", "b", "c", "d");
    driver.advance();
    assertThat(out.batch(0)).containsExactly(Tuple2.of("ab", 2), Tuple2.of("cd", 2));
  }

  // ---------------------------------------------------------------- union

  @Test
  void unionContainsTheBatchesOfBothStreamsAtTheSameTime() {
    TestInput<Integer> a = driver.input();
    TestInput<Integer> b = driver.input();
    TestOutput<Integer> out = driver.collect(a.stream().union(b.stream()));
    driver.start();
    a.addBatch(1, 2).addBatch(3);
    b.addBatch(10).addBatch().addBatch(20);
    driver.advance(3);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(1, 2, 10);
    assertThat(out.batch(1)).containsExactly(3);
    assertThat(out.batch(2)).containsExactly(20);
  }

  @Test
  void contextUnionCombinesAnyNumberOfStreams() {
    TestInput<String> a = driver.input();
    TestInput<String> b = driver.input();
    TestInput<String> c = driver.input();
    TestOutput<String> out =
        driver.collect(driver.context().union(a.stream(), b.stream(), c.stream()));
    driver.start();
    a.addBatch("a");
    b.addBatch("b1", "b2");
    c.addBatch("c");
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder("a", "b1", "b2", "c");
  }

  @Test
  void contextUnionOfPairStreamsIsAPairStream() {
    TestInput<Tuple2<String, Integer>> a = driver.input();
    TestInput<Tuple2<String, Integer>> b = driver.input();
    PairDStream<String, Integer> union =
        driver.context().union(a.<String, Integer>pairStream(), b.<String, Integer>pairStream());
    TestOutput<Tuple2<String, Integer>> out = driver.collect(union.reduceByKey(Integer::sum));
    driver.start();
    a.addBatch(Tuple2.of("x", 1), Tuple2.of("y", 2));
    b.addBatch(Tuple2.of("x", 5));
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("x", 6), Tuple2.of("y", 2));
  }

  @Test
  void unionOfStreamsOfDifferentContextsFailsNamingTheProblem() {
    try (StreamingTestDriver other = new StreamingTestDriver(Durations.seconds(1))) {
      DStream<Integer> here = driver.<Integer>input().stream();
      DStream<Integer> there = other.<Integer>input().stream();
      assertThatThrownBy(() -> here.union(there))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("different StreamingContexts");
    }
  }

  @Test
  void contextUnionOfNoStreamsFailsSayingOneIsNeeded() {
    assertThatThrownBy(() -> driver.context().union(new DStream[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one stream");
  }

  // ---------------------------------------------------------------- count, reduce, countByValue

  @Test
  void countGivesTheNumberOfElementsOfEachBatch() {
    TestInput<String> in = driver.input();
    TestOutput<Long> out = driver.collect(in.stream().count());
    driver.start();
    in.addBatch("a", "b", "c").addBatch("d");
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(3L), List.of(1L));
  }

  @Test
  void countOfAnEmptyBatchIsZero() {
    TestInput<String> in = driver.input();
    TestOutput<Long> out = driver.collect(in.stream().count());
    driver.start();
    driver.advance();
    assertThat(out.batch(0)).containsExactly(0L);
  }

  @Test
  void reduceCombinesAllElementsOfABatchIntoOne() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().reduce(Integer::sum));
    driver.start();
    in.addBatch(1, 2, 3, 4).addBatch(7);
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(10), List.of(7));
  }

  @Test
  void reduceOfAnEmptyBatchGivesNothing() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().reduce(Integer::sum));
    driver.start();
    in.addBatch().addBatch(5);
    driver.advance(2);
    assertThat(out.batch(0)).isEmpty();
    assertThat(out.batch(1)).containsExactly(5);
  }

  @Test
  void countByValueCountsOccurrencesOfEachDistinctElementPerBatch() {
    TestInput<String> in = driver.input();
    TestOutput<Tuple2<String, Long>> out = driver.collect(in.stream().countByValue());
    driver.start();
    in.addBatch("a", "b", "a", "a").addBatch("b");
    driver.advance(2);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("a", 3L), Tuple2.of("b", 1L));
    assertThat(out.batch(1)).containsExactly(Tuple2.of("b", 1L));
  }

  @Test
  void countByValueWithPartitionCountUsesThatManyPartitions() {
    TestInput<String> in = driver.input();
    TestOutput<Integer> partitions =
        driver.collect(
            in.stream()
                .countByValue(5)
                .transform(rdd -> rdd.context().parallelize(List.of(rdd.numPartitions()), 1)));
    driver.start();
    in.addBatch("a", "b");
    driver.advance();
    assertThat(partitions.batch(0)).containsExactly(5);
  }

  // ---------------------------------------------------------------- transform

  @Test
  void transformAppliesADatasetFunctionToEachBatch() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream().transform(rdd -> rdd.distinct(1)));
    driver.start();
    in.addBatch(1, 1, 2, 2, 2).addBatch(3);
    driver.advance(2);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(1, 2);
    assertThat(out.batch(1)).containsExactly(3);
  }

  @Test
  void transformWithTimeReceivesTheBatchTime() {
    TestInput<String> in = driver.input();
    TestOutput<String> out =
        driver.collect(
            in.stream().transform((Rdd<String> rdd, Time time) -> rdd.map(s -> s + "@" + time.milliseconds())));
    driver.start();
    in.addBatch("a").addBatch("b");
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of("a@1000"), List.of("b@2000"));
  }

  @Test
  void transformReturningNullFailsTheBatchNamingTheFix() {
    TestInput<String> in = driver.input();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    driver.context().addStreamingListener(
        new io.tributary.streaming.scheduler.StreamingListener() {
          @Override
          public void onOutputOperationCompleted(
              io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted e) {
            e.outputOperationInfo().failureReason().ifPresent(failures::add);
          }
        });
    driver.collect(in.stream().transform(rdd -> (Rdd<String>) null));
    driver.start();
    assertThatThrownBy(driver::advance)
        .isInstanceOf(io.tributary.BatchFailedException.class)
        .hasMessageContaining("returned null for batch 1000 ms");
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(failures).hasSize(4)); // the first attempt and 3 retries
    assertThat(failures).allSatisfy(f -> assertThat(f).contains("returned null for batch 1000 ms"));
  }

  @Test
  void transformCanJoinEachBatchWithReferenceData() {
    PairRdd<String, String> reference =
        driver.context().rddContext().parallelizePairs(
            List.of(Tuple2.of("fr", "France"), Tuple2.of("de", "Germany")));
    TestInput<Tuple2<String, Integer>> in = driver.input();
    TestOutput<Tuple2<String, Tuple2<Integer, String>>> out =
        driver.collect(
            in.<String, Integer>pairStream()
                .transformToPair(rdd -> PairRdd.fromRdd(rdd).join(reference)));
    driver.start();
    in.addBatch(Tuple2.of("fr", 1), Tuple2.of("us", 2), Tuple2.of("de", 3), Tuple2.of("fr", 4));
    in.addBatch(Tuple2.of("us", 5));
    driver.advance(2);
    assertThat(out.batch(0))
        .containsExactlyInAnyOrder(
            Tuple2.of("fr", Tuple2.of(1, "France")),
            Tuple2.of("de", Tuple2.of(3, "Germany")),
            Tuple2.of("fr", Tuple2.of(4, "France")));
    assertThat(out.batch(1)).isEmpty();
  }

  @Test
  void transformToPairGivesAPairStream() {
    TestInput<String> in = driver.input();
    PairDStream<String, Integer> pairs = in.stream().transformToPair(rdd -> rdd.mapToPair(s -> Tuple2.of(s, 1)));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.reduceByKey(Integer::sum));
    driver.start();
    in.addBatch("a", "a", "b");
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("a", 2), Tuple2.of("b", 1));
  }

  @Test
  void transformToPairWithTimeReceivesTheBatchTime() {
    TestInput<String> in = driver.input();
    TestOutput<Tuple2<String, Long>> out =
        driver.collect(
            in.stream().transformToPair(
                (Rdd<String> rdd, Time time) -> rdd.mapToPair(s -> Tuple2.of(s, time.milliseconds()))));
    driver.start();
    in.addBatch("a").addBatch("b");
    driver.advance(2);
    assertThat(out.all()).containsExactly(Tuple2.of("a", 1000L), Tuple2.of("b", 2000L));
  }

  @Test
  void transformWithCombinesTheSameBatchOfTwoStreams() {
    TestInput<Integer> a = driver.input();
    TestInput<String> b = driver.input();
    TestOutput<String> out =
        driver.collect(
            a.stream().transformWith(
                b.stream(),
                (Rdd<Integer> nums, Rdd<String> words, Time time) ->
                    nums.map(n -> "n" + n).union(words).union(
                        nums.context().parallelize(List.of("t" + time.milliseconds()), 1))));
    driver.start();
    a.addBatch(1, 2).addBatch(3);
    b.addBatch("x").addBatch();
    driver.advance(2);
    assertThat(out.batch(0)).containsExactlyInAnyOrder("n1", "n2", "x", "t1000");
    assertThat(out.batch(1)).containsExactlyInAnyOrder("n3", "t2000");
  }

  @Test
  void transformWithToPairGivesAPairStreamOfBothBatches() {
    TestInput<Tuple2<String, Integer>> a = driver.input();
    TestInput<String> b = driver.input();
    PairDStream<String, Integer> combined =
        a.<String, Integer>pairStream().transformWithToPair(
            b.stream(),
            (PairRdd<String, Integer> pairs, Rdd<String> keys, Time time) ->
                pairs.union(keys.mapToPair(k -> Tuple2.of(k, 100))));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(combined.reduceByKey(Integer::sum));
    driver.start();
    a.addBatch(Tuple2.of("k", 1), Tuple2.of("j", 2));
    b.addBatch("k");
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("k", 101), Tuple2.of("j", 2));
  }

  @Test
  void contextTransformCombinesTheSameBatchOfManyStreams() {
    TestInput<Integer> a = driver.input();
    TestInput<Integer> b = driver.input();
    TestInput<Integer> c = driver.input();
    DStream<Long> sizes =
        driver.context().transform(
            List.of(a.stream(), b.stream(), c.stream()),
            (rdds, time) -> {
              List<Long> counts = new ArrayList<>();
              for (Rdd<?> rdd : rdds) {
                counts.add(rdd.count());
              }
              return driver.context().rddContext().parallelize(counts, 1);
            });
    TestOutput<Long> out = driver.collect(sizes);
    driver.start();
    a.addBatch(1);
    b.addBatch(1, 2);
    c.addBatch(1, 2, 3);
    driver.advance();
    assertThat(out.batch(0)).containsExactly(1L, 2L, 3L);
  }

  // ---------------------------------------------------------------- persist

  @Test
  void persistedStreamUsedByTwoOutputsComputesItsElementsOncePerBatch() {
    MAP_CALLS.set(0);
    TestInput<Integer> in = driver.input();
    DStream<Integer> doubled =
        in.stream()
            .map(
                x -> {
                  MAP_CALLS.incrementAndGet();
                  return x * 2;
                })
            .persist();
    TestOutput<Integer> all = driver.collect(doubled);
    TestOutput<Long> count = driver.collect(doubled.count());
    driver.start();
    in.addBatch(1, 2, 3).addBatch(4, 5);
    driver.advance();
    assertThat(MAP_CALLS.get()).isEqualTo(3);
    driver.advance();
    assertThat(MAP_CALLS.get()).isEqualTo(5);
    assertThat(all.batches()).containsExactly(List.of(2, 4, 6), List.of(8, 10));
    assertThat(count.batches()).containsExactly(List.of(3L), List.of(2L));
  }

  @Test
  void persistSetsTheStorageLevelAndCacheIsTheSerializedMemoryLevel() {
    DStream<Integer> stream = driver.<Integer>input().stream();
    assertThat(stream.storageLevel()).isEqualTo(io.tributary.StorageLevel.NONE);
    stream.cache();
    assertThat(stream.storageLevel()).isEqualTo(io.tributary.StorageLevel.MEMORY_ONLY_SER);
    stream.persist(io.tributary.StorageLevel.MEMORY_ONLY);
    assertThat(stream.storageLevel()).isEqualTo(io.tributary.StorageLevel.MEMORY_ONLY);
  }

  @Test
  void persistAfterStartFailsSayingToDefineItBefore() {
    TestInput<Integer> in = driver.input();
    DStream<Integer> stream = in.stream();
    driver.collect(stream);
    driver.start();
    assertThatThrownBy(stream::persist)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before start()");
  }

  // ---------------------------------------------------------------- slice

  @Test
  void sliceGivesTheRememberedBatchesBetweenTwoTimes() {
    driver.context().remember(Durations.seconds(10));
    TestInput<Integer> in = driver.input();
    DStream<Integer> plusOne = in.stream().map(x -> x + 1);
    driver.collect(plusOne);
    driver.start();
    in.addBatch(1).addBatch(2, 3).addBatch(4).addBatch(5);
    driver.advance(4);
    List<Rdd<Integer>> slice = plusOne.slice(new Time(2000), new Time(3000));
    assertThat(slice).hasSize(2);
    assertThat(slice.get(0).collect()).containsExactly(3, 4);
    assertThat(slice.get(1).collect()).containsExactly(5);
  }

  @Test
  void sliceWithoutRememberGivesOnlyBatchesStillRememberedAndConsumesNoLaterInput() {
    TestInput<Integer> in = driver.input();
    TestOutput<Integer> out = driver.collect(in.stream());
    driver.start();
    in.addBatch(1).addBatch(2).addBatch(3).addBatch(4).addBatch(5);
    driver.advance(4);
    List<List<Integer>> sliced =
        in.stream().slice(new Time(1000), new Time(6000)).stream().map(Rdd::collect).toList();
    // remembered for one slide, as in Spark: batches up to 3000 are forgotten; 5000 and 6000 have not happened yet
    assertThat(sliced).containsExactly(List.of(4));
    driver.advance();
    assertThat(out.batch(4)).containsExactly(5);
  }

  @Test
  void sliceBeforeStartFailsSayingToStartFirst() {
    DStream<Integer> stream = driver.<Integer>input().stream();
    assertThatThrownBy(() -> stream.slice(new Time(0), new Time(1000)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("after start()");
  }

  // ---------------------------------------------------------------- definition rules

  @Test
  void operationsAfterStartFailSayingToDefineStreamsBeforeStart() {
    TestInput<Integer> in = driver.input();
    driver.collect(in.stream());
    driver.start();
    assertThatThrownBy(() -> in.stream().map(x -> x))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before start()");
  }

  @Test
  void nullFunctionsAreRejectedNamingTheArgument() {
    DStream<Integer> stream = driver.<Integer>input().stream();
    assertThatThrownBy(() -> stream.map(null)).hasMessageContaining("map function");
    assertThatThrownBy(() -> stream.filter(null)).hasMessageContaining("filter function");
    assertThatThrownBy(() -> stream.reduce(null)).hasMessageContaining("reduce function");
  }
}
