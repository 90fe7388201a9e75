package io.tributary.streaming.internal.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystems;
import io.tributary.fs.FsOutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A write-ahead log in rolling segment files, through the {@link FileSystem} of the directory's
 * scheme (local disk; {@code hdfs://} and other Hadoop file systems with {@code tributary-hadoop}).
 *
 * <p>Each record is framed as a 4-byte length, a 4-byte CRC32 of the payload, and the payload.
 * {@link #write} returns once the record is durable: {@code hflush} (survives the process dying)
 * or, with {@code fsync}, {@code hsync} (survives the machine dying). Writes from many threads are
 * group-committed: one writer thread appends everything queued and flushes once for all of them.
 * A segment covers a span of {@code rollingIntervalMs} of record times and is named {@code
 * log-<start>-<end>}; {@link #clean} deletes the segments that end before a time; other files in
 * the directory are ignored ({@link #readAll} warns about them). Reading back ({@link #readAll})
 * stops cleanly at a torn tail: a frame cut short or failing its checksum at the end of a segment,
 * as left by a crash in the middle of a write. Damaged bytes in the middle of a segment are
 * skipped, with a warning, up to the next frame whose length and checksum are valid; a record read
 * by its handle is found by its length and checksum if bytes before it were cut out or added.
 */
public final class FileWriteAheadLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileWriteAheadLog.class);
  private static final String PREFIX = "log-";
  private static final Pattern SEGMENT = Pattern.compile("log-(-?\\d{1,19})-(-?\\d{1,19})(\\.\\d+)?");

  private final FileSystem fs;
  private final String dir;
  private final long rollingIntervalMs;
  private final boolean fsync;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final AtomicLong flushes = new AtomicLong();
  private volatile boolean closed; // changed, and checked before queueing, under queue's lock
  private FsOutputStream out;
  private String current;
  private long currentEnd = Long.MIN_VALUE;

  private record Pending(byte[] payload, long time, CompletableFuture<WalHandle> done) {}

  /** A log in {@code directory}, on the file system its scheme names, configured with {@code settings}. */
  public FileWriteAheadLog(Map<String, String> settings, String directory, long rollingIntervalMs, boolean fsync) {
    this.fs = FileSystems.forPath(directory, settings);
    this.dir = directory;
    this.rollingIntervalMs = Math.max(1, rollingIntervalMs);
    this.fsync = fsync;
    this.writer = new Thread(this::writeLoop, "tributary-wal-" + nameOf(dir));
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** Appends {@code payload} as written at {@code time} and returns once it is durable. */
  public WalHandle write(byte[] payload, long time) {
    if (payload.length > SegmentReader.MAX_PAYLOAD) {
      throw new IllegalArgumentException("A record of " + payload.length + " bytes is larger than the "
          + SegmentReader.MAX_PAYLOAD + " a write-ahead log record may hold: store smaller blocks");
    }
    CompletableFuture<WalHandle> done = new CompletableFuture<>();
    synchronized (queue) { // so nothing is queued behind the end marker, where no one would write it
      if (closed) {
        throw new IllegalStateException("The write-ahead log in " + dir + " is closed");
      }
      queue.add(new Pending(payload, time, done));
    }
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while writing to the write-ahead log in " + dir, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IllegalStateException closedFirst) {
        throw new IllegalStateException(closedFirst.getMessage(), closedFirst);
      }
      throw new UncheckedIOException(
          "Cannot write to the write-ahead log in " + dir + ": " + e.getCause().getMessage(),
          e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
    }
  }

  /** How many flushes made writes durable so far (group commit makes it fewer than the writes). */
  public long flushCount() {
    return flushes.get();
  }

  private void writeLoop() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (true) {
        Pending first = queue.take();
        if (first.payload() == null) {
          return;
        }
        batch.add(first);
        queue.drainTo(batch);
        boolean stop = batch.removeIf(p -> p.payload() == null);
        List<WalHandle> handles = new ArrayList<>(batch.size());
        try {
          for (Pending p : batch) {
            handles.add(append(p.payload(), p.time()));
          }
          if (fsync) {
            out.hsync();
          } else {
            out.hflush();
          }
          flushes.incrementAndGet();
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(handles.get(i));
          }
        } catch (IOException | RuntimeException e) {
          batch.forEach(p -> p.done().completeExceptionally(e));
        }
        batch.clear();
        if (stop) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeSegment();
      failUnwritten();
    }
  }

  /** Once the writer has ended (closed, or died): fails what is still queued, and any later write. */
  private void failUnwritten() {
    List<Pending> left = new ArrayList<>();
    synchronized (queue) {
      closed = true;
      queue.drainTo(left);
    }
    IllegalStateException end = new IllegalStateException("The write-ahead log in " + dir + " was closed before this write");
    left.stream().filter(p -> p.done() != null).forEach(p -> p.done().completeExceptionally(end));
  }

  private WalHandle append(byte[] payload, long time) throws IOException {
    if (out == null || time >= currentEnd) {
      closeSegment();
      long start = Math.floorDiv(time, rollingIntervalMs) * rollingIntervalMs;
      currentEnd = start + rollingIntervalMs;
      current = fs.child(dir, PREFIX + start + "-" + currentEnd);
      fs.mkdirs(dir);
      if (fs.exists(current)) { // written before a restart: never append to another run's segment
        current = fs.child(dir, PREFIX + start + "-" + currentEnd + "." + System.nanoTime());
      }
      out = fs.create(current, false);
    }
    long offset = out.position();
    int crc = SegmentReader.crcOf(payload);
    int length = payload.length;
    out.write(new byte[] {
        (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length,
        (byte) (crc >>> 24), (byte) (crc >>> 16), (byte) (crc >>> 8), (byte) crc});
    out.write(payload);
    return new WalHandle(current, offset, payload.length, crc);
  }

  private void closeSegment() {
    if (out != null) {
      try {
        out.close();
      } catch (IOException e) {
        LOG.warn("Could not close write-ahead log segment {}", current, e);
      }
      out = null;
    }
  }

  /**
   * Reads one record back. Fails with {@link UnreadableRecordException} when its segment is
   * missing or its bytes are damaged, and with {@link UncheckedIOException} when the segment
   * cannot be read now (the file system failing).
   */
  public static byte[] read(Map<String, String> settings, WalHandle handle) {
    String path = handle.segment();
    try (SegmentReader segment = new SegmentReader(FileSystems.forPath(path, settings), path)) {
      SegmentReader.Frame frame = segment.frameAt(handle.offset());
      if (frame.valid() && frame.payload().length != handle.length()) {
        frame = SegmentReader.Frame.invalid("frame length " + frame.payload().length + " where " + handle.length() + " was written");
      } else if (frame.valid() && handle.checksum() != null && frame.crc() != handle.checksum()) {
        frame = SegmentReader.Frame.invalid("another record than the one written there");
      }
      if (frame.valid()) {
        return frame.payload();
      }
      long moved = handle.checksum() == null ? -1 : segment.find(handle.length(), handle.checksum(), handle.offset());
      if (moved < 0) {
        throw new UnreadableRecordException(handle, frame.problem());
      }
      LOG.warn("Write-ahead log record expected at offset {} of {} was found intact at offset {}: "
          + "bytes before it were cut out or added. Records near it may be damaged: check the storage "
          + "of the checkpoint directory", handle.offset(), path, moved);
      return segment.frameAt(moved).payload();
    } catch (java.io.FileNotFoundException e) {
      throw new UnreadableRecordException(handle, "the segment file does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the write-ahead log record at " + handle + ": " + e.getMessage(), e);
    }
  }

  /** Every intact record of every segment of {@code directory}, oldest segment first. */
  public static Iterator<byte[]> readAll(Map<String, String> settings, String directory) {
    return contents(settings, directory).records().iterator();
  }

  /**
   * What a log holds: its intact records in log order, each with its handle, and how many damaged
   * bytes in the middle of segments were skipped (a torn tail is not damage).
   */
  public record Contents(List<WalHandle> handles, List<byte[]> records, long damagedBytes) {}

  /** Reads every intact record of every segment of {@code directory}, oldest segment first. */
  public static Contents contents(Map<String, String> settings, String directory) {
    List<WalHandle> handles = new ArrayList<>();
    List<byte[]> records = new ArrayList<>();
    long damaged = scan(settings, directory, (handle, payload) -> {
      handles.add(handle);
      records.add(payload);
    });
    return new Contents(handles, records, damaged);
  }

  /** The handles of every intact record of {@code directory}, in log order (payloads not kept). */
  public static List<WalHandle> handles(Map<String, String> settings, String directory) {
    List<WalHandle> handles = new ArrayList<>();
    scan(settings, directory, (handle, payload) -> handles.add(handle));
    return handles;
  }

  private interface FrameVisitor {
    void visit(WalHandle handle, byte[] payload);
  }

  /** Visits every intact record of {@code directory} in log order; returns the damaged bytes skipped. */
  private static long scan(Map<String, String> settings, String directory, FrameVisitor visitor) {
    FileSystem fs = FileSystems.forPath(directory, settings);
    long damaged = 0;
    for (String segment : segments(fs, directory, true)) {
      damaged += scanSegment(fs, segment, visitor);
    }
    return damaged;
  }

  /** Reads the frames of {@code segment} in order, skipping damaged bytes up to the next valid frame. */
  private static long scanSegment(FileSystem fs, String segment, FrameVisitor visitor) {
    long damaged = 0;
    try (SegmentReader in = new SegmentReader(fs, segment)) {
      long offset = 0;
      while (offset < in.size()) {
        SegmentReader.Frame frame = in.frameAt(offset);
        if (frame.valid()) {
          byte[] payload = frame.payload();
          visitor.visit(new WalHandle(segment, offset, payload.length, frame.crc()), payload);
          offset += SegmentReader.HEADER + payload.length;
          continue;
        }
        long next = in.nextFrame(offset + 1);
        if (next < 0) {
          LOG.warn("Write-ahead log segment {} ends with a torn record at offset {} ({}): reading stops "
              + "there, as after a crash in the middle of a write; nothing to do", segment, offset, frame.problem());
          return damaged;
        }
        LOG.warn("Write-ahead log segment {} is damaged: skipped {} byte(s) at offset {} ({}) up to the next "
            + "intact record; the records in them are lost, those after them are read. Check the storage "
            + "of the checkpoint directory", segment, next - offset, offset, frame.problem());
        damaged += next - offset;
        offset = next;
      }
      return damaged;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read write-ahead log segment " + segment, e);
    }
  }

  /** Deletes the segments whose span ends at or before {@code threshold} (the open one excepted). */
  public void clean(long threshold) {
    for (String segment : segments(fs, dir, false)) {
      if (endOf(segment) <= threshold && (current == null || !nameOf(segment).equals(nameOf(current)))) {
        try {
          fs.delete(segment, false);
        } catch (IOException e) {
          LOG.warn("Could not delete old write-ahead log segment {}", segment, e);
        }
      }
    }
  }

  /** Deletes every segment of {@code directory}. */
  public static void deleteAll(Map<String, String> settings, String directory) {
    try {
      FileSystem fs = FileSystems.forPath(directory, settings);
      if (fs.exists(directory)) {
        fs.delete(directory, true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the write-ahead log in " + directory, e);
    }
  }

  /** The segments of {@code dir} in time order; other files are ignored, with a warning if asked. */
  private static List<String> segments(FileSystem fs, String dir, boolean warnAboutOthers) {
    try {
      if (!fs.exists(dir)) {
        return List.of();
      }
      List<String> segments = new ArrayList<>();
      for (FileStatus status : fs.list(dir)) {
        String name = status.name();
        if (status.isFile() && isSegmentName(name)) {
          segments.add(status.path());
        } else if (warnAboutOthers && !name.startsWith(".") && !name.startsWith("_")) {
          LOG.warn("Ignoring {}: not a write-ahead log segment (log-<start>-<end>). Move it out of {} "
              + "if it is yours", status.path(), dir);
        }
      }
      segments.sort(Comparator.comparingLong(FileWriteAheadLog::startOf).thenComparing(FileWriteAheadLog::nameOf));
      return segments;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the write-ahead log in " + dir, e);
    }
  }

  private static boolean isSegmentName(String name) {
    Matcher m = SEGMENT.matcher(name);
    try {
      return m.matches() && Long.parseLong(m.group(1)) <= Long.parseLong(m.group(2));
    } catch (NumberFormatException overflow) {
      return false;
    }
  }

  private static String nameOf(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static long startOf(String segment) {
    return Long.parseLong(matched(segment).group(1));
  }

  private static long endOf(String segment) {
    return Long.parseLong(matched(segment).group(2));
  }

  private static Matcher matched(String segment) {
    Matcher m = SEGMENT.matcher(nameOf(segment));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a segment name: " + segment);
    }
    return m;
  }

  /** Flushes and closes the current segment; later writes fail. */
  @Override
  public void close() {
    synchronized (queue) {
      if (closed) {
        return;
      }
      closed = true;
      queue.add(new Pending(null, 0, null));
    }
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

}
