package io.tributary.rdd;

import static io.tributary.rdd.RddTransformationsTest.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RddFilesTest extends RddContextFixture {

  @TempDir Path tmp;



  private static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** All lines of the visible files of {@code dir}, files in name order. */
  private static List<String> linesOf(Path dir) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String name : fileNames(dir)) {
      if (!name.startsWith("_") && !name.startsWith(".")) {
        lines.addAll(Files.readAllLines(dir.resolve(name), StandardCharsets.UTF_8));
      }
    }
    return lines;
  }

  // ---------------------------------------------------------------- text files

  @Test
  void saveAsTextFileWritesOnePartFilePerPartitionAndASuccessMarker() throws IOException {
    Path out = tmp.resolve("out");
    sc.parallelize(List.of("a", "b", "c"), 3).saveAsTextFile(out.toString());
    assertThat(fileNames(out)).containsExactly("_SUCCESS", "part-00000", "part-00001", "part-00002");
    assertThat(Files.readAllLines(out.resolve("part-00001"))).containsExactly("b");
  }

  @Test
  void saveAsTextFileWritesEachElementsToStringAsALine() throws IOException {
    Path out = tmp.resolve("pairs");
    sc.parallelizePairs(List.of(new Tuple2<>("k", 1), new Tuple2<>("j", 2)), 1).saveAsTextFile(out.toString());
    assertThat(Files.readAllLines(out.resolve("part-00000"))).containsExactly("(k,1)", "(j,2)");
  }

  @Test
  void textFileReadsBackTheLinesSaveAsTextFileWrote() {
    Path out = tmp.resolve("roundtrip");
    List<String> lines = List.of("first line", "second, with comma", "", "ünïcödé", "last");
    sc.parallelize(lines, 2).saveAsTextFile(out.toString());
    assertThat(sc.textFile(out.toString()).collect()).containsExactlyElementsOf(lines);
  }

  @Test
  void textFileHasOnePartitionPerVisibleFile() {
    Path out = tmp.resolve("parts");
    sc.parallelize(range(1, 10), 4).saveAsTextFile(out.toString());
    Rdd<String> read = sc.textFile(out.toString());
    assertThat(read.numPartitions()).isEqualTo(4);
    assertThat(read.map(Integer::parseInt).collect()).containsExactlyElementsOf(range(1, 10));
  }

  @Test
  void textFileReadsASingleFile() throws IOException {
    Path file = tmp.resolve("single.txt");
    Files.writeString(file, "x\ny\nz\n");
    assertThat(sc.textFile(file.toString()).collect()).containsExactly("x", "y", "z");
  }

  @Test
  void textFileSkipsHiddenFiles() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Files.writeString(dir.resolve("data.txt"), "visible\n");
    Files.writeString(dir.resolve(".hidden"), "dot\n");
    Files.writeString(dir.resolve("_marker"), "underscore\n");
    assertThat(sc.textFile(dir.toString()).collect()).containsExactly("visible");
  }

  @Test
  void textFileReadsTheFilesAGlobMatches() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("glob"));
    Files.writeString(dir.resolve("a.log"), "1\n");
    Files.writeString(dir.resolve("b.log"), "2\n");
    Files.writeString(dir.resolve("c.txt"), "3\n");
    assertThat(sc.textFile(dir.resolve("*.log").toString()).collect()).containsExactly("1", "2");
  }

  @Test
  void textFileDecodesAGzipFileByItsExtension() throws IOException {
    Path file = tmp.resolve("lines.txt.gz");
    try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(file))) {
      out.write("alpha\nbeta\n".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(sc.textFile(file.toString()).collect()).containsExactly("alpha", "beta");
  }

  @Test
  void textFileOfAMissingPathFailsNamingThePath() {
    String missing = tmp.resolve("no-such-dir").toString();
    assertThatThrownBy(() -> sc.textFile(missing).collect())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("does not exist");
  }

  @Test
  void saveAsTextFileToAnExistingDirectoryFailsClearly() throws IOException {
    Path existing = Files.createDirectory(tmp.resolve("existing"));
    Rdd<String> rdd = sc.parallelize(List.of("a"), 1);
    assertThatThrownBy(() -> rdd.saveAsTextFile(existing.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(existing.toString())
        .hasMessageContaining("already exists");
    assertThat(fileNames(existing)).isEmpty();
  }

  @Test
  void saveAsTextFileOfAnEmptyDatasetWritesEmptyParts() throws IOException {
    Path out = tmp.resolve("empty");
    sc.parallelize(List.<String>of(), 2).saveAsTextFile(out.toString());
    assertThat(fileNames(out)).containsExactly("_SUCCESS", "part-00000", "part-00001");
    assertThat(sc.textFile(out.toString()).count()).isZero();
  }

  @Test
  void saveAsTextFileAcceptsAFileUri() {
    Path out = tmp.resolve("uri");
    sc.parallelize(List.of("u"), 1).saveAsTextFile(out.toUri().toString());
    assertThat(sc.textFile(out.toUri().toString()).collect()).containsExactly("u");
  }

  // ---------------------------------------------------------------- object files

  @Test
  void objectFileReadsBackWhatSaveAsObjectFileWrote() {
    Path out = tmp.resolve("objects");
    List<Tuple2<String, Integer>> data = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      data.add(new Tuple2<>("k" + i, i));
    }
    sc.parallelize(data, 3).saveAsObjectFile(out.toString());
    Rdd<Tuple2<String, Integer>> read = sc.objectFile(out.toString());
    assertThat(read.collect()).containsExactlyElementsOf(data);
  }

  @Test
  void saveAsObjectFileWritesPartFilesAndASuccessMarker() throws IOException {
    Path out = tmp.resolve("objparts");
    sc.parallelize(range(1, 4), 2).saveAsObjectFile(out.toString());
    assertThat(fileNames(out)).containsExactly("_SUCCESS", "part-00000", "part-00001");
  }

  @Test
  void objectFileRoundTripsNullsAndEmptyPartitions() {
    Path out = tmp.resolve("nulls");
    List<String> data = java.util.Arrays.asList("a", null, "b");
    sc.parallelize(data, 5).saveAsObjectFile(out.toString());
    assertThat(sc.<String>objectFile(out.toString()).collect()).containsExactlyElementsOf(data);
  }

  @Test
  void objectFileOfAMissingPathFailsNamingThePath() {
    String missing = tmp.resolve("gone").toString();
    assertThatThrownBy(() -> sc.objectFile(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing);
  }

  @Test
  void saveAsObjectFileToAnExistingDirectoryFailsClearly() throws IOException {
    Path existing = Files.createDirectory(tmp.resolve("objexisting"));
    assertThatThrownBy(() -> sc.parallelize(List.of(1), 1).saveAsObjectFile(existing.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already exists");
  }
}
