package io.tributary.streaming.internal.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import io.tributary.internal.serializer.JavaSerializer;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32;
import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystems;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata checkpoint files in a checkpoint directory: {@code checkpoint-<time>}, written to a
 * temporary name and renamed into place, so a reader never sees half a file. The format is
 * versioned and ends with a CRC32 of its contents; a newest file that is corrupt or cut short is
 * skipped with a warning in favour of the one before it. The newest {@code keep} files are kept.
 * Files named {@code checkpoint-} plus something other than a time are ignored, with a warning
 * when reading.
 *
 * <p>Format version 1, big-endian: magic {@code TRIBCKPT}, int version, long checkpointTime, long
 * zeroTime, long batchMillis, int n + n × (UTF key, UTF value) of configuration, int n + n × long
 * pending times, int n + n × stream (UTF key, UTF kind, boolean stateful, int m + m × (long time,
 * int length, Java-serialized entry)), long CRC32 of everything before it.
 */
public final class CheckpointFiles {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointFiles.class);
  private static final byte[] MAGIC = "TRIBCKPT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  private static final String PREFIX = "checkpoint-";
  private static final JavaSerializer JAVA = new JavaSerializer();

  /** Checkpoint files exist but none of them can be read: the state they held is lost. */
  public static final class NoReadableCheckpointException extends IllegalStateException {
    NoReadableCheckpointException(String message) {
      super(message);
    }
  }

  private final Map<String, String> settings;
  private final String dir;
  private final int keep;

  /** The checkpoint files of {@code directory}, on the file system its scheme names, configured with {@code settings}. */
  public CheckpointFiles(Map<String, String> settings, String directory, int keep) {
    this.settings = settings;
    this.dir = directory;
    this.keep = Math.max(1, keep);
  }

  /** Writes {@code checkpoint} atomically and removes checkpoint files beyond the newest {@code keep}. */
  public void write(Checkpoint checkpoint) {
    byte[] bytes = encode(checkpoint);
    try {
      FileSystem fs = FileSystems.forPath(dir, settings);
      fs.mkdirs(dir);
      fs.writeAtomically(fs.child(dir, PREFIX + checkpoint.checkpointTime()), bytes);
      List<String> files = list(fs, false);
      for (int i = 0; i < files.size() - keep; i++) {
        fs.delete(files.get(i), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a checkpoint to '" + dir + "'", e);
    }
  }

  /**
   * The newest readable checkpoint, skipping corrupt ones with a warning; empty if there is none.
   * Fails with {@link NoReadableCheckpointException} when checkpoint files exist but none can be read.
   */
  public Optional<Checkpoint> readLatest() {
    try {
      FileSystem fs = FileSystems.forPath(dir, settings);
      if (!fs.exists(dir)) {
        return Optional.empty();
      }
      List<String> files = list(fs, true);
      List<String> problems = new ArrayList<>();
      for (int i = files.size() - 1; i >= 0; i--) {
        String file = files.get(i);
        try (InputStream in = fs.open(file)) {
          Checkpoint checkpoint = decode(in.readAllBytes());
          if (i < files.size() - 1) {
            LOG.warn("Recovering from the older checkpoint {}: the newer ones could not be read", file);
          }
          return Optional.of(checkpoint);
        } catch (IOException | RuntimeException e) {
          LOG.warn("Checkpoint file {} is corrupt or incomplete, trying the previous one: {}", file, e.toString());
          problems.add(file.substring(file.lastIndexOf('/') + 1) + ": " + e.getMessage());
        }
      }
      if (!files.isEmpty()) {
        throw new NoReadableCheckpointException(
            "None of the " + files.size() + " checkpoint files in '" + dir + "' can be read (corrupt, "
                + "incomplete or of an unknown format version): " + String.join("; ", problems));
      }
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read checkpoints in '" + dir + "'", e);
    }
  }

  /** The checkpoint files, oldest first; other {@code checkpoint-} names are ignored, with a warning if asked. */
  private List<String> list(FileSystem fs, boolean warnAboutOthers) throws IOException {
    List<String> files = new ArrayList<>();
    for (FileStatus status : fs.list(dir)) {
      String name = status.name();
      if (!name.startsWith(PREFIX)) {
        continue; // the checkpoint directory holds other things too: data checkpoints, logs
      }
      if (status.isFile() && timeOf(name) != null) {
        files.add(status.path());
      } else if (warnAboutOthers) {
        LOG.warn("Ignoring {}: not a checkpoint file (checkpoint-<time in ms>). Move it out of {} if it is yours",
            status.path(), dir);
      }
    }
    files.sort(Comparator.comparingLong(p -> timeOf(p.substring(p.lastIndexOf('/') + 1))));
    return files;
  }

  /** The time in a checkpoint file's name, or null if the name is not one of a checkpoint file. */
  private static Long timeOf(String name) {
    String digits = name.substring(PREFIX.length());
    if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    try {
      return Long.parseLong(digits);
    } catch (NumberFormatException overflow) {
      return null;
    }
  }

  static byte[] encode(Checkpoint c) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(MAGIC);
      out.writeInt(VERSION);
      out.writeLong(c.checkpointTime());
      out.writeLong(c.zeroTime());
      out.writeLong(c.batchMillis());
      out.writeInt(c.conf().size());
      for (Map.Entry<String, String> e : c.conf().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue());
      }
      out.writeInt(c.pendingTimes().size());
      for (long t : c.pendingTimes()) {
        out.writeLong(t);
      }
      out.writeInt(c.streams().size());
      for (Map.Entry<String, Checkpoint.StreamData> e : c.streams().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeUTF(e.getValue().kind());
        out.writeBoolean(e.getValue().stateful());
        out.writeInt(e.getValue().entries().size());
        for (Map.Entry<Long, Serializable> entry : e.getValue().entries().entrySet()) {
          out.writeLong(entry.getKey());
          byte[] value = JAVA.serialize(entry.getValue());
          out.writeInt(value.length);
          out.write(value);
        }
      }
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Checkpoint decode(byte[] bytes) throws IOException {
    if (bytes.length < MAGIC.length + 12) {
      throw new IOException("too short (" + bytes.length + " bytes)");
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - 8);
    long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
    if (crc.getValue() != stored) {
      throw new IOException("checksum mismatch");
    }
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
    byte[] magic = in.readNBytes(MAGIC.length);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new IOException("not a Tributary checkpoint");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException(
          "checkpoint format version " + version + " is not supported (this version reads " + VERSION + ")");
    }
    long checkpointTime = in.readLong();
    long zeroTime = in.readLong();
    long batchMillis = in.readLong();
    Map<String, String> conf = new LinkedHashMap<>();
    for (int i = in.readInt(); i > 0; i--) {
      conf.put(in.readUTF(), in.readUTF());
    }
    List<Long> pending = new ArrayList<>();
    for (int i = in.readInt(); i > 0; i--) {
      pending.add(in.readLong());
    }
    Map<String, Checkpoint.StreamData> streams = new LinkedHashMap<>();
    for (int i = in.readInt(); i > 0; i--) {
      String key = in.readUTF();
      String kind = in.readUTF();
      boolean stateful = in.readBoolean();
      TreeMap<Long, Serializable> entries = new TreeMap<>();
      for (int j = in.readInt(); j > 0; j--) {
        long time = in.readLong();
        byte[] value = in.readNBytes(in.readInt());
        entries.put(time, JAVA.<Serializable>deserialize(value));
      }
      streams.put(key, new Checkpoint.StreamData(kind, stateful, entries));
    }
    return new Checkpoint(checkpointTime, zeroTime, batchMillis, conf, pending, streams);
  }
}
