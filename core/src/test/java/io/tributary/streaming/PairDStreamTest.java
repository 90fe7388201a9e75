package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.Partitioner;
import io.tributary.Tuple2;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** By-key operations of {@link PairDStream}, batch by batch. */
class PairDStreamTest {
  private StreamingTestDriver driver;
  private TestInput<Tuple2<String, Integer>> in;
  private PairDStream<String, Integer> pairs;

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

  /** Puts keys with an even first letter in partition 0, the others in partition 1. */
  static final class FirstLetterParity extends Partitioner {
    @Override
    public int numPartitions() {
      return 2;
    }

    @Override
    public int getPartition(Object key) {
      return ((String) key).charAt(0) % 2 == 0 ? 0 : 1;
    }
  }

  private static Tuple2<String, Integer> kv(String k, int v) {
    return Tuple2.of(k, v);
  }

  private static <K, V> Tuple2<K, List<V>> sorted(Tuple2<K, Iterable<V>> group) {
    List<V> values = new ArrayList<>();
    group._2().forEach(values::add);
    values.sort(null);
    return Tuple2.of(group._1(), values);
  }

  /** Each batch's partitions, as lists. */
  private static <T> TestOutput<List<T>> partitionsOf(StreamingTestDriver driver, DStreamLike<T, ?, ?> stream) {
    return driver.collect(stream.glom());
  }

  // ---------------------------------------------------------------- values

