package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.StreamingConf;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.RddContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker killed with SIGKILL in the middle of a job: the job completes on the other worker, with exact results. */
@Tag("spark-cluster")
@Timeout(300)
class SparkClusterWorkerLossTest {

  @Test
  void aJobWhoseWorkerIsKilledMidwayCompletesOnTheOtherWorker() throws Exception {
    Function<RddContext, List<Tuple2<Integer, Integer>>> job = c -> {
      List<Integer> numbers = new ArrayList<>();
      for (int i = 0; i < 160; i++) {
        numbers.add(i);
      }
      return PairRdd.fromRdd(c.parallelize(numbers, 16).mapToPair(n -> {
        Thread.sleep(40); // a map stage of several seconds, so the kill lands inside it
        return new Tuple2<>(n % 7, n);
      })).reduceByKey(Integer::sum, 3).sortByKey(true, 1).collect();
    };
    List<Tuple2<Integer, Integer>> expected;
    try (RddContext local = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("loss-local"))) {
      expected = job.apply(local);
    }
    SparkCluster cluster = SparkCluster.get();
    try (RddContext context = new RddContext(cluster.conf("worker-loss-test"))) {
      AtomicInteger finished = new AtomicInteger();
      AtomicBoolean killed = new AtomicBoolean();
      SparkContext.getOrCreate().addSparkListener(new SparkListener() {
        @Override
        public void onTaskEnd(SparkListenerTaskEnd end) {
          if (finished.incrementAndGet() == 4 && killed.compareAndSet(false, true)) {
            cluster.killWorker(1); // its executor dies with it, and the map outputs it held
          }
        }
      });
      CompletableFuture<List<Tuple2<Integer, Integer>>> result = CompletableFuture.supplyAsync(() -> job.apply(context));
      assertThat(result.get(240, TimeUnit.SECONDS)).isEqualTo(expected);
      assertThat(killed).isTrue();
    } finally {
      cluster.restartWorker(1);
    }
  }
}
