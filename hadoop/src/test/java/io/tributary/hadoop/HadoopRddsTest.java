package io.tributary.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.io.IntWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets through Hadoop output and input formats, on local paths (moved from core's RddFilesTest). */
class HadoopRddsTest {
  @TempDir Path tmp;
  private RddContext sc;

  @BeforeEach
  void context() {
    sc = new RddContext(new StreamingConf().setMaster("local[2]"));
  }

  @AfterEach
  void close() {
    sc.close();
  }

  static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** All lines of the visible files of {@code dir}, files in name order. */
  static List<String> linesOf(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String name : fileNames(dir)) {
      if (!name.startsWith("_") && !name.startsWith(".")) {
        lines.addAll(Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  @Test
  void saveAsNewApiHadoopFileWithTextOutputFormatWritesTabSeparatedLines() throws IOException {
    Path out = tmp.resolve("newapi");
    PairRdd<Text, IntWritable> pairs =
        sc.parallelizePairs(
                List.of(new Tuple2<>("a", 1), new Tuple2<>("b", 2), new Tuple2<>("c", 3)), 2)
            .mapToPair(kv -> new Tuple2<>(new Text(kv._1()), new IntWritable(kv._2())));
    HadoopRdds.saveAsNewAPIHadoopFile(
        pairs, out.toString(), Text.class, IntWritable.class,
        org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class);
    assertThat(fileNames(out)).contains("_SUCCESS");
    assertThat(fileNames(out)).doesNotContain("_temporary");
    assertThat(linesOf(out)).containsExactlyInAnyOrder("a\t1", "b\t2", "c\t3");
    assertThat(sc.textFile(out.toString()).collect()).containsExactlyInAnyOrder("a\t1", "b\t2", "c\t3");
  }

  @Test
  void saveAsNewApiHadoopFileAcceptsStringKeys() throws IOException {
    Path out = tmp.resolve("newapi-strings");
    PairRdd<String, Integer> pairs =
        sc.parallelizePairs(List.of(new Tuple2<>("x", 10), new Tuple2<>("y", 20)), 2);
    HadoopRdds.saveAsNewAPIHadoopFile(
        pairs, out.toString(), String.class, Integer.class,
        org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class);
    assertThat(linesOf(out)).containsExactlyInAnyOrder("x\t10", "y\t20");
  }

  @Test
  void saveAsNewApiHadoopFileToAnExistingDirectoryFailsNamingIt() throws IOException {
    Path existing = Files.createDirectory(tmp.resolve("newapi-existing"));
    PairRdd<String, Integer> pairs = sc.parallelizePairs(List.of(new Tuple2<>("x", 1)), 1);
    assertThatThrownBy(
            () -> HadoopRdds.saveAsNewAPIHadoopFile(
                pairs, existing.toString(), String.class, Integer.class,
                org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class))
        .hasMessageContaining(existing.getFileName().toString());
  }

  @Test
  void saveAsHadoopFileWithTheOldApiTextOutputFormatWritesTabSeparatedLines() throws IOException {
    Path out = tmp.resolve("oldapi");
    PairRdd<Text, IntWritable> pairs =
        sc.parallelizePairs(
                List.of(new Tuple2<>("a", 1), new Tuple2<>("b", 2), new Tuple2<>("c", 3)), 2)
            .mapToPair(kv -> new Tuple2<>(new Text(kv._1()), new IntWritable(kv._2())));
    HadoopRdds.saveAsHadoopFile(
        pairs, out.toString(), Text.class, IntWritable.class,
        org.apache.hadoop.mapred.TextOutputFormat.class);
    assertThat(fileNames(out)).contains("_SUCCESS", "part-00000", "part-00001");
    assertThat(fileNames(out)).doesNotContain("_temporary");
    assertThat(linesOf(out)).containsExactlyInAnyOrder("a\t1", "b\t2", "c\t3");
  }

  @Test
  void saveAsHadoopFileAcceptsStringKeys() throws IOException {
    Path out = tmp.resolve("oldapi-strings");
    PairRdd<String, String> pairs =
        sc.parallelizePairs(List.of(new Tuple2<>("k1", "v1"), new Tuple2<>("k2", "v2")), 1);
    HadoopRdds.saveAsHadoopFile(
        pairs, out.toString(), String.class, String.class,
        org.apache.hadoop.mapred.TextOutputFormat.class);
    assertThat(sc.textFile(out.toString()).collect()).containsExactly("k1\tv1", "k2\tv2");
  }

  @Test
  void saveAsHadoopFileToAnExistingDirectoryFailsClearly() throws IOException {
    Path existing = Files.createDirectory(tmp.resolve("oldapi-existing"));
    PairRdd<String, String> pairs = sc.parallelizePairs(List.of(new Tuple2<>("k", "v")), 1);
    assertThatThrownBy(
            () -> HadoopRdds.saveAsHadoopFile(
                pairs, existing.toString(), String.class, String.class,
                org.apache.hadoop.mapred.TextOutputFormat.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void newApiHadoopFileReadsTheFilesOfADirectoryWithAnInputFormat() throws IOException {
    Path in = Files.createDirectory(tmp.resolve("in"));
    Files.writeString(in.resolve("a.txt"), "one\ntwo\n");
    Files.writeString(in.resolve("b.txt"), "three\n");
    Files.writeString(in.resolve("_SUCCESS"), "");
    PairRdd<LongWritable, Text> read =
        HadoopRdds.newAPIHadoopFile(sc, in.toString(), TextInputFormat.class, LongWritable.class, Text.class);
    assertThat(read.numPartitions()).isEqualTo(2);
    assertThat(read.map(kv -> kv._2().toString()).collect()).containsExactly("one", "two", "three");
  }

  @Test
  void newApiHadoopFileOfAMissingPathFailsNamingIt() {
    String missing = tmp.resolve("missing").toString();
    assertThatThrownBy(() -> HadoopRdds.newAPIHadoopFile(sc, missing, TextInputFormat.class, LongWritable.class, Text.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("does not exist");
  }
}
