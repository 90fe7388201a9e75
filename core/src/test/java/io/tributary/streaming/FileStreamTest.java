package io.tributary.streaming;

import io.tributary.Durations;
import static io.tributary.streaming.StreamingTests.eventually;
import static io.tributary.streaming.StreamingTests.realTimeContext;
import static io.tributary.streaming.StreamingTests.stopQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStreamTest {
  /** A batch-aligned manual clock start, close to the wall clock so file times look recent. */
  private static final long START = System.currentTimeMillis() / 1000 * 1000;

  @TempDir Path temp;
  private Path dir;
  private Path staging;
  private StreamingContext ssc;

  @BeforeEach
  void dirs() throws IOException {
    dir = Files.createDirectory(temp.resolve("in"));
    staging = Files.createDirectory(temp.resolve("staging"));
  }

  @AfterEach
  void tearDown() {
    stopQuietly(ssc);
  }

  /** Writes {@code lines} to a staging file, then moves it atomically into the watched directory. */
  private void moveIn(String name, List<String> lines) throws IOException {
    Path written = Files.write(staging.resolve(name), lines, StandardCharsets.UTF_8);
    Files.move(written, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Writes a file directly into the watched directory with the given modification time. */
  private void writeAt(String name, long modified, String... lines) throws IOException {
    Path file = Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(file, FileTime.fromMillis(modified));
  }

  /** A file stream's reader: the lines of a local file, given its qualified path ({@code file:/...}). */
  private static java.util.Iterator<String> linesOf(String file) throws IOException {
    assertThat(file).startsWith("file:/");
    return Files.readAllLines(Path.of(java.net.URI.create(file))).iterator();
  }

  private static List<String> lines(String prefix, int n) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(prefix + i);
    }
    return lines;
  }

  @Test
  void filesMovedInAfterStartAreReadExactlyOnce() throws Exception {
    ssc = realTimeContext("local[2]");
    Queue<String> received = new ConcurrentLinkedQueue<>();
    AtomicInteger batches = new AtomicInteger();
    ssc.textFileStream(dir.toString()).foreachRDD(rdd -> {
      received.addAll(rdd.collect());
      batches.incrementAndGet();
    });
    ssc.start();

    List<String> expected = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      List<String> content = lines("f" + f + "-", 100);
      expected.addAll(content);
      moveIn("file-" + f + ".txt", content);
      eventually().untilAsserted(() -> assertThat(received).containsAll(content));
    }
    int seen = batches.get();
    eventually().until(() -> batches.get() >= seen + 5);

    assertThat(received).containsExactlyInAnyOrderElementsOf(expected);
  }

  @Test
  void hiddenFilesAreIgnored() throws Exception {
    ssc = realTimeContext("local[2]");
    Queue<String> received = new ConcurrentLinkedQueue<>();
    AtomicInteger batches = new AtomicInteger();
    ssc.textFileStream(dir.toString()).foreachRDD(rdd -> {
      received.addAll(rdd.collect());
      batches.incrementAndGet();
    });
    ssc.start();

    moveIn(".hidden.txt", List.of("dot"));
    moveIn("_COPYING_.txt", List.of("underscore"));
    moveIn("visible.txt", List.of("visible"));
    eventually().untilAsserted(() -> assertThat(received).contains("visible"));
    int seen = batches.get();
    eventually().until(() -> batches.get() >= seen + 3);

    assertThat(received).containsExactly("visible");
  }

  @Test
  void textFileStreamReadsFilesWrittenAfterItsDefinitionIncludingBeforeStartButNotOlderOnes() throws Exception {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.clock().setTime(START);
      writeAt("old.txt", START - 5_000, "old");
      writeAt("at-definition.txt", START, "at definition");
      writeAt("stamped-ahead.txt", START + 300, "there at definition, time ahead");
      TestOutput<String> out = driver.collect(driver.context().textFileStream(dir.toString()));
      // as Spark: the threshold is the time the stream was defined, so files written before start() count
      writeAt("before-start.txt", START + 200, "written before start");
      // file systems stamp times with a coarse clock: a file written just after definition may look older
      writeAt("stamped-behind.txt", START - 4, "written after definition, time behind");
      driver.start();

      writeAt("new.txt", START + 400, "new");
      writeAt("future.txt", START + 1_500, "future");
      driver.advance();
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactlyInAnyOrder(
          "written before start", "written after definition, time behind", "new");
      assertThat(out.batch(1)).containsExactly("future");
      assertThat(out.batch(2)).isEmpty();
    }
  }

  @Test
  void aFileModifiedBeforeTheRememberWindowIsIgnoredAndOneInsideItIsRead() throws Exception {
    io.tributary.StreamingConf conf = new io.tributary.StreamingConf().setMaster("local[2]").setAppName("files")
        .set("streaming.fileStream.minRememberDuration", "3s");
    try (StreamingTestDriver driver = new StreamingTestDriver(conf, Durations.seconds(1))) {
      driver.clock().setTime(START);
      TestOutput<String> out = driver.collect(driver.context().textFileStream(dir.toString()));
      driver.start();
      driver.advance(5);

      // batch START + 6000 considers modification times in (START + 3000, START + 6000]
      moveIn("too-old.txt", START + 2_500, "too old");
      moveIn("recent.txt", START + 3_500, "recent");
      driver.advance();

      assertThat(out.batch(5)).containsExactly("recent");
    }
  }

  /** Writes {@code lines} to a staging file modified at {@code modified}, then moves it in atomically. */
  private void moveIn(String name, long modified, String... lines) throws IOException {
    Path written = Files.write(staging.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    Files.setLastModifiedTime(written, FileTime.fromMillis(modified));
    Files.move(written, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  @Test
  void aFileIsSelectedByABatchOnlyOnceItsModificationTimeIsReached() throws Exception {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.clock().setTime(START);
      TestOutput<String> out = driver.collect(driver.context().textFileStream(dir.toString()));
      driver.start();

      writeAt("at-batch-1.txt", START + 1_000, "one");
      writeAt("after-batch-1.txt", START + 1_001, "two");
      driver.advance();
      driver.advance();

      assertThat(out.batch(0)).containsExactly("one");
      assertThat(out.batch(1)).containsExactly("two");
    }
  }

  @Test
  void fileStreamWithNewFilesOnlyFalseReadsExistingFilesInTheFirstBatch() throws Exception {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.clock().setTime(START);
      writeAt("old-1.txt", START - 5_000, "a", "b");
      writeAt("old-2.txt", START - 3_000, "c");
      DStream<String> lines = driver.context()
          .fileStream(dir.toString(), FileStreamTest::linesOf, p -> true, false);
      TestOutput<String> out = driver.collect(lines);
      driver.start();

      driver.advance();
      writeAt("later.txt", START + 1_200, "d");
      driver.advance();

      assertThat(out.batch(0)).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(out.batch(1)).containsExactly("d");
    }
  }

  @Test
  void fileStreamReadsOnlyFilesAcceptedByTheFilter() throws Exception {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.clock().setTime(START);
      DStream<String> lines = driver.context()
          .fileStream(dir.toString(), FileStreamTest::linesOf, p -> p.endsWith(".csv"), true);
      TestOutput<String> out = driver.collect(lines);
      driver.start();

      writeAt("data.csv", START + 100, "1,2");
      writeAt("notes.txt", START + 100, "skip me");
      driver.advance();

      assertThat(out.batch(0)).containsExactly("1,2");
    }
  }

  @Test
  void aFileStreamThatNoOutputReadsDoesNotPreventTheStart() throws Exception {
    ssc = realTimeContext("local[2]");
    writeAt("old.txt", START - 5_000, "old");
    ssc.textFileStream(dir.toString());
    ssc.queueStream(new java.util.ArrayDeque<io.tributary.rdd.Rdd<Integer>>()).print();

    ssc.start();

    assertThat(ssc.getState()).isEqualTo(StreamingContextState.ACTIVE);
  }

  @Test
  void textFileStreamOnAMissingDirectoryFailsAtStartNamingIt() {
    String missing = temp.resolve("no-such-dir").toString();
    ssc = realTimeContext("local[2]");
    ssc.textFileStream(missing).foreachRDD(rdd -> rdd.count());

    assertThatThrownBy(ssc::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("does not exist");
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.STOPPED);
    assertThat(StreamingContext.getActive()).isEmpty();
  }
}
