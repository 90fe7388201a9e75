package io.tributary.streaming;

import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.internal.Sneaky;
import io.tributary.internal.fs.FileListing;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.streaming.scheduler.StreamInputInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.io.Serializable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New files of a directory, without a receiver, selected as Spark's {@code FileInputDStream}
 * selects them. At each batch time T the directory is listed and a visible file is selected when
 * it was modified at or before T, after the ignore threshold, and was not selected before. The
 * threshold is the later of the start of the remember window ({@code T -
 * streaming.fileStream.minRememberDuration}, rounded up to whole batches; 60 s by default) and,
 * with {@code newFilesOnly}, the time the stream was defined: files written after the stream was
 * defined are read, including those written before {@code start()}. Unlike Spark, the time of
 * definition is taken {@link #MODIFICATION_TIME_SLACK_MS} early and the files present at
 * definition are excluded by listing them instead, as file systems stamp modification times with
 * a coarse clock. A file must appear atomically (written elsewhere, then moved in); a file changed
 * after being selected is not read again. Each selected file is one partition of the batch, read
 * by the stream's reader (lines of text, or a Hadoop InputFormat through {@code tributary-hadoop}).
 */
final class FileInputDStream<T> extends InputDStream<T> {
  private static final Logger LOG = LoggerFactory.getLogger(FileInputDStream.class);
  /**
   * File systems stamp modification times with a coarse clock (Linux: a few ms behind the wall
   * clock; HDFS and object stores: another machine's clock), so a file written right after the
   * stream was defined may look older. Files present then are excluded by listing them instead.
   */
  static final long MODIFICATION_TIME_SLACK_MS = 1_000;

  private final String directory;
  private final FlatMapFunction<String, T> reader;
  private final Function<String, Boolean> filter;
  private final boolean newFilesOnly;
  /** The remember window: {@code streaming.fileStream.minRememberDuration} rounded up to whole batches. */
  private final Duration remember;
  /** Selected files and their batch times, kept while they could still look new. */
  private final Map<String, Long> selected = new HashMap<>();
  private long initialIgnoreThreshold;

  /** The files one batch selected, and the ignore threshold then in force: the checkpoint entry. */
  private record FileBatch(List<String> files, long initialIgnoreThreshold) implements Serializable {}

  public FileInputDStream(
      StreamingContext ssc, String directory, FlatMapFunction<String, T> reader,
      Function<String, Boolean> filter, boolean newFilesOnly) {
    super(ssc);
    this.directory = directory;
    this.reader = reader;
    this.filter = filter;
    this.newFilesOnly = newFilesOnly;
    long minRemember =
        ssc.conf().getDuration("streaming.fileStream.minRememberDuration", new Duration(60_000)).milliseconds();
    long slide = slideDuration().milliseconds();
    this.remember = new Duration(slide * Math.max(1, (minRemember + slide - 1) / slide));
    long definedAt = ssc.runtime().clock().getTimeMillis();
    if (newFilesOnly) {
      initialIgnoreThreshold = definedAt - MODIFICATION_TIME_SLACK_MS;
      for (FileStatus status : presentFiles()) {
        selected.put(status.path(), definedAt);
      }
    }
  }

  /** The files in the directory now; none when it does not exist (yet). */
  private List<FileStatus> presentFiles() {
    FileSystem fs = fileSystem();
    try {
      return fs.exists(directory) ? fs.list(directory) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the directory '" + directory + "' of a file stream", e);
    }
  }

  @Override
  public void validateAtStart() {
    FileSystem fs = fileSystem();
    try {
      if (!fs.exists(directory) || !fs.status(directory).directory()) {
        throw new IllegalArgumentException(
            "Directory '" + directory + "' of a file stream does not exist: create it before "
                + "start(), then move files into it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot access the directory '" + directory + "' of a file stream", e);
    }
  }

  @Override
  public void start() {}

  @Override
  public void stop() {}

  @Override
  public Optional<Rdd<T>> compute(Time validTime) {
    long now = validTime.milliseconds();
    long threshold = Math.max(initialIgnoreThreshold, now - remember.milliseconds());
    List<String> files = new ArrayList<>();
    try {
      for (FileStatus status : fileSystem().list(directory)) {
        String path = status.path();
        long modified = status.modificationTime();
        if (!status.isFile() || !FileListing.isVisible(status.name()) || selected.containsKey(path)
            || modified <= threshold || modified > now || !filter.call(path)) {
          continue;
        }
        files.add(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the directory '" + directory + "' of a file stream", e);
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    files.sort(null);
    for (String file : files) {
      selected.put(file, now);
    }
    selected.values().removeIf(t -> t < threshold);
    if (!files.isEmpty()) {
      LOG.info("File stream {} found {} new file(s) for batch {}", directory, files.size(), validTime);
      LOG.debug("New files of batch {}: {}", validTime, files);
    }
    report(validTime, files);
    return Optional.of(rddOf(files));
  }

  /**
   * Tells listeners which files batch {@code time} reads. The record count is 0, as in Spark: it
   * is only known once the files are read.
   */
  private void report(Time time, List<String> files) {
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("files", List.copyOf(files));
    metadata.put(StreamInputInfo.METADATA_KEY_DESCRIPTION, String.join("\n", files));
    reportInput(time, 0, metadata);
  }

  private Rdd<T> rddOf(List<String> files) {
    return ssc.rddContext().fromSplits(files, reader::call);
  }

  private FileSystem fileSystem() {
    return ssc.rddContext().fileSystem(directory);
  }

  /** Its name, else its directory: a file stream keeps its progress when other streams are added. */
  @Override
  public String checkpointKey() {
    return name() != null ? name() : "fileStream:" + directory;
  }

  /** The files selected per batch time (kept for the remember window): replayed exactly on recovery. */
  @Override
  public synchronized SortedMap<Long, Serializable> checkpointData() {
    TreeMap<Long, List<String>> byTime = new TreeMap<>();
    selected.forEach((file, time) -> byTime.computeIfAbsent(time, t -> new ArrayList<>()).add(file));
    TreeMap<Long, Serializable> entries = new TreeMap<>();
    byTime.forEach((time, files) -> {
      files.sort(null);
      entries.put(time, new FileBatch(List.copyOf(files), initialIgnoreThreshold));
    });
    if (entries.isEmpty() && zeroTime() != null) {
      // no file selected yet: still record the threshold, so a recovery does not take the files
      // that arrived before it (and were never read) for files present at a first start
      entries.put(zeroTime().milliseconds(), new FileBatch(List.of(), initialIgnoreThreshold));
    }
    return entries;
  }

  @Override
  public synchronized void restoreCheckpointData(SortedMap<Long, Serializable> entries) {
    selected.clear(); // what was present at definition: the checkpoint says what was read
    initialIgnoreThreshold = 0L;
    for (Map.Entry<Long, Serializable> e : entries.entrySet()) {
      if (e.getValue() instanceof FileBatch batch) {
        initialIgnoreThreshold = batch.initialIgnoreThreshold();
        Time time = new Time(e.getKey());
        for (String file : batch.files()) {
          selected.put(file, time.milliseconds());
        }
        if (isTimeValid(time)) {
          restoreDataset(time, rddOf(batch.files()));
          report(time, batch.files()); // a batch run again shows what it reads, as any batch does
        }
      }
    }
  }
}
