package io.tributary.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Tuple2;
import io.tributary.streaming.DStream;
import io.tributary.Durations;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streams through Hadoop output and input formats, on local paths (moved from core's tests). */
class HadoopStreamsTest {
  /** A batch-aligned manual clock start, close to the wall clock so file times look recent. */
  private static final long START = System.currentTimeMillis() / 1000 * 1000;

  @TempDir Path dir;
  private StreamingTestDriver driver;

  @BeforeEach
  void newDriver() {
    driver = new StreamingTestDriver(Durations.seconds(1));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
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

  private void writeAt(String name, long modified, String... lines) throws IOException {
    Path file = Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  @Test
  void saveAsHadoopFilesWritesEachBatchWithAnOldApiOutputFormat() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    String prefix = dir.resolve("counts").toString();
    HadoopStreams.saveAsHadoopFiles(in.<String, Integer>pairStream().reduceByKey(Integer::sum),
        prefix, "out", String.class, Integer.class, org.apache.hadoop.mapred.TextOutputFormat.class);
    driver.start();
    in.addBatch(Tuple2.of("a", 1), Tuple2.of("b", 2), Tuple2.of("a", 3)).addBatch(Tuple2.of("c", 4));
    driver.advance(2);
    assertThat(partFileLines(dir.resolve("counts-1000.out"))).containsExactlyInAnyOrder("a\t4", "b\t2");
    assertThat(partFileLines(dir.resolve("counts-2000.out"))).containsExactly("c\t4");
    assertThat(dir.resolve("counts-1000.out").resolve("_SUCCESS")).exists();
    assertThat(dir.resolve("counts-1000.out").resolve("_temporary")).doesNotExist();
  }

  @Test
  void saveAsNewApiHadoopFilesWritesEachBatchWithANewApiOutputFormat() {
    TestInput<Tuple2<String, Integer>> in = driver.input();
    String prefix = dir.resolve("counts").toString();
    HadoopStreams.saveAsNewAPIHadoopFiles(in.<String, Integer>pairStream(),
        prefix, "out", String.class, Integer.class,
        org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class);
    driver.start();
    in.addBatch(Tuple2.of("a", 1), Tuple2.of("b", 2)).addBatch(Tuple2.of("c", 3));
    driver.advance(2);
    assertThat(partFileLines(dir.resolve("counts-1000.out"))).containsExactly("a\t1", "b\t2");
    assertThat(partFileLines(dir.resolve("counts-2000.out"))).containsExactly("c\t3");
    assertThat(dir.resolve("counts-1000.out").resolve("_SUCCESS")).exists();
    assertThat(dir.resolve("counts-1000.out").resolve("_temporary")).doesNotExist();
  }

  @Test
  void fileStreamWithNewFilesOnlyFalseReadsExistingFilesInTheFirstBatch() throws Exception {
    driver.clock().setTime(START);
    writeAt("old-1.txt", START - 5_000, "a", "b");
    writeAt("old-2.txt", START - 3_000, "c");
    DStream<String> lines = HadoopStreams
        .fileStream(driver.context(), dir.toString(), LongWritable.class, Text.class, TextInputFormat.class,
            p -> true, false)
        .map(kv -> kv._2().toString());
    TestOutput<String> out = driver.collect(lines);
    driver.start();

    driver.advance();
    writeAt("later.txt", START + 1_200, "d");
    driver.advance();

    assertThat(out.batch(0)).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(out.batch(1)).containsExactly("d");
  }

  @Test
  void fileStreamReadsOnlyFilesAcceptedByTheFilter() throws Exception {
    driver.clock().setTime(START);
    DStream<String> lines = HadoopStreams
        .fileStream(driver.context(), dir.toString(), LongWritable.class, Text.class, TextInputFormat.class,
            p -> p.getName().endsWith(".csv"), true)
        .map(kv -> kv._2().toString());
    TestOutput<String> out = driver.collect(lines);
    driver.start();

    writeAt("data.csv", START + 100, "1,2");
    writeAt("notes.txt", START + 100, "skip me");
    driver.advance();

    assertThat(out.batch(0)).containsExactly("1,2");
  }
}
