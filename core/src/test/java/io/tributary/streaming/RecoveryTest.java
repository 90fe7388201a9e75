package io.tributary.streaming;

import io.tributary.BatchFailedException;
import io.tributary.Durations;
import io.tributary.State;
import io.tributary.StreamingConf;
import io.tributary.Time;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Tuple2;
import io.tributary.streaming.internal.checkpoint.Checkpoint;
import io.tributary.streaming.internal.checkpoint.CheckpointFiles;
import io.tributary.streaming.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Metadata checkpoints and getOrCreate, in one JVM with a manual clock. */
class RecoveryTest {
  static final Map<Long, List<String>> OUTPUT = new ConcurrentSkipListMap<>();

  @TempDir Path input;
  @TempDir Path staging;
  private boolean throughRefusingFileSystem;
  @TempDir Path checkpoints;
  private long base;
  private StreamingContext ssc;

  @BeforeEach
  void setUp() {
    OUTPUT.clear();
    outputFailsOnceAt = -1;
    RefusingFileSystems.refuse.set(0);
    base = (System.currentTimeMillis() / 1000) * 1000 + 60_000;
  }

  @AfterEach
  void tearDown() {
    if (ssc != null) {
      ssc.stop();
    }
  }

  private StreamingContext app(ManualClock clock) {
    StreamingContext created =
        new StreamingContext(new StreamingConf().setMaster("local[2]"), Durations.seconds(1), clock);
    created.checkpoint(checkpoints.toString());
    created.textFileStream(input.toString())
        .foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(), rdd.collect()));
    return created;
  }

  /** Moves a file with {@code lines} in, modified at {@code modifiedAt}. */
  private void moveIn(String name, long modifiedAt, String... lines) throws Exception {
    moveIn(staging, input, name, modifiedAt, lines);
  }

  /** Writes {@code lines} to {@code staging}, modified at {@code modifiedAt}, then moves the file into {@code dir}. */
  static void moveIn(Path staging, Path dir, String name, long modifiedAt, String... lines) throws Exception {
    Path file = staging.resolve(name);
    Files.write(file, List.of(lines));
    Files.setLastModifiedTime(file, FileTime.fromMillis(modifiedAt));
    Files.move(file, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  private void runBatch(ManualClock clock, long time) throws InterruptedException {
    runBatch(ssc, clock, time);
  }

  /** Moves {@code clock} to {@code time} and waits until {@code ssc} completed that batch. */
  static void runBatch(StreamingContext ssc, ManualClock clock, long time) throws InterruptedException {
    clock.setTime(time);
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(time), 30_000)).isTrue();
  }

  @Test
  void batchesDueWhileDownRunAfterRecoveryAndReadTheirFilesOnce() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(clock));
    ssc.start();
    moveIn("a", base + 500, "a1", "a2");
    runBatch(clock, base + 1000);
    moveIn("b", base + 1500, "b1");
    runBatch(clock, base + 2000);
    ssc.stop(); // a crash: no final checkpoint, the last one is that of batch base + 2000

    moveIn("c", base + 2500, "c1");
    moveIn("d", base + 3500, "d1", "d2");
    ManualClock later = new ManualClock(base + 4200);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(later));
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 4000), 30_000)).isTrue();
    runBatch(later, base + 5000);

    Map<Long, List<String>> expected = new TreeMap<>();
    expected.put(base + 1000, List.of("a1", "a2"));
    expected.put(base + 2000, List.of("b1"));
    expected.put(base + 3000, List.of("c1"));
    expected.put(base + 4000, List.of("d1", "d2"));
    expected.put(base + 5000, List.of());
    assertThat(OUTPUT).containsExactlyEntriesOf(expected);
  }

  @Test
  void aBatchPendingAtTheCrashRunsAgainWithTheSameFiles() throws Exception {
    ManualClock clock = new ManualClock(base);
    StreamingContext first = app(clock);
    first.textFileStream(input.toString()).foreachRDD(rdd -> {
      if (rdd.count() > 0 && rdd.first().startsWith("slow")) {
        Thread.sleep(60_000); // never completes before the "crash"
      }
    });
    ssc = first;
    ssc.start();
    moveIn("a", base + 500, "a1");
    runBatch(clock, base + 1000);
    moveIn("s", base + 1500, "slow1");
    clock.setTime(base + 2000);
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20))
        .until(() -> OUTPUT.containsKey(base + 2000));
    ssc.stop(); // batch base + 2000 generated, its second output never finished
    OUTPUT.clear();

    ManualClock later = new ManualClock(base + 2100);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(later));
    ssc.start();
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 2000), 30_000)).isTrue();

    assertThat(OUTPUT).containsExactly(Map.entry(base + 2000, List.of("slow1")));
  }

  @Test
  void recoveryWithAnotherBatchDurationFailsNamingBoth() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> app(clock));
    ssc.start();
    runBatch(clock, base + 1000);
    ssc.stop(true);

    assertThatThrownBy(
            () ->
                StreamingContext.getOrCreate(
                    checkpoints.toString(),
                    () -> {
                      StreamingContext other =
                          new StreamingContext(new StreamingConf().setMaster("local[2]"), Durations.seconds(2), clock);
                      other.textFileStream(input.toString()).print();
                      return other;
                    }))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("batches of 1000 ms")
        .hasMessageContaining("batches of 2000 ms");
  }

  @Test
  void withoutACheckpointTheFactoryDefinesANewApplication() {
    ManualClock clock = new ManualClock(base);
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ssc = StreamingContext.getOrCreate(checkpoints.resolve("fresh").toString(), () -> {
      calls.incrementAndGet();
      StreamingContext created = new StreamingContext(new StreamingConf().setMaster("local[2]"), Durations.seconds(1), clock);
      created.textFileStream(input.toString()).print();
      return created;
    });

    assertThat(calls).hasValue(1);
    assertThat(ssc.getState()).isEqualTo(StreamingContextState.INITIALIZED);
    assertThat(ssc.checkpointDirectory()).as("set by getOrCreate").endsWith("fresh");
  }

  @Test
  void whenNoCheckpointFileIsReadableTheErrorNamesThemAndWhatStartingAnewDiscards() throws Exception {
    java.nio.file.Files.writeString(checkpoints.resolve("checkpoint-5000"), "damaged");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StreamingContext.getOrCreate(checkpoints.toString(),
            () -> new StreamingContext(new StreamingConf().setMaster("local[2]"), Durations.seconds(1))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("checkpoint-5000: too short")
        .hasMessageContaining("Restore a readable checkpoint file there, or pass createOnError=true to start a "
            + "new application without the state they held");
  }

  private StreamingContext statefulApp(ManualClock clock, String stateName, boolean mapWithState) {
    StreamingContext created =
        new StreamingContext(new StreamingConf().setMaster("local[2]"), Durations.seconds(1), clock);
    created.checkpoint(checkpoints.toString());
    PairDStream<String, Integer> words =
        created.textFileStream(input.toString()).mapToPair(line -> new Tuple2<>(line, 1));
    if (mapWithState) {
      words.mapWithState(StateSpec.function((String w, java.util.Optional<Integer> one, State<Integer> s) -> {
            s.update(one.orElse(0) + s.getOption().orElse(0));
            return w;
          }))
          .name(stateName)
          .print();
    } else {
      words.updateStateByKey((List<Integer> ones, java.util.Optional<Integer> total) ->
              java.util.Optional.of(total.orElse(0) + ones.size()))
          .name(stateName)
          .foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(),
              rdd.collect().stream().map(Tuple2::toString).sorted().toList()));
    }
    return created;
  }

  private void runStatefulAppOnce() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> statefulApp(clock, "counts", false));
    ssc.start();
    moveIn("a", base + 500, "x", "y", "x");
    runBatch(clock, base + 1000);
    ssc.stop();
  }

  @Test
  void namedStateIsRestoredEvenWhenStreamsAreAddedBeforeIt() throws Exception {
    runStatefulAppOnce();

    moveIn("b", base + 1500, "x");
    ManualClock later = new ManualClock(base + 1200);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> {
      StreamingContext upgraded = new StreamingContext(
          new StreamingConf().setMaster("local[2]"), Durations.seconds(1), later);
      upgraded.queueStream(new java.util.ArrayDeque<io.tributary.rdd.Rdd<String>>()).print(); // a new stream first
      upgraded.checkpoint(checkpoints.toString());
      return statefulAppInto(upgraded);
    });
    ssc.start();
    runBatch(later, base + 2000);

    assertThat(OUTPUT).as("outputs").containsEntry(base + 2000, List.of("(x,3)", "(y,1)"));
  }

  private StreamingContext statefulAppInto(StreamingContext created) {
    created.textFileStream(input.toString()).mapToPair(line -> new Tuple2<>(line, 1))
        .updateStateByKey((List<Integer> ones, java.util.Optional<Integer> total) ->
            java.util.Optional.of(total.orElse(0) + ones.size()))
        .name("counts")
        .foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(),
            rdd.collect().stream().map(Tuple2::toString).sorted().toList()));
    return created;
  }

  @Test
  void aRenamedStatefulStreamFailsRecoveryNamingIt() throws Exception {
    runStatefulAppOnce();

    ManualClock later = new ManualClock(base + 1200);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> statefulApp(later, "totals", false));

    assertThatThrownBy(() -> ssc.start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'counts'")
        .hasMessageContaining("has no stream with that key")
        .hasMessageContaining("delete the checkpoint directory");
  }

  @Test
  void aStatefulStreamOfAnotherKindFailsRecoveryNamingBothKinds() throws Exception {
    runStatefulAppOnce();

    ManualClock later = new ManualClock(base + 1200);
    ssc = StreamingContext.getOrCreate(checkpoints.toString(), () -> statefulApp(later, "counts", true));

    assertThatThrownBy(() -> ssc.start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("'counts' (StateDStream(updateStateByKey))")
        .hasMessageContaining("StateDStream(mapWithState)");
  }

  // ---------------------------------------------------------------- failed batches and recovery

  /** When set, the state function fails on the word "poison" (the value -1). */
  static volatile boolean poisonFails;
  /** The batch time whose first output attempt fails, or -1. */
  static volatile long outputFailsOnceAt;

  /** Running word counts over the files; the state is checkpointed every batch. */
  private StreamingContext countingApp(ManualClock clock) {
    StreamingContext created = new StreamingContext(
        new StreamingConf().setMaster("local[2]").set("streaming.batch.maxRetries", "1")
            .set("streaming.batch.retryBackoff", "5ms"), Durations.seconds(1), clock);
    created.checkpoint(countingCheckpoint());
    created.textFileStream(input.toString())
        .mapToPair(word -> new Tuple2<>(word, word.equals("poison") ? -1 : 1))
        .updateStateByKey((List<Integer> values, java.util.Optional<Integer> count) -> {
          if (poisonFails && values.contains(-1)) {
            throw new IllegalStateException("poison");
          }
          return java.util.Optional.of(count.orElse(0) + values.size());
        })
        .name("counts")
        .checkpoint(Durations.seconds(1))
        .foreachRDD((rdd, time) -> {
          List<String> counts = rdd.map(Tuple2::toString).collect().stream().sorted().toList();
          if (time.milliseconds() == outputFailsOnceAt) {
            outputFailsOnceAt = -1;
            throw new IllegalStateException("the sink is down for one attempt"); // the state is computed already
          }
          OUTPUT.put(time.milliseconds(), counts);
        });
    return created;
  }

  /** The counting application's checkpoint directory: local, or through {@link RefusingFileSystems}. */
  private String countingCheckpoint() {
    return throughRefusingFileSystem ? RefusingFileSystems.SCHEME + checkpoints : checkpoints.toString();
  }

  /** Starts the counting application and runs its first batch, over the words x and y. */
  private ManualClock startCountingXAndY() throws Exception {
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(countingCheckpoint(), () -> countingApp(clock));
    ssc.start();
    moveIn("a", base + 500, "x", "y");
    runBatch(clock, base + 1000);
    return clock;
  }

  /** Starts the counting application again from its checkpoint, at {@code now}. */
  private void restartCounting(long now) {
    ManualClock later = new ManualClock(now);
    ssc = StreamingContext.getOrCreate(countingCheckpoint(), () -> countingApp(later));
    ssc.start();
  }

  @Test
  void aStateBatchThatFailsForGoodStopsTheContextAndARestartRunsItWithExactState() throws Exception {
    poisonFails = true;
    ManualClock clock = startCountingXAndY();
    moveIn("b", base + 1500, "x", "poison");
    clock.setTime(base + 2000);
    StreamingContext failed = ssc;
    assertThatThrownBy(() -> failed.runtime().jobScheduler().awaitBatch(new Time(base + 2000), 30_000))
        .isInstanceOf(BatchFailedException.class).hasRootCauseMessage("poison");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> failed.getState() == StreamingContextState.STOPPED);
    assertThatThrownBy(failed::awaitTermination).isInstanceOf(BatchFailedException.class);
    assertThat(OUTPUT).containsOnlyKeys(base + 1000);

    poisonFails = false; // the cause is fixed; the restart runs batch base + 2000 again
    moveIn("c", base + 2500, "y");
    restartCounting(base + 3100);
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + 3000), 30_000)).isTrue();

    assertThat(OUTPUT).containsExactlyEntriesOf(new TreeMap<>(Map.of(
        base + 1000, List.of("(x,1)", "(y,1)"),
        base + 2000, List.of("(poison,1)", "(x,2)", "(y,1)"),
        base + 3000, List.of("(poison,1)", "(x,2)", "(y,2)"))));
  }

  /**
   * Serves {@code refusing:<local path>}: the local file system, except that it refuses to create
   * the next {@link #refuse} part files of data checkpoints ({@code rdd-*}{@code /part-*}), as a
   * store that rejects writes for a moment. Registered for the tests in META-INF/services.
   */
  public static final class RefusingFileSystems implements io.tributary.fs.FileSystemProvider {
    static final String SCHEME = "refusing:";
    static final java.util.concurrent.atomic.AtomicInteger refuse = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public boolean supports(String scheme) {
      return scheme.equals("refusing");
    }

    @Override
    public io.tributary.fs.FileSystem fileSystem(String scheme, Map<String, String> settings) {
      io.tributary.fs.FileSystem local = io.tributary.fs.FileSystems.forPath("/", settings);
      return new io.tributary.fs.FileSystem() {
        @Override
        public String qualify(String path) throws java.io.IOException {
          return SCHEME + local.qualify(local(path));
        }

        @Override
        public io.tributary.fs.FileStatus status(String path) throws java.io.IOException {
          return ours(local.status(local(path)));
        }

        @Override
        public List<io.tributary.fs.FileStatus> list(String directory) throws java.io.IOException {
          return local.list(local(directory)).stream().map(RefusingFileSystems::ours).toList();
        }

        @Override
        public java.io.InputStream open(String path) throws java.io.IOException {
          return local.open(local(path));
        }

        @Override
        public io.tributary.fs.RandomAccessInput openRandomAccess(String path) throws java.io.IOException {
          return local.openRandomAccess(local(path));
        }

        @Override
        public io.tributary.fs.FsOutputStream create(String path, boolean overwrite) throws java.io.IOException {
          String[] parts = local(path).split("/");
          if (parts.length > 1 && parts[parts.length - 1].startsWith("part-") && parts[parts.length - 2].startsWith("rdd-")
              && refuse.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new java.io.IOException("No space left on device (refused by the test): " + path);
          }
          return local.create(local(path), overwrite);
        }

        @Override
        public boolean delete(String path, boolean recursive) throws java.io.IOException {
          return local.delete(local(path), recursive);
        }

        @Override
        public void mkdirs(String path) throws java.io.IOException {
          local.mkdirs(local(path));
        }

        @Override
        public boolean rename(String from, String to) throws java.io.IOException {
          return local.rename(local(from), local(to));
        }
      };
    }

    private static String local(String path) {
      return path.startsWith(SCHEME) ? path.substring(SCHEME.length()) : path;
    }

    private static io.tributary.fs.FileStatus ours(io.tributary.fs.FileStatus status) {
      return new io.tributary.fs.FileStatus(SCHEME + status.path(), status.directory(), status.length(),
          status.modificationTime());
    }
  }

  /** The newest metadata checkpoint. */
  private Checkpoint newestCheckpoint() {
    return new CheckpointFiles(Map.of(), checkpoints.toString(), 10).readLatest()
        .orElseThrow();
  }

  /** The data checkpoint directories the metadata checkpoint {@code file} refers to. */
  private static Set<String> referencedBy(Path file) throws Exception {
    Path alone = Files.createTempDirectory("one-checkpoint");
    try {
      Files.copy(file, alone.resolve(file.getFileName()));
      Checkpoint checkpoint = new CheckpointFiles(Map.of(), alone.toString(), 1)
          .readLatest().orElseThrow();
      Set<String> dirs = new TreeSet<>();
      checkpoint.streams().values().forEach(stream -> stream.entries().values().forEach(entry -> {
        if (entry instanceof Checkpoint.CheckpointedRdd rdd) {
          dirs.add(rdd.directory());
        }
      }));
      return dirs;
    } finally {
      try (java.util.stream.Stream<Path> files = Files.list(alone)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(alone);
    }
  }

  private List<Path> metadataCheckpoints() throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(checkpoints)) {
      return files.filter(p -> p.getFileName().toString().matches("checkpoint-\\d+"))
          .sorted(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(11))))
          .toList();
    }
  }

  private Set<String> dataCheckpointsOnDisk() throws Exception {
    try (java.util.stream.Stream<Path> files = Files.list(checkpoints)) {
      return files.filter(p -> p.getFileName().toString().startsWith("rdd-") && Files.isDirectory(p))
          .map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }
  }

  private static String name(String dir) {
    return dir.substring(dir.lastIndexOf('/') + 1);
  }

  @Test
  void cleanupKeepsTheDataCheckpointsOfTheLiveStateAndOfEveryKeptMetadataCheckpointSoTheOldestOneRecoversExactly()
      throws Exception {
    poisonFails = false;
    outputFailsOnceAt = base + 8000; // one failed attempt in the middle: retried, the batch counted once
    throughRefusingFileSystem = true;
    ManualClock clock = startCountingXAndY();
    int last = 15;
    Set<String> seen = new TreeSet<>();
    for (int b = 2; b <= last; b++) {
      moveIn("f" + b, base + b * 1000L - 500, "x", "w" + b % 3);
      if (b == 5) {
        RefusingFileSystems.refuse.set(1); // the state's data checkpoint of batch 5 fails once: the batch is retried
      }
      runBatch(clock, base + b * 1000L);
      assertThat(newestCheckpoint().streams().get("counts").entries())
          .as("batch %d: its state is in a data checkpoint the newest metadata checkpoint refers to", b)
          .containsKey(base + b * 1000L);

      Set<String> live = new TreeSet<>();
      for (DStreamLike<?, ?, ?> stream : ssc.runtime().graph().streams()) {
        StateLineage.reachableCheckpoints(stream.rememberedDatasets()).forEach(dir -> live.add(name(dir)));
      }
      Set<String> kept = new TreeSet<>();
      for (Path file : metadataCheckpoints()) {
        referencedBy(file).forEach(dir -> kept.add(name(dir)));
      }
      Set<String> onDisk = dataCheckpointsOnDisk();
      assertThat(onDisk).as("batch %d: data checkpoints the running state reads", b).containsAll(live);
      assertThat(onDisk).as("batch %d: data checkpoints the kept metadata checkpoints refer to", b).containsAll(kept);
      Set<String> referenced = new TreeSet<>(live);
      referenced.addAll(kept);
      assertThat(onDisk).as("batch %d: nothing else is kept", b).isEqualTo(referenced);
      seen.addAll(onDisk);
    }
    List<Path> files = metadataCheckpoints();
    assertThat(files).as("streaming.checkpoint.keep").hasSize(10);
    assertThat(seen).as("data checkpoints cleaned up").hasSizeGreaterThan(dataCheckpointsOnDisk().size());
    TreeMap<Long, List<String>> firstRun = new TreeMap<>(OUTPUT);
    assertThat(firstRun.get(base + last * 1000L)).containsExactly(
        "(w0,5)", "(w1,4)", "(w2,5)", "(x," + last + ")", "(y,1)");
    assertThat(outputFailsOnceAt).as("the output of batch 8 failed once").isEqualTo(-1);
    assertThat(RefusingFileSystems.refuse).as("the data checkpoint write of batch 5 was refused").hasValue(0);
    assertThat(firstRun).as("the retried batch counted once").containsEntry(base + 8000,
        List.of("(w0,2)", "(w1,2)", "(w2,3)", "(x,8)", "(y,1)"));
    ssc.stop(); // a crash

    // every newer metadata checkpoint is lost: recovery starts from the oldest kept one and replays the rest
    for (Path newer : files.subList(1, files.size())) {
      Files.delete(newer);
    }
    long oldest = Long.parseLong(files.get(0).getFileName().toString().substring(11));
    OUTPUT.clear();
    restartCounting(base + last * 1000L + 100);
    assertThat(ssc.runtime().jobScheduler().awaitBatch(new Time(base + last * 1000L), 30_000)).isTrue();

    assertThat(OUTPUT).as("batches after the oldest kept checkpoint, run again")
        .isEqualTo(new TreeMap<>(firstRun.tailMap(oldest, false)));
  }

  @Test
  void aDamagedDataCheckpointStopsTheRecoveredContextNamingTheFileInsteadOfFailingEveryBatch() throws Exception {
    poisonFails = false;
    ManualClock clock = startCountingXAndY();
    moveIn("b", base + 1500, "x");
    runBatch(clock, base + 2000);
    ssc.stop(); // a crash
    List<Path> parts;
    try (java.util.stream.Stream<Path> files = Files.walk(checkpoints)) {
      parts = files.filter(p -> p.getFileName().toString().startsWith("part-")).toList();
    }
    assertThat(parts).isNotEmpty();
    for (Path part : parts) { // flip a byte in the middle of every data checkpoint file
      byte[] bytes = Files.readAllBytes(part);
      bytes[bytes.length / 2] ^= 0x5a;
      Files.write(part, bytes);
    }

    restartCounting(base + 3100);
    StreamingContext recovered = ssc;
    assertThatThrownBy(() -> recovered.runtime().jobScheduler().awaitBatch(new Time(base + 3000), 30_000))
        .isInstanceOf(BatchFailedException.class)
        .hasStackTraceContaining("Cannot read data checkpoint file '")
        .hasStackTraceContaining("/rdd-")
        .hasStackTraceContaining("Restore it");
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
        .until(() -> recovered.getState() == StreamingContextState.STOPPED);
    assertThat(OUTPUT).doesNotContainKey(base + 3000);
  }
}
