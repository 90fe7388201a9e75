package io.tributary.streaming;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.Tuple2;
import io.tributary.streaming.scheduler.BatchInfo;
import io.tributary.streaming.scheduler.OutputOperationInfo;
import io.tributary.streaming.scheduler.StreamingListener;
import io.tributary.streaming.scheduler.StreamingListenerBatchCompleted;
import io.tributary.streaming.scheduler.StreamingListenerOutputOperationCompleted;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Output operations: print, foreachRDD, the save operations, and failures of user functions. */
class OutputOperationsTest {
  private static final String RULE = "-------------------------------------------\n";
  private static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @TempDir Path dir;

  private StreamingTestDriver driver;
  private PrintStream originalOut;
  private ByteArrayOutputStream printed;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
    SEEN.clear();
  }

  @AfterEach
  void closeDriver() {
    driver.close();
    if (originalOut != null) {
      System.setOut(originalOut);
    }
  }

  private void captureStandardOutput() {
    originalOut = System.out;
    printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  private String printedText() {
    return printed.toString(StandardCharsets.UTF_8);
  }

  private static List<String> partFileLines(Path batchDir) {
    try (Stream<Path> files = Files.list(batchDir)) {
      List<String> lines = new ArrayList<>();
      for (Path part : files.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
        lines.addAll(Files.readAllLines(part, StandardCharsets.UTF_8));
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ---------------------------------------------------------------- print

  @Test
  void printShowsTheBatchTimeBetweenRulesThenEachElementThenABlankLine() {
    TestInput<String> in = driver.input();
    in.stream().mapToPair(w -> Tuple2.of(w, 1)).reduceByKey(Integer::sum).print();
    captureStandardOutput();
    driver.start();
    in.addBatch("hello");
    driver.advance();
    assertThat(printedText()).isEqualTo(RULE + "Time: 1000 ms\n" + RULE + "(hello,1)\n\n");
  }

  @Test
  void printOfAnEmptyBatchShowsOnlyTheHeader() {
    TestInput<String> in = driver.input();
    in.stream().print();
    captureStandardOutput();
    driver.start();
    driver.advance();
    assertThat(printedText()).isEqualTo(RULE + "Time: 1000 ms\n" + RULE + "\n");
  }

  @Test
  void printWithACountShowsThatManyElementsAndDotsWhenTheBatchHasMore() {
    TestInput<Integer> in = driver.input();
    in.stream().print(2);
    captureStandardOutput();
    driver.start();
    in.addBatch(1, 2, 3).addBatch(4, 5);
    driver.advance(2);
    assertThat(printedText())
        .isEqualTo(
            RULE + "Time: 1000 ms\n" + RULE + "1\n2\n...\n\n"
                + RULE + "Time: 2000 ms\n" + RULE + "4\n5\n\n");
  }

  @Test
  void printWithoutACountShowsTheFirstTenElements() {
    TestInput<Integer> in = driver.input();
    in.stream().print();
    captureStandardOutput();
    driver.start();
    in.addBatch(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11);
    driver.advance();
    assertThat(printedText())
        .isEqualTo(RULE + "Time: 1000 ms\n" + RULE + "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n...\n\n");
  }

  @Test
  void printRejectsANonPositiveCount() {
    DStream<Integer> stream = driver.<Integer>input().stream();
    assertThatThrownBy(() -> stream.print(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("num");
  }

  // ---------------------------------------------------------------- foreachRDD

  @Test
  void foreachRddRunsTheFunctionOnEveryBatchIncludingEmptyOnes() {
    TestInput<String> in = driver.input();
    in.stream().foreachRDD(rdd -> SEEN.add(String.join(",", rdd.collect())));
    driver.start();
    in.addBatch("a", "b").addBatch().addBatch("c");
    driver.advance(3);
    assertThat(SEEN).containsExactly("a,b", "", "c");
  }

  @Test
  void foreachRddWithTimeReceivesTheBatchTime() {
    TestInput<String> in = driver.input();
    in.stream().foreachRDD((rdd, time) -> SEEN.add(time.milliseconds() + ":" + rdd.count()));
    driver.start();
    in.addBatch("a", "b").addBatch("c");
    driver.advance(2);
    assertThat(SEEN).containsExactly("1000:2", "2000:1");
  }

  @Test
  void outputOperationsOfABatchRunInTheOrderTheyWereDefined() {
    TestInput<String> in = driver.input();
    in.stream().foreachRDD(rdd -> SEEN.add("first"));
    in.stream().foreachRDD(rdd -> SEEN.add("second"));
    driver.start();
    driver.advance(2);
    assertThat(SEEN).containsExactly("first", "second", "first", "second");
  }

  @Test
  void startWithoutAnyOutputOperationFailsSayingToAddOne() {
    driver.<String>input().stream().map(String::length);
    assertThatThrownBy(driver::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("No output operations")
        .hasMessageContaining("print()");
  }

  // ---------------------------------------------------------------- save operations

  @Test
  void saveAsTextFilesWritesEachBatchToADirectoryNamedAfterItsTime() {
    TestInput<String> in = driver.input();
    String prefix = dir.resolve("words").toString();
    in.stream().map(String::toUpperCase).saveAsTextFiles(prefix, "txt");
    driver.start();
    in.addBatch("a", "b", "c").addBatch("d");
    driver.advance(2);
    assertThat(partFileLines(dir.resolve("words-1000.txt"))).containsExactly("A", "B", "C");
    assertThat(partFileLines(dir.resolve("words-2000.txt"))).containsExactly("D");
    assertThat(dir.resolve("words-1000.txt").resolve("_SUCCESS")).exists();
  }

  @Test
  void saveAsTextFilesWithoutSuffixNamesDirectoriesPrefixDashTime() {
    TestInput<Integer> in = driver.input();
    String prefix = dir.resolve("nums").toString();
    in.stream().saveAsTextFiles(prefix, "");
    driver.start();
    in.addBatch(1, 2);
    driver.advance();
    assertThat(partFileLines(dir.resolve("nums-1000"))).containsExactly("1", "2");
  }

  @Test
  void saveAsObjectFilesWritesEachBatchReadableWithObjectFile() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    String prefix = dir.resolve("objects").toString();
    in.stream().saveAsObjectFiles(prefix, "bin");
    driver.start();
    in.addBatch(Tuple2.of("a", 1), Tuple2.of("b", 2)).addBatch(Tuple2.of("c", 3));
    driver.advance(2);
    List<Tuple2<String, Integer>> first =
        driver.context().rddContext().<Tuple2<String, Integer>>objectFile(dir.resolve("objects-1000.bin").toString())
            .collect();
    List<Tuple2<String, Integer>> second =
        driver.context().rddContext().<Tuple2<String, Integer>>objectFile(dir.resolve("objects-2000.bin").toString())
            .collect();
    assertThat(first).containsExactlyInAnyOrder(Tuple2.of("a", 1), Tuple2.of("b", 2));
    assertThat(second).containsExactly(Tuple2.of("c", 3));
  }

  // ---------------------------------------------------------------- failures

  /** Collects the completed output operations and batches the listener bus delivers. */
  static final class Recorder implements StreamingListener {
    final List<OutputOperationInfo> outputs = new CopyOnWriteArrayList<>();
    final List<BatchInfo> batches = new CopyOnWriteArrayList<>();

    @Override
    public void onOutputOperationCompleted(StreamingListenerOutputOperationCompleted event) {
      outputs.add(event.outputOperationInfo());
    }

    @Override
    public void onBatchCompleted(StreamingListenerBatchCompleted event) {
      batches.add(event.batchInfo());
    }

    BatchInfo batch(long ms) {
      return batches.stream().filter(b -> b.batchTime().milliseconds() == ms).findFirst().orElseThrow();
    }
  }

  /** Replaces the driver by one that skips failed outputs ({@code streaming.batch.onFailure=skip}). */
  private void skipFailedOutputs() {
    driver.close();
    driver = new StreamingTestDriver(
        new StreamingConf().setMaster("local[2]").setAppName("test").set("streaming.batch.onFailure", "skip"),
        Durations.seconds(1));
  }

  @Test
  void underSkipAFailingUserFunctionFailsThatBatchsOutputWithItsMessageAndTheNextBatchRuns() {
    skipFailedOutputs();
    Recorder recorder = new Recorder();
    driver.context().addStreamingListener(recorder);
    TestInput<String> in = driver.input();
    TestOutput<String> out =
        driver.collect(
            in.stream()
                .map(
                    s -> {
                      if (s.equals("boom")) {
                        throw new IllegalArgumentException("cannot handle element " + s);
                      }
                      return s.toUpperCase();
                    }));
    driver.start();
    in.addBatch("ok", "boom").addBatch("fine");
    driver.advance(2);

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.batches.size() == 2);
    OutputOperationInfo failed = recorder.outputs.get(0);
    assertThat(failed.batchTime()).isEqualTo(new Time(1000));
    assertThat(failed.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("cannot handle element boom"));
    assertThat(recorder.batch(1000).hasFailure()).isTrue();
    // tried 1 + streaming.batch.maxRetries (3) times before being skipped
    assertThat(recorder.outputs).filteredOn(o -> o.batchTime().milliseconds() == 1000)
        .hasSize(4).allSatisfy(o -> assertThat(o.failureReason()).isPresent());

    assertThat(recorder.batch(2000).hasFailure()).isFalse();
    assertThat(out.batchAt(new Time(1000))).isEmpty();
    assertThat(out.batchAt(new Time(2000))).containsExactly("FINE");
  }

  @Test
  void underSkipAFailingOutputDoesNotStopTheOtherOutputsOfTheSameBatch() {
    skipFailedOutputs();
    Recorder recorder = new Recorder();
    driver.context().addStreamingListener(recorder);
    TestInput<String> in = driver.input();
    in.stream().foreachRDD(rdd -> {
      throw new IllegalStateException("output zero is broken");
    });
    TestOutput<String> out = driver.collect(in.stream());
    driver.start();
    in.addBatch("x");
    driver.advance();

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.batches.size() == 1);
    assertThat(recorder.batch(1000).outputOperationInfos().values())
        .anySatisfy(o -> {
          assertThat(o.id()).isEqualTo(0);
          assertThat(o.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("output zero is broken"));
        })
        .anySatisfy(o -> {
          assertThat(o.id()).isEqualTo(1);
          assertThat(o.failureReason()).isEmpty();
        });
    assertThat(out.batch(0)).containsExactly("x");
  }

  @Test
  void underSkipAStreamThatFailsToComputeABatchFailsEveryOutputUsingIt() {
    skipFailedOutputs();
    Recorder recorder = new Recorder();
    driver.context().addStreamingListener(recorder);
    TestInput<String> in = driver.input();
    DStream<String> broken =
        in.stream().transform((rdd, time) -> {
          if (time.milliseconds() == 1000) {
            throw new IllegalStateException("no dataset for " + time);
          }
          return rdd;
        });
    TestOutput<String> first = driver.collect(broken);
    TestOutput<String> second = driver.collect(broken);
    driver.start();
    in.addBatch("a").addBatch("b");
    driver.advance(2);

    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.batches.size() == 2);
    assertThat(recorder.batch(1000).outputOperationInfos().values())
        .hasSize(2)
        .allSatisfy(o -> assertThat(o.failureReason()).hasValueSatisfying(r -> assertThat(r).contains("no dataset for 1000 ms")));
    assertThat(recorder.batch(2000).hasFailure()).isFalse();
    assertThat(first.batchAt(new Time(2000))).containsExactly("b");
    assertThat(second.batchAt(new Time(2000))).containsExactly("b");
  }

  @Test
  void outputOperationsAreReportedWithTheirNameAndTiming() {
    Recorder recorder = new Recorder();
    driver.context().addStreamingListener(recorder);
    TestInput<String> in = driver.input();
    in.stream().print();
    captureStandardOutput();
    driver.start();
    driver.advance();
    await().atMost(Duration.ofSeconds(10)).until(() -> recorder.batches.size() == 1);
    OutputOperationInfo print = recorder.outputs.get(0);
    assertThat(print.name()).isEqualTo("print");
    assertThat(print.duration()).hasValueSatisfying(d -> assertThat(d).isNotNegative());
    assertThat(recorder.batch(1000).outputOperationInfos()).containsKey(0);
  }
}
