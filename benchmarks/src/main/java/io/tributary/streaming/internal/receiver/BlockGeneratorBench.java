package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.internal.block.BlockStore;
import bench.jmh.MicroBenchmark;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * JMH: records per second through {@link BlockGenerator#add}, the call behind every single-record
 * {@code Receiver.store}, and through {@link BlockGenerator#addText}, where the lines of socket text
 * streams (W1, W2, W3, W5) go (the socket receiver adds whole 64 KB reads at once; one line per
 * call here is the worst case). Blocks are cut every block interval and pushed by threads of
 * their own, here to a consumer that only counts. It lives in the benchmarks module but in
 * {@code BlockGenerator}'s package, which is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BlockGeneratorBench extends MicroBenchmark {
  private static final String RECORD = "w5031 w7556 w2481 w3172 w6781 w4071 w8856 w8519 w7328 w8706";
  private static final byte[] LINE = (RECORD + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** {@code streaming.blockInterval}, default 200 ms. */
  @Param("200")
  public long blockIntervalMs;

  /** {@code streaming.blockQueueSize}, default 10. */
  @Param("10")
  public int queueSize;

  private final AtomicLong pushed = new AtomicLong();
  private BlockGenerator generator;

  @Setup
  public void start() {
    generator = new BlockGenerator("jmh", blockIntervalMs, queueSize, (block, reserved) -> pushed.addAndGet(block.count()));
    generator.start();
  }

  @Benchmark
  public void add() {
    generator.add(RECORD, 0);
  }

  /** The same line through the text path of socket text streams (kept as UTF-8 bytes, see {@link TextBlock}). */
  @Benchmark
  public void addText() {
    generator.addText(LINE, 0, LINE.length, 1);
  }

  @TearDown
  public void stop() {
    generator.stop();
  }
}
