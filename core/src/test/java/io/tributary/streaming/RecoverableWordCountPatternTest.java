package io.tributary.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.Time;
import io.tributary.Tuple2;
import io.tributary.rdd.Broadcast;
import io.tributary.rdd.LongAccumulator;
import io.tributary.rdd.RddContext;
import io.tributary.streaming.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spark's {@code JavaRecoverableNetworkWordCount}, ported: a broadcast exclude list and an
 * accumulator of dropped words, both held by lazily initialised singletons that {@code foreachRDD}
 * asks for, so that after a restart from a checkpoint they are made again from the new context;
 * the factory deletes the output file only when it starts a new application.
 */
class RecoverableWordCountPatternTest {
  @TempDir Path input;
  @TempDir Path staging;
  @TempDir Path checkpoints;
  @TempDir Path outputDir;
  private Path outputFile;
  private long base;
  private StreamingContext ssc;

  /** Spark's {@code JavaWordExcludeList}: the broadcast is created on first use. */
  static final class WordExcludeList {
    private static volatile Broadcast<Set<String>> instance;

    static Broadcast<Set<String>> getInstance(RddContext context) {
      if (instance == null) {
        synchronized (WordExcludeList.class) {
          if (instance == null) {
            instance = context.broadcast(Set.of("a", "b", "c"));
          }
        }
      }
      return instance;
    }
  }

  /** Spark's {@code JavaDroppedWordsCounter}: the accumulator is created on first use. */
  static final class DroppedWordsCounter {
    private static volatile LongAccumulator instance;

    static LongAccumulator getInstance(RddContext context) {
      if (instance == null) {
        synchronized (DroppedWordsCounter.class) {
          if (instance == null) {
            instance = context.longAccumulator("DroppedWordsCounter");
          }
        }
      }
      return instance;
    }
  }

  /** A new JVM: the singletons start out empty. */
  private static void newJvm() {
    WordExcludeList.instance = null;
    DroppedWordsCounter.instance = null;
  }

  @BeforeEach
  void setUp() throws Exception {
    newJvm();
    base = (System.currentTimeMillis() / 1000) * 1000 + 60_000;
    outputFile = outputDir.resolve("counts.txt");
    Files.writeString(outputFile, "left over from an earlier application\n");
  }

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
    newJvm();
  }

  private StreamingContext createContext(ManualClock clock) throws Exception {
    StreamingContext created =
        new StreamingContext(new StreamingConf().setMaster("local[2]").setAppName("recoverable"),
            Durations.seconds(1), clock);
    if (!created.isRecovering()) {
      Files.deleteIfExists(outputFile); // as Spark's example does, but only for a new application
    }
    created.checkpoint(checkpoints.toString());
    created.textFileStream(input.toString())
        .flatMap(line -> Arrays.asList(line.split(" ")).iterator())
        .mapToPair(word -> new Tuple2<>(word, 1))
        .reduceByKey(Integer::sum)
        .foreachRDD((rdd, time) -> {
          Broadcast<Set<String>> excludeList = WordExcludeList.getInstance(rdd.context());
          LongAccumulator dropped = DroppedWordsCounter.getInstance(rdd.context());
          List<Tuple2<String, Integer>> counts = rdd.filter(wordCount -> {
            if (excludeList.value().contains(wordCount._1())) {
              dropped.add(wordCount._2());
              return false;
            }
            return true;
          }).collect();
          TreeMap<String, Integer> sorted = new TreeMap<>();
          counts.forEach(kv -> sorted.put(kv._1(), kv._2()));
          Files.writeString(outputFile, "Counts at time " + time.milliseconds() + " " + sorted
              + " dropped " + dropped.value() + "\n", StandardCharsets.UTF_8,
              StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        });
    return created;
  }

  private void moveIn(String name, long modifiedAt, String line) throws Exception {
    RecoveryTest.moveIn(staging, input, name, modifiedAt, line);
  }

  private void runBatch(ManualClock clock, long time) throws InterruptedException {
    RecoveryTest.runBatch(ssc, clock, time);
  }

  @Test
  void broadcastAndAccumulatorAreRecreatedLazilyAfterARestartFromTheCheckpoint() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> createContext(clock));
    assertThat(ssc.isRecovering()).isFalse();
    ssc.start();
    moveIn("1", base + 500, "a b c x y x");
    runBatch(clock, base + 1000);
    moveIn("2", base + 1500, "a z");
    runBatch(clock, base + 2000);
    LongAccumulator before = DroppedWordsCounter.instance;
    assertThat(before.value()).isEqualTo(4L);
    ssc.stop(); // a crash: the last checkpoint is that of batch base + 2000

    newJvm();
    moveIn("3", base + 2500, "b b q");
    ManualClock later = new ManualClock(base + 3000);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> createContext(later));
    assertThat(ssc.isRecovering()).isTrue();
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 3000), 30_000)).isTrue();

    assertThat(DroppedWordsCounter.instance).isNotSameAs(before);
    assertThat(DroppedWordsCounter.instance.value()).isEqualTo(2L);
    assertThat(Files.readAllLines(outputFile)).containsExactly(
        "Counts at time " + (base + 1000) + " {x=2, y=1} dropped 3",
        "Counts at time " + (base + 2000) + " {z=1} dropped 4",
        "Counts at time " + (base + 3000) + " {q=1} dropped 2");
  }

  @Test
  void aNewApplicationsFactoryIsToldItIsNotRecoveringAndDeletesTheOldOutput() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> createContext(clock));
    assertThat(outputFile).doesNotExist();
    ssc.start();
    moveIn("1", base + 500, "c d");
    runBatch(clock, base + 1000);
    assertThat(Files.readAllLines(outputFile)).containsExactly("Counts at time " + (base + 1000) + " {d=1} dropped 1");
  }

  @Test
  void aContextMadeOutsideGetOrCreateIsNotRecovering() {
    ssc = new StreamingContext(new StreamingConf().setMaster("local[1]"), Durations.seconds(1));
    assertThat(ssc.isRecovering()).isFalse();
  }
}
