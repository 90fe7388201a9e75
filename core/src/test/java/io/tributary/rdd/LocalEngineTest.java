package io.tributary.rdd;

import static io.tributary.rdd.RddTransformationsTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tributary.HashPartitioner;
import io.tributary.JobFailedException;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.internal.engine.LocalEngine;
import io.tributary.StreamingConf;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalEngineTest extends RddContextFixture {
  static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();
  static final Set<String> THREADS = ConcurrentHashMap.newKeySet();



  @BeforeEach
  void reset() {
    SEEN.clear();
    THREADS.clear();
  }

  /** A user error with a recognisable type. */
  static final class BoomException extends RuntimeException {
    BoomException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------- TaskContext

  @Test
  void partitionIdInsideATaskIsThePartitionItComputes() {
    List<String> tagged =
        sc.parallelize(List.of("a", "b", "c", "d", "e", "f"), 3)
            .map(s -> TaskContext.get().partitionId() + s)
            .collect();
    // slices [a,b] [c,d] [e,f]
    assertThat(tagged).containsExactly("0a", "0b", "1c", "1d", "2e", "2f");
  }

  @Test
  void partitionIdAfterAShuffleIsTheReducePartition() {
    HashPartitioner hash = new HashPartitioner(3);
    List<Tuple2<Integer, Integer>> checked =
        sc.parallelizePairs(List.of(new Tuple2<>(0, 0), new Tuple2<>(1, 0), new Tuple2<>(2, 0),
                    new Tuple2<>(4, 0), new Tuple2<>(5, 0)), 2)
            .partitionBy(hash)
            .mapValues(v -> TaskContext.get().partitionId())
            .collect();
    for (Tuple2<Integer, Integer> kv : checked) {
      assertThat(kv._2()).isEqualTo(kv._1() % 3);
    }
  }

  @Test
  void attemptNumberOfAFirstAttemptIsZero() {
    assertThat(sc.parallelize(range(1, 4), 2).map(x -> TaskContext.get().attemptNumber()).collect())
        .containsOnly(0);
  }

  @Test
  void taskContextIsAbsentOutsideTasks() {
    assertThat(TaskContext.get()).isNull();
  }

  @Test
  void tasksRunOnAsManyThreadsAsConfigured() {
    sc.parallelize(range(1, 40), 8)
        .foreach(x -> THREADS.add(Thread.currentThread().getName()));
    assertThat(THREADS).isNotEmpty().hasSizeLessThanOrEqualTo(2);
  }

  // ---------------------------------------------------------------- failures

  @Test
  void anExceptionInAUserFunctionFailsTheJobWithThatExceptionAsCause() {
    Rdd<Integer> failing =
        sc.parallelize(range(1, 6), 2).map(x -> {
          if (x == 4) {
            throw new BoomException("bad record 4");
          }
          return x;
        });
    Throwable thrown = catchThrowable(failing::collect);
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    Throwable cause = thrown.getCause();
    assertThat(cause).isExactlyInstanceOf(BoomException.class).hasMessage("bad record 4");
    assertThat(cause.getStackTrace())
        .anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(LocalEngineTest.class.getName()));
  }

  @Test
  void aCheckedExceptionInAUserFunctionIsTheCauseUnwrapped() {
    Rdd<Integer> failing =
        sc.parallelize(range(1, 2), 1).map(x -> {
          throw new IOException("disk gone");
        });
    Throwable thrown = catchThrowable(failing::count);
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    assertThat(thrown.getCause()).isExactlyInstanceOf(IOException.class).hasMessage("disk gone");
  }

  @Test
  void theJobFailureMessageNamesThePartition() {
    Rdd<Integer> failing =
        sc.parallelize(range(1, 4), 2).filter(x -> {
          if (x == 3) {
            throw new BoomException("no threes");
          }
          return true;
        });
    assertThatThrownBy(failing::collect)
        .isInstanceOf(JobFailedException.class)
        .hasMessageContaining("partition 1")
        .hasMessageContaining("no threes");
  }

  @Test
  void anExceptionInAShuffleMapStageFailsTheJobWithThatCause() {
    PairRdd<Integer, Integer> failing =
        sc.parallelize(range(1, 4), 2)
            .mapToPair(x -> {
              if (x == 2) {
                throw new BoomException("map side");
              }
              return new Tuple2<>(x, x);
            });
    Throwable thrown = catchThrowable(() -> failing.reduceByKey(Integer::sum).collect());
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    assertThat(thrown.getCause()).isExactlyInstanceOf(BoomException.class).hasMessage("map side");
  }

  @Test
  void anExceptionInAReduceFunctionFailsTheJobWithThatCause() {
    PairRdd<String, Integer> pairs =
        sc.parallelizePairs(List.of(new Tuple2<>("k", 1), new Tuple2<>("k", 2)), 2);
    Throwable thrown =
        catchThrowable(
            () -> pairs.reduceByKey((a, b) -> {
              throw new BoomException("reduce side");
            }).collect());
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    assertThat(thrown.getCause()).isExactlyInstanceOf(BoomException.class).hasMessage("reduce side");
  }

  @Test
  void anExceptionInForeachFailsTheJobWithThatCause() {
    Throwable thrown =
        catchThrowable(
            () -> sc.parallelize(range(1, 3), 1).foreach(x -> {
              throw new BoomException("side effect failed");
            }));
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    assertThat(thrown.getCause()).isExactlyInstanceOf(BoomException.class);
  }

  @Test
  void theContextStillRunsJobsAfterAFailedJob() {
    Rdd<Integer> failing = sc.parallelize(range(1, 4), 2).map(x -> {
      throw new BoomException("x");
    });
    assertThatThrownBy(failing::count).isInstanceOf(JobFailedException.class);
    assertThat(sc.parallelize(range(1, 4), 2).count()).isEqualTo(4);
  }

  static final java.util.concurrent.CountDownLatch SECOND_STARTED = new java.util.concurrent.CountDownLatch(1);

  @Test
  void aFailedStageReportsOnlyOnceEveryTaskThatStartedHasEnded() {
    // local[2], four partitions: 0 fails once 1 runs; 1 ends only when interrupted, and slowly
    Throwable failure = catchThrowable(() -> sc.parallelize(range(0, 4), 4).foreachPartition(it -> {
      int partition = TaskContext.get().partitionId();
      SEEN.add("start " + partition);
      try {
        if (partition == 0) {
          SECOND_STARTED.await();
          throw new BoomException("partition 0 is broken");
        }
        if (partition == 1) {
          SECOND_STARTED.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            SEEN.add("interrupted 1");
            long until = System.nanoTime() + 200_000_000L; // cleaning up after the interrupt takes a while
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
          }
        }
      } finally {
        SEEN.add("end " + partition);
      }
    }));
    assertThat(failure).isInstanceOf(JobFailedException.class).hasRootCauseMessage("partition 0 is broken");
    List<String> seenAtFailure = List.copyOf(SEEN);
    assertThat(seenAtFailure).contains("start 1", "interrupted 1", "end 1");
    for (String event : seenAtFailure) {
      if (event.startsWith("start ")) {
        assertThat(seenAtFailure).contains("end " + event.substring(6));
      }
    }
    // the pool runs jobs in order: once this one ran, nothing of the failed stage can start any more
    assertThat(sc.parallelize(range(0, 4), 4).count()).isEqualTo(range(0, 4).size());
    assertThat(SEEN).containsExactlyInAnyOrderElementsOf(seenAtFailure);
  }

  @Test
  void anActionInsideATaskFailsWithAClearMessage() {
    Rdd<Integer> other = sc.parallelize(range(1, 3), 1);
    Rdd<Long> nested = sc.parallelize(range(1, 2), 1).map(x -> other.count());
    Throwable thrown = catchThrowable(nested::collect);
    assertThat(thrown).isInstanceOf(JobFailedException.class);
    assertThat(thrown.getCause())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a task")
        .hasMessageContaining("driver");
  }

  @Test
  void anActionInsideForeachPartitionFailsWithAClearMessage() {
    Rdd<Integer> other = sc.parallelize(range(1, 3), 1);
    Throwable thrown =
        catchThrowable(() -> sc.parallelize(range(1, 2), 1).foreachPartition(it -> other.collect()));
    assertThat(thrown.getCause())
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("inside a task");
  }

  @Test
  void aFailedTaskIsRetriedWithTheNextAttemptNumberWhenMaxFailuresAllowsIt() {
    try (RddContext retrying =
        new RddContext(new StreamingConf().setMaster("local[1]").set("task.maxFailures", "2"))) {
      List<Integer> attempts =
          retrying.parallelize(List.of(1), 1)
              .map(x -> {
                int attempt = TaskContext.get().attemptNumber();
                SEEN.add("attempt " + attempt);
                if (attempt == 0) {
                  throw new BoomException("first attempt fails");
                }
                return attempt;
              })
              .collect();
      assertThat(attempts).containsExactly(1);
      assertThat(SEEN).containsExactly("attempt 0", "attempt 1");
    }
  }

  @Test
  void byDefaultAFailedTaskIsNotRetried() {
    Rdd<Integer> failing = sc.parallelize(List.of(1), 1).map(x -> {
      SEEN.add("attempt " + TaskContext.get().attemptNumber());
      throw new BoomException("once");
    });
    assertThatThrownBy(failing::collect).isInstanceOf(JobFailedException.class);
    assertThat(SEEN).containsExactly("attempt 0");
  }

  // ---------------------------------------------------------------- master

  @Test
  void threadsOfReadsTheAcceptedForms() {
    assertThat(LocalEngine.threadsOf("local")).isEqualTo(1);
    assertThat(LocalEngine.threadsOf("local[3]")).isEqualTo(3);
    assertThat(LocalEngine.threadsOf("local[*]")).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @ParameterizedTest
  @ValueSource(strings = {"locale[2]", "local[0]", "local[x]", "local[-1]", "local[]", "yarn", ""})
  void threadsOfRejectsAMalformedMasterNamingTheAcceptedForms(String master) {
    assertThatThrownBy(() -> LocalEngine.threadsOf(master))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + master + "'")
        .hasMessageContaining("local[N]")
        .hasMessageContaining("local[*]");
  }

  @Test
  void threadsOfRejectsANullMaster() {
    assertThatThrownBy(() -> LocalEngine.threadsOf(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("local[N]");
  }

  @ParameterizedTest
  @ValueSource(strings = {"locale[2]", "local[0]", "local[x]"})
  void contextWithAMalformedMasterFailsNamingTheAcceptedForms(String master) {
    assertThatThrownBy(() -> new RddContext(new StreamingConf().setMaster(master)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(master)
        .hasMessageContaining("local[N]");
  }

  @Test
  void contextDefaultParallelismFollowsTheMaster() {
    try (RddContext three = new RddContext(new StreamingConf().setMaster("local[3]"))) {
      assertThat(three.defaultParallelism()).isEqualTo(3);
    }
  }

  @Test
  void contextDefaultParallelismCanBeConfigured() {
    try (RddContext configured =
        new RddContext(new StreamingConf().setMaster("local[1]").set("default.parallelism", "5"))) {
      assertThat(configured.defaultParallelism()).isEqualTo(5);
      assertThat(configured.parallelize(Arrays.asList(1, 2)).numPartitions()).isEqualTo(5);
    }
  }

  @Test
  void anActionAfterCloseFailsClearly() {
    RddContext closed = new RddContext(new StreamingConf().setMaster("local[1]"));
    Rdd<Integer> rdd = closed.parallelize(List.of(1, 2), 1);
    closed.close();
    assertThatThrownBy(rdd::count)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  static volatile Connection CONNECTION;
  static final java.util.concurrent.CountDownLatch ENDED = new java.util.concurrent.CountDownLatch(1);

  /** A resource that records whether it was used after it was closed. */
  static final class Connection implements AutoCloseable {
    volatile boolean closed;
    volatile boolean usedAfterClose;

    void use() {
      if (closed) {
        usedAfterClose = true;
      }
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void closingTheContextWaitsForInterruptedTasksBeforeItClosesTheirResources() throws Exception {
    RddContext context = new RddContext(new StreamingConf().setMaster("local[2]").setAppName("close"));
    java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
    Connection connection = context.resource("connection", Connection.class, Connection::new);
    CONNECTION = connection;
    Thread job = new Thread(() -> {
      try {
        context.parallelize(List.of(1), 1).foreach(x -> {
          running.countDown();
          try {
            Thread.sleep(60_000);
          } catch (InterruptedException e) {
            // finishing its work takes a moment, as flushing a producer would
            long until = System.nanoTime() + 300_000_000L;
            while (System.nanoTime() < until) {
              Thread.onSpinWait();
            }
            CONNECTION.use();
          } finally {
            ENDED.countDown();
          }
        });
      } catch (RuntimeException expected) {
        // the stage fails: the engine was closed under it
      }
    });
    job.start();
    assertThat(running.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    context.close();
    assertThat(ENDED.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    assertThat(connection.closed).isTrue();
    assertThat(connection.usedAfterClose).as("the task ended before its resource was closed").isFalse();
    job.join(20_000);
  }
}
