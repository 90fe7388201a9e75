package io.tributary.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.JobFailedException;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.internal.engine.LocalEngineFactory;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The master URL picks the engine through {@link java.util.ServiceLoader}. */
class EngineFactoryTest {

  @Test
  void localMastersAreRunByTheBuiltInFactory() {
    assertThat(EngineFactory.forMaster("local")).isInstanceOf(LocalEngineFactory.class);
    assertThat(EngineFactory.forMaster("local[2]")).isInstanceOf(LocalEngineFactory.class);
    assertThat(EngineFactory.forMaster(" local[*] ")).isInstanceOf(LocalEngineFactory.class);
  }

  @Test
  void aContextOnLocal2RunsItsTasksOnTwoThreadsAtOnce() throws Exception {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    CountDownLatch bothRunning = new CountDownLatch(2);
    try (RddContext sc = new RddContext(new StreamingConf().setMaster("local[2]"))) {
      assertThat(sc.defaultParallelism()).isEqualTo(2);
      List<Boolean> met = sc.parallelize(List.of(1, 2), 2).map(x -> {
        threads.add(Thread.currentThread().getName());
        bothRunning.countDown();
        // each task waits for the other: only two threads running at once get past this
        return bothRunning.await(30, TimeUnit.SECONDS);
      }).collect();
      assertThat(met).containsExactly(true, true);
      sc.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8).foreach(x -> threads.add(Thread.currentThread().getName()));
    }
    assertThat(threads).hasSize(2);
  }

  @Test
  void anEngineRunsAStageAndReturnsTheResultsInPartitionOrder() {
    try (Engine engine = EngineFactory.forMaster("local[2]").create("local[2]", Map.of())) {
      assertThat(engine.parallelism()).isEqualTo(2);
      List<String> results = engine.runStage(new int[] {3, 0, 2}, task -> "p" + task.partitionId()
          + (TaskContext.get() == task ? "" : " without TaskContext.get()"));
      assertThat(results).containsExactly("p3", "p0", "p2");
      assertThatThrownBy(() -> engine.runStage(new int[] {0, 1}, task -> {
        if (task.partitionId() == 1) {
          throw new IllegalStateException("task 1 fails");
        }
        return 0;
      })).isInstanceOf(JobFailedException.class).hasRootCauseMessage("task 1 fails");
    }
  }

  @Test
  void aClosedEngineRefusesStages() {
    Engine engine = EngineFactory.forMaster("local").create("local", Map.of());
    engine.close();
    assertThatThrownBy(() -> engine.runStage(new int[] {0}, task -> 1))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void anEnginePluggedInThroughServiceLoaderRunsTheShuffleMapStageThenTheResultStage() {
    RecordingEngineFactory.STAGE_SIZES.clear();
    try (RddContext sc = new RddContext(new StreamingConf().setMaster("recording"))) {
      long keys = sc.parallelize(List.of("a", "b", "a", "c"), 3)
          .mapToPair(w -> new Tuple2<>(w, 1)).reduceByKey(Integer::sum, 2).count();
      assertThat(keys).isEqualTo(3);
    }
    // map stage over the 3 input partitions, then the result stage over the 2 reduce partitions
    assertThat(RecordingEngineFactory.STAGE_SIZES).containsExactly(3, 2);
  }

  @Test
  void aSparkMasterWithoutItsArtifactFailsNamingTheArtifactAndTheKnownMasters() {
    assertThatThrownBy(() -> new RddContext(new StreamingConf().setMaster("spark://host:7077")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'spark://host:7077'")
        .hasMessageContaining("tributary-spark-runner on the classpath")
        .hasMessageContaining("local, local[N], local[*]");
  }

  @Test
  void anUnknownMasterFailsNamingTheMastersKnownAndHowToAddAnEngine() {
    assertThatThrownBy(() -> EngineFactory.forMaster("yarn"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'yarn'")
        .hasMessageContaining("local[N]")
        .hasMessageContaining("recording (core tests)")
        .hasMessageContaining("META-INF/services");
  }
}
