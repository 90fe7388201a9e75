package io.tributary.rdd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.HashPartitioner;
import io.tributary.StreamingConf;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs on an engine that runs them whole, with every segment, shuffle writer and result task sent
 * through Java serialization ({@link SerializingEngine}): every kind of dataset travels, and the
 * results equal the local engine's, in the same order.
 */
class LineageEngineTest {
  private final RddContext local = new RddContext(new StreamingConf().setMaster("local[2]"));
  private final RddContext remote = new RddContext(new StreamingConf().setMaster("serializing"));
  @TempDir Path temp;

  @AfterEach
  void close() {
    local.close();
    remote.close();
  }

  private <T> void same(Function<RddContext, T> job) {
    assertThat(job.apply(remote)).isEqualTo(job.apply(local));
  }

  private static List<Integer> numbers(int n) {
    List<Integer> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(i);
    }
    return list;
  }

  @Test
  void everyKindOfDatasetTravelsAndGivesTheLocalResult() {
    same(c -> PairRdd.fromRdd(c.parallelize(numbers(300), 5).mapToPair(n -> new Tuple2<>(n % 13, n)))
        .reduceByKey(Integer::sum, 3).collect());
    same(c -> PairRdd.fromRdd(c.parallelize(numbers(100), 4).mapToPair(n -> new Tuple2<>(n % 5, n)))
        .groupByKey(2).mapValues(vs -> { int k = 0; for (int v : vs) { k += v; } return k; }).sortByKey(false, 2).collect());
    same(c -> {
      Rdd<Integer> persisted = c.parallelize(numbers(50), 3).map(n -> n * 2).persist();
      PairRdd<Integer, Integer> a = PairRdd.fromRdd(persisted.mapToPair(n -> new Tuple2<>(n % 4, n)));
      PairRdd<Integer, String> b = c.parallelizePairs(List.of(new Tuple2<>(0, "zero"), new Tuple2<>(2, "two")), 2);
      return List.of(persisted.count(), persisted.union(persisted).coalesce(2).collect(),
          a.join(b, 3).sortByKey(true, 1).collect(), persisted.distinct(3).count(),
          persisted.zipPartitions(persisted, (x, y) -> List.of(x.hasNext() && y.hasNext()).iterator()).collect(),
          a.partitionBy(new HashPartitioner(3)).cogroup(b).count(), persisted.take(3), persisted.fold(0, Integer::sum),
          persisted.aggregate(0, (acc, n) -> acc + n, Integer::sum));
    });
    same(c -> c.fromSplits(List.of("a b", "c"), (String s) -> Arrays.asList(s.split(" ")).iterator()).collect());
  }

  @Test
  void accumulatorUpdatesOfAnActionsTasksTravelWithTheirResults() {
    LongAccumulator sum = remote.longAccumulator("sum");
    remote.parallelize(numbers(100), 4).foreach(n -> sum.add(n));
    assertThat(sum.value()).isEqualTo(4950L);
  }

  @Test
  void tasksSeeTheirPartitionAndTheJobsLocalProperties() {
    remote.setLocalProperty("k", "v");
    assertThat(remote.parallelize(numbers(3), 3)
            .map(x -> TaskContext.get().partitionId() + TaskContext.get().getLocalProperty("k")).collect())
        .containsExactly("0v", "1v", "2v");
  }

  @Test
  void dataCheckpointsAreWrittenByTheTasksAndReadBack() {
    remote.setCheckpointDir(temp.toString());
    Rdd<Integer> doubled = remote.parallelize(numbers(20), 2).map(n -> n * 2);
    doubled.checkpoint();
    assertThat(doubled.count()).isEqualTo(20);
    assertThat(doubled.isCheckpointed()).isTrue();
    assertThat(doubled.map(n -> n + 1).collect()).isEqualTo(local.parallelize(numbers(20), 2).map(n -> n * 2 + 1).collect());
  }

  @Test
  void aFunctionThatCannotTravelFailsNamingItsClass() {
    Object notSerializable = new Object();
    assertThatThrownBy(() -> remote.parallelize(numbers(2), 1).map(n -> n + notSerializable.hashCode()).collect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Object is not serializable");
  }

  static final java.util.concurrent.CountDownLatch STORED = new java.util.concurrent.CountDownLatch(1);

  /** Stores one block at start. */
  static final class OneBlock extends io.tributary.streaming.receiver.Receiver<String> {
    OneBlock() {
      super(io.tributary.StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      store(List.of("a", "b"));
      STORED.countDown();
    }

    @Override
    public void onStop() {}
  }

  @Test
  void aReceiverStreamOnAClusterEngineFailsNamingWhatCannotTravel() throws Exception {
    try (io.tributary.streaming.testing.StreamingTestDriver driver = new io.tributary.streaming.testing.StreamingTestDriver(
        new StreamingConf().setMaster("serializing").set("streaming.batch.maxRetries", "0"), io.tributary.Durations.seconds(1))) {
      driver.collect(driver.context().receiverStream(new OneBlock()));
      driver.start();
      assertThat(STORED.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThatThrownBy(driver::advance)
          .hasStackTraceContaining("class io.tributary.streaming.internal.block.BlockStore is not serializable")
          .hasStackTraceContaining("receiver input streams are not supported on a cluster engine yet");
    }
  }

  @Test
  void aTaskCannotActOnADatasetItCaptured() {
    Rdd<Integer> captured = remote.parallelize(numbers(2), 1);
    assertThatThrownBy(() -> remote.parallelize(numbers(2), 1).map(n -> captured.count()).collect())
        .hasRootCauseInstanceOf(IllegalStateException.class)
        .rootCause().hasMessageContaining("Cannot run a job inside a task");
  }
}
