package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.JobFailedException;
import io.tributary.StreamingConf;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Dataset jobs on a real two-worker standalone cluster give what they give in local mode. */
@Tag("spark-cluster")
@Timeout(300)
class SparkClusterBatchTest {
  private static RddContext cluster;
  private static RddContext local;

  @BeforeAll
  static void start() {
    cluster = new RddContext(SparkCluster.get().conf("batch-test"));
    local = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("batch-test-local"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (local != null) {
      local.close();
    }
  }

  private static List<String> lines() {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      lines.add("w" + (i % 37) + " w" + (i % 11) + " shared");
    }
    return lines;
  }

  private static <T> void sameOnBoth(Function<RddContext, T> job) {
    T expected = job.apply(local);
    assertThat(job.apply(cluster)).isEqualTo(expected);
  }

  @Test
  void tasksRunOnBothExecutorsOfTheCluster() {
    Set<String> executors = new TreeSet<>(cluster.parallelize(Arrays.asList(1, 2, 3, 4, 5, 6, 7, 8), 8)
        .map(x -> {
          Thread.sleep(200); // long enough that one executor does not take every task
          return org.apache.spark.SparkEnv.get().executorId();
        })
        .collect());
    assertThat(executors).containsExactly("0", "1");
  }

  @Test
  void wordCountWithShufflesGivesTheLocalResultInTheSameOrder() {
    sameOnBoth(c -> PairRdd.fromRdd(c.parallelize(lines(), 6)
            .flatMap(l -> Arrays.asList(l.split(" ")).iterator())
            .mapToPair(w -> new Tuple2<>(w, 1)))
        .reduceByKey(Integer::sum, 4)
        .collect());
    sameOnBoth(c -> PairRdd.fromRdd(c.parallelize(lines(), 5).mapToPair(l -> new Tuple2<>(l.length(), l)))
        .groupByKey(3)
        .mapValues(vs -> { int n = 0; for (String v : vs) { n++; } return n; })
        .sortByKey(true, 2)
        .collect());
  }

  @Test
  void actionsJoinsUnionsCoalesceAndPersistedDatasets() {
    sameOnBoth(c -> {
      Rdd<Integer> numbers = c.parallelize(rangeList(1000), 7).persist();
      PairRdd<Integer, Integer> byMod = PairRdd.fromRdd(numbers.mapToPair(n -> new Tuple2<>(n % 10, n)));
      PairRdd<Integer, String> names = c.parallelizePairs(
          List.of(new Tuple2<>(1, "one"), new Tuple2<>(2, "two"), new Tuple2<>(3, "three")), 2);
      List<Object> results = new ArrayList<>();
      results.add(numbers.count());
      results.add(numbers.reduce(Integer::sum));
      results.add(numbers.fold(0, Integer::sum));
      results.add(numbers.take(5));
      results.add(numbers.union(numbers.map(n -> -n)).coalesce(3).collect());
      results.add(byMod.reduceByKey(Math::max, 3).join(names, 2).sortByKey(true, 1).collect());
      results.add(numbers.distinct(4).count());
      results.add(numbers.countByValue().size());
      return results;
    });
  }

  @Test
  void taskContextAndLocalPropertiesReachTheTasks() {
    cluster.setLocalProperty("tributary.test.property", "seen");
    try {
      List<String> seen = cluster.parallelize(Arrays.asList(1, 2, 3), 3)
          .map(x -> TaskContext.get().partitionId() + ":" + TaskContext.get().getLocalProperty("tributary.test.property"))
          .collect();
      assertThat(seen).containsExactly("0:seen", "1:seen", "2:seen");
    } finally {
      cluster.setLocalProperty("tributary.test.property", null);
    }
  }

  @Test
  void aFailingTaskFailsTheJobWithTheTasksException() {
    assertThatThrownBy(() -> cluster.parallelize(Arrays.asList(1, 2, 3), 3)
            .map(x -> {
              if (x == 2) {
                throw new IllegalArgumentException("bad record " + x);
              }
              return x;
            })
            .collect())
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("bad record 2");
  }

  @Test
  void accumulatorsAddedByAnActionsTasksCountOnceOnTheDriver() {
    io.tributary.rdd.LongAccumulator sum = cluster.longAccumulator("sum");
    io.tributary.rdd.CollectionAccumulator<Integer> partitions = cluster.collectionAccumulator("partitions");
    cluster.parallelize(rangeList(100), 4).foreachPartition(it -> {
      partitions.add(TaskContext.get().partitionId());
      it.forEachRemaining(n -> sum.add(n));
    });
    assertThat(sum.value()).isEqualTo(4950L);
    assertThat(new TreeSet<>(partitions.value())).containsExactly(0, 1, 2, 3);
  }

  @Test
  void anAccumulatorAddedOnAShufflesMapSideFailsNamingIt() {
    io.tributary.rdd.LongAccumulator seen = cluster.longAccumulator("seen");
    assertThatThrownBy(() -> PairRdd.fromRdd(cluster.parallelize(rangeList(10), 2).mapToPair(n -> {
          seen.add(1);
          return new Tuple2<>(n % 2, n);
        })).reduceByKey(Integer::sum).collect())
        .hasStackTraceContaining("Accumulator 'seen' was added to where its updates cannot reach the driver");
  }

  private static List<Integer> rangeList(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }
}
