package io.tributary.streaming;

import io.tributary.BatchFailedException;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens to a failed batch: its failed outputs are retried with backoff, and when retries
 * run out the context stops with the error and the batch is never marked complete, unless {@code
 * streaming.batch.onFailure=skip} (which never skips an output that depends on state).
 */
class FailedBatchTest {
  /** Attempts per batch time, shared with the functions (which run on task threads). */
  static final Map<Long, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();
  static final List<String> OUTPUT = new CopyOnWriteArrayList<>();

  @TempDir Path checkpoints;
  private StreamingTestDriver driver;
  private final OutputOperationsTest.Recorder recorder = new OutputOperationsTest.Recorder();

  @BeforeEach
  void reset() {
    ATTEMPTS.clear();
    OUTPUT.clear();
  }

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
  }

  private StreamingTestDriver driver(String... settings) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]").setAppName("failures");
    for (int i = 0; i < settings.length; i += 2) {
      conf.set(settings[i], settings[i + 1]);
    }
    driver = new StreamingTestDriver(conf, Durations.seconds(1));
    driver.context().addStreamingListener(recorder);
    return driver;
  }

  private static int attempt(Time time) {
    return ATTEMPTS.computeIfAbsent(time.milliseconds(), t -> new AtomicInteger()).incrementAndGet();
  }

  @Test
  void anOutputFailingItsFirstThreeAttemptsIsRetriedAndWritesItsBatchOnce() {
    driver("streaming.batch.retryBackoff", "5ms");
    TestInput<String> in = driver.input();
    in.stream().foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 2000 && attempt(time) <= 3) {
        throw new IllegalStateException("sink down, attempt " + ATTEMPTS.get(2000L));
      }
      OUTPUT.addAll(rdd.collect());
    });
    driver.start();
    in.addBatch("a").addBatch("b").addBatch("c");
    driver.advance(3);

    assertThat(OUTPUT).containsExactly("a", "b", "c");
    assertThat(ATTEMPTS.get(2000L)).hasValue(4);
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.batches.size() == 3);
    assertThat(recorder.outputs).filteredOn(o -> o.batchTime().milliseconds() == 2000)
        .extracting(o -> o.failureReason().map(r -> r.lines().findFirst().orElse("")).orElse("ok"))
        .containsExactly("java.lang.IllegalStateException: sink down, attempt 1",
            "java.lang.IllegalStateException: sink down, attempt 2",
            "java.lang.IllegalStateException: sink down, attempt 3", "ok");
    assertThat(recorder.batches).noneMatch(BatchInfo::hasFailure);
    assertThat(driver.context().getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void whenRetriesRunOutTheContextStopsWithTheErrorAndNothingLaterRuns() throws Exception {
    driver("streaming.batch.maxRetries", "2");
    TestInput<String> in = driver.input();
    in.stream().foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 2000) {
        attempt(time);
        throw new IllegalStateException("sink rejects batch 2000");
      }
      OUTPUT.addAll(rdd.collect());
    });
    driver.start();
    in.addBatch("a").addBatch("b").addBatch("c");
    driver.advance();

    BatchFailedException failure = catchThrowableOfType(driver::advance, BatchFailedException.class);
    assertThat(failure.batchTime()).isEqualTo(new Time(2000));
    assertThat(failure.attempts()).isEqualTo(3);
    assertThat(failure.operation()).contains("foreachRDD of QueueInputDStream");
    assertThat(failure).hasRootCauseMessage("sink rejects batch 2000")
        .hasMessageContaining("getOrCreate");
    assertThat(ATTEMPTS.get(2000L)).hasValue(3);

    StreamingContext ssc = driver.context();
    await().atMost(Duration.ofSeconds(10)).until(() -> ssc.getState() == StreamingContextState.STOPPED);
    assertThatThrownBy(ssc::awaitTermination).isSameAs(failure);
    assertThatThrownBy(() -> ssc.awaitTerminationOrTimeout(10)).isSameAs(failure);
    assertThat(OUTPUT).containsExactly("a");
    // the failed batch never completed, and batch 3000 never ran
    assertThat(recorder.batches).extracting(b -> b.batchTime().milliseconds()).containsExactly(1000L);
  }

  @Test
  void underSkipAFailedOutputIsDroppedAndTheNextBatchesRun() {
    driver("streaming.batch.onFailure", "skip", "streaming.batch.maxRetries", "1");
    TestInput<String> in = driver.input();
    in.stream().foreachRDD((rdd, time) -> {
      if (time.milliseconds() == 1000) {
        throw new IllegalStateException("skipped output");
      }
      OUTPUT.addAll(rdd.collect());
    });
    driver.start();
    in.addBatch("a").addBatch("b");
    driver.advance(2);

    assertThat(OUTPUT).containsExactly("b");
    await().atMost(Duration.ofSeconds(10)).until(() -> driver.failedBatches().size() == 1);
    assertThat(driver.failedBatches().get(0).batchTime()).isEqualTo(new Time(1000));
    assertThat(driver.context().getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void underSkipAnOutputThatDependsOnStateIsNeverSkipped() {
    driver("streaming.batch.onFailure", "skip", "streaming.batch.maxRetries", "1");
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> pairs = in.pairStream();
    pairs
        .updateStateByKey((List<Integer> values, Optional<Integer> sum) -> {
          if (values.contains(-1)) {
            throw new IllegalArgumentException("cannot add -1");
          }
          return Optional.of(sum.orElse(0) + values.stream().mapToInt(Integer::intValue).sum());
        })
        .map(Tuple2::toString)
        .foreachRDD(rdd -> OUTPUT.addAll(rdd.collect()));
    driver.start();
    in.addBatch(Tuple2.of("k", 1)).addBatch(Tuple2.of("k", -1)).addBatch(Tuple2.of("k", 2));
    driver.advance();

    assertThatThrownBy(driver::advance).isInstanceOf(BatchFailedException.class)
        .hasRootCauseMessage("cannot add -1");
    assertThat(OUTPUT).containsExactly("(k,1)");
  }

  @Test
  void aStateFunctionThatThrowsOnceIsRetriedAndTheStateCountsEveryRecordOnce() {
    driver();
    driver.context().checkpoint(checkpoints.toString());
    TestInput<Tuple2<String, Integer>> in = driver.input();
    PairDStream<String, Integer> pairs = in.pairStream();
    TestOutput<Tuple2<String, Integer>> sums = driver.collect(pairs
        .updateStateByKey((List<Integer> values, Optional<Integer> sum) -> {
          if (values.contains(10) && attempt(new Time(10)) == 1) {
            throw new IllegalStateException("transient");
          }
          return Optional.of(sum.orElse(0) + values.stream().mapToInt(Integer::intValue).sum());
        }));
    driver.start();
    in.addBatch(Tuple2.of("a", 1), Tuple2.of("b", 1))
        .addBatch(Tuple2.of("a", 10), Tuple2.of("b", 2))
        .addBatch(Tuple2.of("a", 100));
    driver.advance(3);

    assertThat(ATTEMPTS.get(10L)).hasValue(2);
    assertThat(sums.batch(1)).containsExactlyInAnyOrder(Tuple2.of("a", 11), Tuple2.of("b", 3));
    assertThat(sums.batch(2)).containsExactlyInAnyOrder(Tuple2.of("a", 111), Tuple2.of("b", 3));
  }

  @Test
  void aDatasetThatFailedToBeComputedIsComputedAgainOnRetry() {
    driver();
    TestInput<String> in = driver.input();
    TestOutput<String> out = driver.collect(in.stream().transform((Rdd<String> rdd, Time time) -> {
      if (time.milliseconds() == 1000 && attempt(time) == 1) {
        throw new IllegalStateException("reference data not loaded yet");
      }
      return rdd.map(String::toUpperCase);
    }));
    driver.start();
    in.addBatch("a").addBatch("b");
    driver.advance(2);

    assertThat(ATTEMPTS.get(1000L)).hasValue(2);
    assertThat(out.batches()).containsExactly(List.of("A"), List.of("B"));
  }

  @Test
  void aPolicyOutOfRangeFailsWhenTheContextIsCreatedNamingTheKey() {
    assertThatThrownBy(() -> driver("streaming.batch.onFailure", "ignore"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streaming.batch.onFailure").hasMessageContaining("'ignore'");
    assertThatThrownBy(() -> driver("streaming.batch.maxRetries", "-1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("streaming.batch.maxRetries");
  }
}
