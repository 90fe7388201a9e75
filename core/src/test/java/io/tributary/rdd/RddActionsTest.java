package io.tributary.rdd;

import static io.tributary.rdd.RddTransformationsTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RddActionsTest extends RddContextFixture {

  /** Thread-safe collector for side effects of foreach / foreachPartition. */
  static final Queue<Object> SEEN = new ConcurrentLinkedQueue<>();

  static final AtomicInteger CALLS = new AtomicInteger();



  @BeforeEach
  void reset() {
    SEEN.clear();
    CALLS.set(0);
  }

  // ---------------------------------------------------------------- collect, count

  @Test
  void collectReturnsElementsInPartitionOrder() {
    assertThat(sc.parallelize(List.of(5, 4, 3, 2, 1), 3).collect()).containsExactly(5, 4, 3, 2, 1);
  }

  @Test
  void collectKeepsNullElements() {
    assertThat(sc.parallelize(Arrays.asList("a", null, "b"), 2).collect())
        .containsExactly("a", null, "b");
  }

  @Test
  void countCountsAcrossAllPartitions() {
    assertThat(sc.parallelize(range(1, 1000), 7).count()).isEqualTo(1000);
  }

  @Test
  void countOfMorePartitionsThanElementsCountsEachOnce() {
    assertThat(sc.parallelize(List.of(1, 2), 5).count()).isEqualTo(2);
  }

  @Test
  void countByValueCountsEachDistinctElement() {
    assertThat(sc.parallelize(List.of("x", "y", "x", "z", "x", "y"), 3).countByValue())
        .containsOnly(entry("x", 3L), entry("y", 2L), entry("z", 1L));
  }

  // ---------------------------------------------------------------- isEmpty

  @Test
  void isEmptyIsTrueForADatasetWithoutElements() {
    assertThat(sc.parallelize(List.of(), 3).isEmpty()).isTrue();
  }

  @Test
  void isEmptyIsTrueForTheEmptyRdd() {
    assertThat(sc.emptyRdd().isEmpty()).isTrue();
  }

  @Test
  void isEmptyIsFalseWhenOnlyTheLastPartitionHasAnElement() {
    assertThat(sc.parallelize(List.of(1), 4).isEmpty()).isFalse();
  }

  @Test
  void isEmptyIsTrueWhenAFilterRemovesEverything() {
    assertThat(sc.parallelize(range(1, 10), 3).filter(x -> x > 100).isEmpty()).isTrue();
  }

  // ---------------------------------------------------------------- take, first

  @Test
  void takeFewerThanAvailableReturnsTheFirstN() {
    assertThat(sc.parallelize(range(1, 10), 3).take(4)).containsExactly(1, 2, 3, 4);
  }

  @Test
  void takeMoreThanAvailableReturnsAll() {
    assertThat(sc.parallelize(range(1, 5), 2).take(50)).containsExactly(1, 2, 3, 4, 5);
  }

  @Test
  void takeSpansPartitionsInOrder() {
    // slices [1,2] [3,4] [5,6] [7,8]: six elements need three partitions
    assertThat(sc.parallelize(range(1, 8), 4).take(6)).containsExactly(1, 2, 3, 4, 5, 6);
  }

  @Test
  void takeSkipsEmptyLeadingPartitions() {
    assertThat(sc.parallelize(List.of(7, 8), 6).take(2)).containsExactly(7, 8);
  }

  @Test
  void takeZeroReturnsNothingAndRunsNoTask() {
    Rdd<Integer> counted = sc.parallelize(range(1, 4), 2).map(x -> {
      CALLS.incrementAndGet();
      return x;
    });
    assertThat(counted.take(0)).isEmpty();
    assertThat(CALLS.get()).isZero();
  }

  @Test
  void takeReadsOnlyTheFirstPartitionWhenItHoldsEnough() {
    Rdd<Integer> counted = sc.parallelize(range(1, 8), 4).map(x -> {
      CALLS.incrementAndGet();
      return x;
    });
    assertThat(counted.take(1)).containsExactly(1);
    assertThat(CALLS.get()).isEqualTo(1);
  }

  @Test
  void firstReturnsTheFirstElement() {
    assertThat(sc.parallelize(List.of("b", "a"), 2).first()).isEqualTo("b");
  }

  @Test
  void firstOnAnEmptyDatasetFailsClearly() {
    Rdd<Integer> empty = sc.parallelize(List.of(), 2);
    assertThatThrownBy(empty::first)
        .isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("empty");
  }

  // ---------------------------------------------------------------- reduce, fold, aggregate

  @Test
  void reduceCombinesAllElements() {
    assertThat(sc.parallelize(range(1, 10), 3).reduce(Integer::sum)).isEqualTo(55);
  }

  @Test
  void reduceSkipsEmptyPartitions() {
    assertThat(sc.parallelize(List.of(3, 4), 5).reduce((a, b) -> a * b)).isEqualTo(12);
  }

  @Test
  void reduceOnAnEmptyDatasetFailsClearly() {
    Rdd<Integer> empty = sc.parallelize(List.of(), 3);
    assertThatThrownBy(() -> empty.reduce(Integer::sum))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("reduce")
        .hasMessageContaining("empty");
  }

  @Test
  void reduceAllowsNullElementsAndResults() {
    assertThat(sc.parallelize(Arrays.asList("a", null, null), 3).reduce((a, b) -> null)).isNull();
  }

  @Test
  void reduceOfASingleNullElementIsNull() {
    assertThat(sc.parallelize(Arrays.<String>asList((String) null), 2).reduce((a, b) -> a + b)).isNull();
  }

  @Test
  void foldCombinesFromTheZeroValue() {
    assertThat(sc.parallelize(range(1, 10), 3).fold(0, Integer::sum)).isEqualTo(55);
  }

  @Test
  void foldAppliesTheZeroOncePerPartitionAndOnceForTheMerge() {
    // Spark semantics: 3 partitions + final merge = 4 applications of zero 10
    assertThat(sc.parallelize(range(1, 6), 3).fold(10, Integer::sum)).isEqualTo(21 + 40);
  }

  @Test
  void foldOnAnEmptyDatasetReturnsTheZero() {
    assertThat(sc.<Integer>emptyRdd().fold(7, Integer::sum)).isEqualTo(7);
  }

  @Test
  void foldDoesNotModifyACallersMutableZero() {
    List<Integer> zero = new ArrayList<>();
    List<Integer> all =
        sc.parallelize(List.of(List.of(1), List.of(2, 3)), 2)
            .fold(
                zero,
                (a, b) -> {
                  List<Integer> merged = a;
                  merged.addAll(b);
                  return merged;
                });
    assertThat(all).containsExactlyInAnyOrder(1, 2, 3);
    assertThat(zero).isEmpty();
  }

  @Test
  void aggregateFoldsIntoAnotherType() {
    // sum and count at once
    int[] sumCount =
        sc.parallelize(range(1, 10), 3)
            .aggregate(
                new int[2],
                (acc, x) -> new int[] {acc[0] + x, acc[1] + 1},
                (a, b) -> new int[] {a[0] + b[0], a[1] + b[1]});
    assertThat(sumCount).containsExactly(55, 10);
  }

  @Test
  void aggregateGivesEachPartitionItsOwnCopyOfAMutableZero() {
    List<Integer> zero = new ArrayList<>();
    List<Integer> all =
        sc.parallelize(range(1, 6), 3)
            .aggregate(
                zero,
                (acc, x) -> {
                  acc.add(x);
                  return acc;
                },
                (a, b) -> {
                  a.addAll(b);
                  return a;
                });
    assertThat(all).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6);
    assertThat(zero).isEmpty();
  }

  @Test
  void aggregateOnAnEmptyDatasetReturnsTheZero() {
    assertThat(sc.<Integer>parallelize(List.of(), 2).aggregate("z", (a, x) -> a + x, (a, b) -> a + b))
        .isEqualTo("zzz");
  }

  // ---------------------------------------------------------------- foreach

  @Test
  void foreachRunsTheFunctionOnEveryElement() {
    sc.parallelize(range(1, 20), 4).foreach(SEEN::add);
    assertThat(SEEN).containsExactlyInAnyOrderElementsOf(range(1, 20));
  }

  @Test
  void foreachRunsInTaskThreads() {
    sc.parallelize(range(1, 4), 2).foreach(x -> SEEN.add(Thread.currentThread().getName()));
    assertThat(SEEN).hasSize(4).allSatisfy(name -> assertThat((String) name).startsWith("tributary-task-"));
  }

  @Test
  void foreachPartitionRunsOncePerPartitionWithItsElements() {
    sc.parallelize(range(1, 6), 3)
        .foreachPartition(
            it -> {
              List<Integer> part = new ArrayList<>();
              it.forEachRemaining(part::add);
              SEEN.add(part);
            });
    assertThat(SEEN).containsExactlyInAnyOrder(List.of(1, 2), List.of(3, 4), List.of(5, 6));
  }

  @Test
  void foreachPartitionIsCalledForEmptyPartitionsToo() {
    sc.parallelize(List.of(1), 3).foreachPartition(it -> CALLS.incrementAndGet());
    assertThat(CALLS.get()).isEqualTo(3);
  }

  @Test
  void anActionCanBeRepeatedWithTheSameResult() {
    Rdd<Integer> rdd = sc.parallelize(range(1, 10), 3).map(x -> x * x);
    assertThat(rdd.reduce(Integer::sum)).isEqualTo(385);
    assertThat(rdd.reduce(Integer::sum)).isEqualTo(385);
  }
}
