package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.JobFailedException;
import io.tributary.StreamingConf;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Broadcast variables and accumulators as Spark's {@code JavaSparkContext} has them: tasks read a
 * broadcast and add to accumulators; the driver reads the sum of every task's updates.
 */
class BroadcastAndAccumulatorsTest extends RddContextFixture {
  private static List<Integer> oneTo(int n) {
    return IntStream.rangeClosed(1, n).boxed().toList();
  }

  @Test
  void aLongAccumulatorSumsWhatEveryTaskAddedOnTheDriver() {
    LongAccumulator acc = sc.longAccumulator("total");
    sc.parallelize(oneTo(100), 4).foreach(acc::add);
    assertThat(acc.value()).isEqualTo(5050L);
    assertThat(acc.count()).isEqualTo(100);
    assertThat(acc.avg()).isEqualTo(50.5);
    assertThat(acc.name()).isEqualTo("total");
    assertThat(acc.toString()).contains("total");
  }

  @Test
  void addsInATransformationCountOnlyOnceAnActionRunsIt() {
    LongAccumulator seen = sc.longAccumulator("seen");
    Rdd<Integer> mapped = sc.parallelize(oneTo(10), 3).map(x -> {
      seen.add(1);
      return x;
    });
    assertThat(seen.value()).isZero();
    assertThat(mapped.count()).isEqualTo(10);
    assertThat(seen.value()).isEqualTo(10L);
  }

  @Test
  void accumulatorsAddedToInAShuffleMapStageAndTheResultStageBothCount() {
    LongAccumulator mapSide = sc.longAccumulator();
    LongAccumulator reduceSide = sc.longAccumulator("reduce");
    List<Tuple2<Integer, Integer>> sums = PairRdd.fromRdd(sc.parallelize(oneTo(20), 4).mapToPair(x -> {
      mapSide.add(x);
      return new Tuple2<>(x % 2, x);
    })).reduceByKey(Integer::sum, 2).map(kv -> {
      reduceSide.add(5);
      return kv;
    }).collect();
    assertThat(sums).hasSize(2);
    assertThat(mapSide.value()).isEqualTo(210L);
    assertThat(reduceSide.value()).isEqualTo(10L);
    assertThat(reduceSide.count()).isEqualTo(2);
  }

  @Test
  void aCollectionAccumulatorGathersEveryElementAddedByAnyTask() {
    CollectionAccumulator<String> odd = sc.collectionAccumulator("odd");
    sc.parallelize(oneTo(9), 3).foreach(x -> {
      if (x % 2 == 1) {
        odd.add("n" + x);
      }
    });
    assertThat(odd.value()).containsExactlyInAnyOrder("n1", "n3", "n5", "n7", "n9");
    odd.reset();
    assertThat(odd.isZero()).isTrue();
  }

  @Test
  void theUpdatesOfAFailedTaskAttemptAreDroppedAndItsRetryCountsOnce() {
    try (RddContext retrying = new RddContext(new StreamingConf().setMaster("local[2]").set("task.maxFailures", "2"))) {
      LongAccumulator acc = retrying.longAccumulator("retried");
      retrying.parallelize(oneTo(4), 2).foreach(x -> {
        acc.add(x);
        if (TaskContext.get().attemptNumber() == 0 && TaskContext.get().partitionId() == 0) {
          throw new IllegalStateException("first attempt fails after adding");
        }
      });
      assertThat(acc.value()).isEqualTo(10L);
    }
  }

  @Test
  void aFailedJobCountsNothing() {
    LongAccumulator acc = sc.longAccumulator("failed");
    assertThatThrownBy(() -> sc.parallelize(oneTo(4), 2).foreach(x -> {
      acc.add(x);
      if (x == 4) {
        throw new IllegalStateException("boom");
      }
    })).isInstanceOf(JobFailedException.class);
    assertThat(acc.value()).isZero();
  }

  @Test
  void readingAnAccumulatorInsideATaskFailsSayingToReadItOnTheDriver() {
    LongAccumulator acc = sc.longAccumulator("inside");
    assertThatThrownBy(() -> sc.parallelize(oneTo(2), 1).foreach(x -> acc.value()))
        .hasStackTraceContaining("read inside a task")
        .hasStackTraceContaining("on the driver");
  }

  @Test
  void addsOnTheDriverChangeTheValueAtOnce() {
    LongAccumulator acc = sc.longAccumulator();
    acc.add(3);
    acc.add(Long.valueOf(4));
    assertThat(acc.value()).isEqualTo(7L);
    assertThat(acc.isZero()).isFalse();
    acc.reset();
    assertThat(acc.value()).isZero();
  }

  @Test
  void everyTaskReadsTheBroadcastValue() {
    Broadcast<Set<Integer>> excluded = sc.broadcast(Set.of(2, 4, 6));
    List<Integer> kept = sc.parallelize(oneTo(8), 4).filter(x -> !excluded.value().contains(x)).collect();
    assertThat(kept).containsExactly(1, 3, 5, 7, 8);
    assertThat(excluded.value()).containsExactlyInAnyOrder(2, 4, 6);
  }

  @Test
  void aDestroyedBroadcastFailsNamingIt() {
    Broadcast<String> b = sc.broadcast("x");
    b.unpersist();
    assertThat(b.value()).isEqualTo("x");
    b.destroy();
    assertThatThrownBy(b::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Broadcast " + b.id())
        .hasMessageContaining("destroyed");
  }

  @Test
  void bothSerializeAsAnEngineShippingTasksWouldAndAnAccumulatorComesBackAsTheDriversInstance() throws Exception {
    LongAccumulator acc = sc.longAccumulator("shipped");
    Broadcast<Map<String, Integer>> table = sc.broadcast(Map.of("a", 1));
    Object[] copies = (Object[]) roundTrip(new Object[] {acc, table});
    assertThat(copies[0]).isSameAs(acc);
    @SuppressWarnings("unchecked")
    Broadcast<Map<String, Integer>> copy = (Broadcast<Map<String, Integer>>) copies[1];
    assertThat(copy.id()).isEqualTo(table.id());
    assertThat(copy.value()).isEqualTo(Map.of("a", 1));
    LongAccumulator shipped = (LongAccumulator) copies[0];
    sc.parallelize(oneTo(3), 3).foreach(x -> shipped.add(copy.value().get("a")));
    assertThat(acc.value()).isEqualTo(3L);
  }

  @Test
  void aClosedContextRefusesNewSharedVariablesSayingWhy() {
    RddContext closed = new RddContext(new StreamingConf().setMaster("local[1]"));
    closed.close();
    assertThatThrownBy(() -> closed.broadcast(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    assertThatThrownBy(() -> closed.longAccumulator("x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  private static Object roundTrip(Object value) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return in.readObject();
    }
  }
}
