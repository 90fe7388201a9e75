package io.tributary.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.StorageLevel;
import io.tributary.Tuple2;
import io.tributary.streaming.DStream;
import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.testing.ManualClock;
import io.tributary.streaming.testing.StreamingTestDriver;
import io.tributary.streaming.testing.TestInput;
import io.tributary.streaming.testing.TestOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A streaming application whose checkpoints, write-ahead log, outputs and input files all live on
 * a real HDFS ({@code hdfs://} paths, served by this module's provider).
 */
class HdfsStreamingTest {
  static final BlockingQueue<List<Integer>> TO_STORE = new LinkedBlockingQueue<>();
  static final Semaphore STORED = new Semaphore(0);
  static final Map<Long, List<Integer>> OUTPUT = new ConcurrentSkipListMap<>();
  static volatile boolean blockOutput;

  private final FileSystem hdfs = MiniHdfs.fileSystem();
  private final String root = MiniHdfs.uri("/app-" + System.nanoTime());
  private StreamingContext ssc;

  /** Stores each list the test queues as one block. */
  static final class BlockReceiver extends Receiver<Integer> {
    private transient Thread thread;

    BlockReceiver() {
      super(StorageLevel.MEMORY_ONLY);
    }

    @Override
    public void onStart() {
      thread = new Thread(() -> {
        try {
          while (!isStopped()) {
            List<Integer> block = TO_STORE.poll(50, TimeUnit.MILLISECONDS);
            if (block != null) {
              store(block);
              STORED.release();
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      thread.start();
    }

    @Override
    public void onStop() {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @AfterEach
  void tearDown() {
    blockOutput = false;
    if (ssc != null) {
      ssc.stop();
    }
    TO_STORE.clear();
    STORED.drainPermits();
    OUTPUT.clear();
  }

  private StreamingContext walApp(String checkpoint, ManualClock clock) {
    StreamingConf conf = new StreamingConf().setMaster("local[2]")
        .set("streaming.receiver.writeAheadLog.enable", "true")
        .set("spark.hadoop.dfs.replication", "1");
    StreamingContext created = new StreamingContext(conf, Durations.seconds(1), clock);
    created.checkpoint(checkpoint);
    DStream<Integer> numbers = created.receiverStream(new BlockReceiver());
    numbers.foreachRDD((rdd, time) -> OUTPUT.put(time.milliseconds(), rdd.collect().stream().sorted().toList()));
    numbers.foreachRDD(rdd -> {
      while (blockOutput) {
        Thread.sleep(20); // a batch that never completes before the crash
      }
    });
    return created;
  }

  @Test
  void aBatchPendingAtTheCrashRunsAgainWithItsBlocksReadFromTheWriteAheadLogOnHdfs() throws Exception {
    String checkpoint = root + "/checkpoint";
    long base = 1_000_000;
    ManualClock clock = new ManualClock(base);
    ssc = StreamingContext.getOrCreate(checkpoint, () -> walApp(checkpoint, clock));
    assertThat(ssc.checkpointDirectory()).startsWith("hdfs://");
    ssc.start();
    TO_STORE.addAll(List.of(List.of(7, 8), List.of(9)));
    assertThat(STORED.tryAcquire(2, 20, TimeUnit.SECONDS)).isTrue();
    blockOutput = true;
    clock.setTime(base + 1_000);
    await().atMost(Duration.ofSeconds(30)).until(() -> OUTPUT.containsKey(base + 1_000));
    ssc.stop(); // crash while the batch's second output is still running
    blockOutput = false;
    OUTPUT.clear();

    FileStatus[] segments = hdfs.listStatus(new Path(checkpoint + "/receivedData/0"));
    assertThat(segments).as("the receiver's write-ahead log is on HDFS").isNotEmpty();
    assertThat(segments[0].getPath().getName()).startsWith("log-");
    assertThat(segments[0].getReplication()).as("spark.hadoop.* settings reach Hadoop").isEqualTo((short) 1);
    assertThat(Arrays.stream(hdfs.listStatus(new Path(checkpoint))).map(s -> s.getPath().getName()))
        .anyMatch(name -> name.startsWith("checkpoint-"))
        .contains("receivedBlockMetadata");

    ManualClock later = new ManualClock(base + 1_100);
    ssc = StreamingContext.getOrCreate(checkpoint, () -> walApp(checkpoint, later));
    ssc.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> OUTPUT.containsKey(base + 1_000));
    assertThat(OUTPUT).containsExactly(Map.entry(base + 1_000, List.of(7, 8, 9)));
  }

  @Test
  void statefulCountsWriteTheirMetadataAndDataCheckpointsToHdfs() throws Exception {
    String checkpoint = root + "/state";
    List<Tuple2<String, Integer>> counts;
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.context().checkpoint(checkpoint);
      TestInput<String> in = driver.input();
      TestOutput<Tuple2<String, Integer>> out = driver.collect(in.stream()
          .mapToPair(w -> Tuple2.of(w, 1))
          .updateStateByKey((List<Integer> values, java.util.Optional<Integer> state) ->
              java.util.Optional.of(state.orElse(0) + values.stream().mapToInt(Integer::intValue).sum()))
          .checkpoint(Durations.seconds(1)));
      driver.start();
      in.addBatch("a", "b", "a").addBatch("a");
      driver.advance(2);
      counts = out.lastBatch();
    }
    assertThat(counts).containsExactlyInAnyOrder(Tuple2.of("a", 3), Tuple2.of("b", 1));
    assertThat(Arrays.stream(hdfs.listStatus(new Path(checkpoint))).map(s -> s.getPath().getName()))
        .as("metadata and data checkpoints on HDFS")
        .anyMatch(name -> name.startsWith("checkpoint-"))
        .anyMatch(name -> name.startsWith("rdd-"));
  }

  @Test
  void saveAsHadoopFilesWritesEachBatchToHdfsAndCoreReadsItBack() throws Exception {
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      TestInput<Tuple2<String, Integer>> in = driver.input();
      String prefix = root + "/counts";
      HadoopStreams.saveAsHadoopFiles(in.<String, Integer>pairStream().reduceByKey(Integer::sum),
          prefix, "out", String.class, Integer.class, org.apache.hadoop.mapred.TextOutputFormat.class);
      HadoopStreams.saveAsNewAPIHadoopFiles(in.<String, Integer>pairStream(),
          root + "/raw", null, String.class, Integer.class,
          org.apache.hadoop.mapreduce.lib.output.TextOutputFormat.class);
      in.stream().map(Tuple2::_1).saveAsTextFiles(root + "/keys", "txt");
      driver.start();
      in.addBatch(Tuple2.of("a", 1), Tuple2.of("b", 2), Tuple2.of("a", 3));
      driver.advance();

      assertThat(hdfs.exists(new Path(prefix + "-1000.out/_SUCCESS"))).isTrue();
      assertThat(hdfs.exists(new Path(prefix + "-1000.out/_temporary"))).isFalse();
      assertThat(driver.context().rddContext().textFile(prefix + "-1000.out").collect())
          .containsExactlyInAnyOrder("a\t4", "b\t2");
      assertThat(driver.context().rddContext().textFile(root + "/raw-1000").collect())
          .containsExactlyInAnyOrder("a\t1", "b\t2", "a\t3");
      assertThat(driver.context().rddContext().textFile(root + "/keys-1000.txt").collect())
          .containsExactlyInAnyOrder("a", "b", "a");
    }
  }

  private void moveIn(String dir, String name, long modified, String... lines) throws IOException {
    Path staging = new Path(root + "/staging/" + name);
    try (FSDataOutputStream out = hdfs.create(staging)) {
      out.write((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    hdfs.setTimes(staging, modified, -1);
    assertThat(hdfs.rename(staging, new Path(dir, name))).isTrue();
  }

  @Test
  void fileStreamsReadNewFilesOfAnHdfsDirectory() throws Exception {
    long start = System.currentTimeMillis() / 1000 * 1000;
    String dir = root + "/incoming";
    hdfs.mkdirs(new Path(dir));
    hdfs.mkdirs(new Path(root + "/staging"));
    try (StreamingTestDriver driver = new StreamingTestDriver(Durations.seconds(1))) {
      driver.clock().setTime(start);
      TestOutput<String> lines = driver.collect(driver.context().textFileStream(dir));
      TestOutput<String> viaInputFormat = driver.collect(HadoopStreams
          .fileStream(driver.context(), dir, LongWritable.class, Text.class, TextInputFormat.class)
          .map(kv -> kv._2().toString()));
      driver.start();
      moveIn(dir, "one.txt", start + 100, "x", "y");
      moveIn(dir, "_hidden", start + 100, "no");
      driver.advance();
      moveIn(dir, "two.txt", start + 1_100, "z");
      driver.advance();

      assertThat(lines.batch(0)).containsExactly("x", "y");
      assertThat(lines.batch(1)).containsExactly("z");
      assertThat(viaInputFormat.batches()).isEqualTo(lines.batches());
    }
  }
}