  @Test
  void mapValuesChangesValuesAndKeepsKeys() {
    TestOutput<Tuple2<String, String>> out = driver.collect(pairs.mapValues(v -> "v" + v));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("a", 3));
    driver.advance();
    assertThat(out.batch(0)).containsExactly(Tuple2.of("a", "v1"), Tuple2.of("b", "v2"), Tuple2.of("a", "v3"));
  }

  @Test
  void flatMapValuesEmitsOnePairPerReturnedValue() {
    TestOutput<Tuple2<String, Integer>> out =
        driver.collect(pairs.flatMapValues(v -> java.util.Collections.nCopies(v, v).iterator()));
    driver.start();
    in.addBatch(kv("a", 2), kv("b", 0), kv("c", 1));
    driver.advance();
    assertThat(out.batch(0)).containsExactly(kv("a", 2), kv("a", 2), kv("c", 1));
  }

  // ---------------------------------------------------------------- groupByKey

  @Test
  void groupByKeyGathersTheValuesOfEachKeyPerBatch() {
    TestOutput<Tuple2<String, Iterable<Integer>>> out = driver.collect(pairs.groupByKey());
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("a", 3)).addBatch(kv("a", 4));
    driver.advance(2);
    assertThat(out.batch(0).stream().map(PairDStreamTest::sorted))
        .containsExactlyInAnyOrder(Tuple2.of("a", List.of(1, 3)), Tuple2.of("b", List.of(2)));
    assertThat(out.batch(1).stream().map(PairDStreamTest::sorted))
        .containsExactly(Tuple2.of("a", List.of(4)));
  }

  @Test
  void groupByKeyOfAnEmptyBatchIsEmpty() {
    TestOutput<Tuple2<String, Iterable<Integer>>> out = driver.collect(pairs.groupByKey());
    driver.start();
    driver.advance();
    assertThat(out.batch(0)).isEmpty();
  }

  @Test
  void groupByKeyWithPartitionCountUsesThatManyPartitions() {
    TestOutput<List<Tuple2<String, Iterable<Integer>>>> out = partitionsOf(driver, pairs.groupByKey(4));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2));
    driver.advance();
    assertThat(out.batch(0)).hasSize(4);
    assertThat(out.batch(0).stream().mapToInt(List::size).sum()).isEqualTo(2);
  }

  @Test
  void groupByKeyWithPartitionerPlacesKeysWhereItSays() {
    TestOutput<List<Tuple2<String, Iterable<Integer>>>> out =
        partitionsOf(driver, pairs.groupByKey(new FirstLetterParity()));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("c", 3), kv("b", 4));
    driver.advance();
    List<List<Tuple2<String, Iterable<Integer>>>> parts = out.batch(0);
    assertThat(parts).hasSize(2);
    // 'b' is 98 (even), 'a' 97 and 'c' 99 are odd
    assertThat(parts.get(0).stream().map(PairDStreamTest::sorted)).containsExactly(Tuple2.of("b", List.of(2, 4)));
    assertThat(parts.get(1).stream().map(PairDStreamTest::sorted))
        .containsExactlyInAnyOrder(Tuple2.of("a", List.of(1)), Tuple2.of("c", List.of(3)));
  }

  // ---------------------------------------------------------------- reduceByKey

  @Test
  void reduceByKeyMergesTheValuesOfEachKeyPerBatch() {
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.reduceByKey(Integer::sum));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("a", 3), kv("a", 5)).addBatch().addBatch(kv("b", 7));
    driver.advance(3);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("a", 9), kv("b", 2));
    assertThat(out.batch(1)).isEmpty();
    assertThat(out.batch(2)).containsExactly(kv("b", 7));
  }

  @Test
  void reduceByKeyDoesNotCarryValuesFromOneBatchToTheNext() {
    TestOutput<Tuple2<String, Integer>> out = driver.collect(pairs.reduceByKey(Math::max));
    driver.start();
    in.addBatch(kv("a", 10)).addBatch(kv("a", 1));
    driver.advance(2);
    assertThat(out.batches()).containsExactly(List.of(kv("a", 10)), List.of(kv("a", 1)));
  }

  @Test
  void reduceByKeyWithPartitionCountUsesThatManyPartitions() {
    TestOutput<List<Tuple2<String, Integer>>> out = partitionsOf(driver, pairs.reduceByKey(Integer::sum, 3));
    driver.start();
    in.addBatch(kv("a", 1), kv("a", 2));
    driver.advance();
    assertThat(out.batch(0)).hasSize(3);
    assertThat(out.batch(0).stream().flatMap(List::stream)).containsExactly(kv("a", 3));
  }

  @Test
  void reduceByKeyWithPartitionerPlacesKeysWhereItSays() {
    TestOutput<List<Tuple2<String, Integer>>> out =
        partitionsOf(driver, pairs.reduceByKey(Integer::sum, new FirstLetterParity()));
    driver.start();
    in.addBatch(kv("a", 1), kv("b", 2), kv("b", 3));
    driver.advance();
    assertThat(out.batch(0)).containsExactly(List.of(kv("b", 5)), List.of(kv("a", 1)));
  }

  @Test
  void reduceByKeyRejectsANonPositivePartitionCount() {
    assertThatThrownBy(() -> pairs.reduceByKey(Integer::sum, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numPartitions");
  }

  // ---------------------------------------------------------------- combineByKey

  /** Combines values into "sum/count" pairs, to show the three functions are used. */
  private static PairDStream<String, int[]> sumAndCount(PairDStream<String, Integer> pairs, int overload) {
    io.tributary.function.Function<Integer, int[]> create = v -> new int[] {v, 1};
    io.tributary.function.Function2<int[], Integer, int[]> merge = (c, v) -> new int[] {c[0] + v, c[1] + 1};
    io.tributary.function.Function2<int[], int[], int[]> combine = (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]};
    return switch (overload) {
      case 0 -> pairs.combineByKey(create, merge, combine);
      case 1 -> pairs.combineByKey(create, merge, combine, 3);
      case 2 -> pairs.combineByKey(create, merge, combine, new HashPartitioner(2));
      default -> pairs.combineByKey(create, merge, combine, new HashPartitioner(2), false);
    };
  }

  private void assertSumAndCount(int overload, int expectedPartitions) {
    PairDStream<String, String> combined = sumAndCount(pairs, overload).mapValues(c -> c[0] + "/" + c[1]);
    TestOutput<Tuple2<String, String>> out = driver.collect(combined);
    TestOutput<List<Tuple2<String, String>>> parts = partitionsOf(driver, combined);
    driver.start();
    // two input partitions: [a1, b2] and [a3, a4], so combiners of "a" are merged across partitions
    in.addBatch(kv("a", 1), kv("b", 2), kv("a", 3), kv("a", 4)).addBatch(kv("b", 5));
    driver.advance(2);
    assertThat(out.batch(0)).containsExactlyInAnyOrder(Tuple2.of("a", "8/3"), Tuple2.of("b", "2/1"));
    assertThat(out.batch(1)).containsExactly(Tuple2.of("b", "5/1"));
    assertThat(parts.batch(0)).hasSize(expectedPartitions);
  }

  @Test
  void combineByKeyBuildsCreatesMergesAndCombinesPerKeyPerBatch() {
    assertSumAndCount(0, driver.context().rddContext().defaultParallelism());
  }

  @Test
  void combineByKeyWithPartitionCountUsesThatManyPartitions() {
    assertSumAndCount(1, 3);
  }

  @Test
  void combineByKeyWithPartitionerUsesItsPartitions() {
    assertSumAndCount(2, 2);
  }

  @Test
  void combineByKeyWithoutMapSideCombineGivesTheSameResult() {
    assertSumAndCount(3, 2);
  }

  @Test
  void combineByKeyRejectsMissingFunctionsNamingThem() {
    assertThatThrownBy(() -> pairs.combineByKey(null, (Integer c, Integer v) -> c, (c1, c2) -> c1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("createCombiner");
  }

  // ---------------------------------------------------------------- defaults and views

  @Test
  void byKeyOperationsWithoutPartitionCountUseTheDefaultParallelism() {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").set("default.parallelism", "5");
    try (StreamingTestDriver other = new StreamingTestDriver(conf, Durations.seconds(1))) {
      TestInput<Tuple2<String, Integer>> input = other.input();
      TestOutput<List<Tuple2<String, Integer>>> parts =
          partitionsOf(other, input.<String, Integer>pairStream().reduceByKey(Integer::sum));
      other.start();
      input.addBatch(kv("a", 1));
      other.advance();
      assertThat(parts.batch(0)).hasSize(5);
    }
  }

  @Test
  void fromDStreamOfAPairStreamIsTheSameStream() {
    assertThat(PairDStream.fromDStream(pairs)).isSameAs(pairs);
  }

  @Test
  void fromDStreamWrapsAStreamOfTuplesAsPairs() {
    TestInput<String> words = driver.input();
    PairDStream<String, Integer> wrapped =
        PairDStream.fromDStream(words.stream().map(s -> Tuple2.of(s, s.length())));
    TestOutput<Tuple2<String, Integer>> out = driver.collect(wrapped.reduceByKey(Integer::sum));
    driver.start();
    words.addBatch(Arrays.asList("ab", "ab", "c"));
    driver.advance();
    assertThat(out.batch(0)).containsExactlyInAnyOrder(kv("ab", 4), kv("c", 1));
  }

  @Test
  void nameIsKeptAndReturnsThePairStream() {
    PairDStream<String, Integer> named = pairs.name("clicks");
    assertThat(named).isSameAs(pairs);
    assertThat(named.name()).isEqualTo("clicks");
    assertThat(named.toString()).contains("(clicks)");
  }
}
