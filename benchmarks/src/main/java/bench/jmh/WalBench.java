package bench.jmh;

import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.internal.wal.WalHandle;
import java.io.IOException;
import java.nio.file.Files;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * JMH: {@link FileWriteAheadLog#write} of 1 KB and 64 KB records into a temporary directory on the
 * local disk, with {@code hflush} and with {@code fsync} ({@code hsync}): with the receiver
 * write-ahead log on, every block a receiver stores waits for one such write before it counts as
 * received. One writing thread, so no group commit: each write is an append and a flush. Record
 * times advance one per write and a segment spans about 64 MB of records; old segments are
 * cleaned at each roll, as the tracker does, which bounds the disk used.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class WalBench extends MicroBenchmark {
  private static final long SEGMENT_BYTES = 64L << 20;

  @Param({"1024", "65536"})
  public int size;

  @Param({"false", "true"})
  public boolean fsync;

  private final java.util.Map<String, String> conf = java.util.Map.of();
  private String dir;
  private FileWriteAheadLog log;
  private byte[] payload;
  private long recordsPerSegment;
  private long time;

  @Setup
  public void open() throws IOException {
    dir = Files.createTempDirectory("tributary-jmh-wal").toString();
    recordsPerSegment = Math.max(1, SEGMENT_BYTES / size);
    log = new FileWriteAheadLog(conf, dir, recordsPerSegment, fsync);
    payload = new byte[size];
    new SplittableRandom(42).nextBytes(payload);
  }

  /** One record appended and durable (flushed, or synced with {@code fsync}). */
  @Benchmark
  public WalHandle write() {
    long t = time++;
    if (t % recordsPerSegment == 0) {
      log.clean(t);
    }
    return log.write(payload, t);
  }

  @TearDown
  public void close() {
    log.close();
    FileWriteAheadLog.deleteAll(conf, dir);
  }
}
