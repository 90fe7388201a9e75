package io.tributary.streaming;

import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.internal.Sneaky;
import io.tributary.internal.hadoop.HadoopConf;
import io.tributary.internal.hadoop.HadoopFiles;
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
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * New files of a directory, without a receiver. At each batch time T the directory is listed and
 * a visible file is selected when it was modified at or before T, after the ignore threshold (with
 * {@code newFilesOnly}, the start time less {@link #MODIFICATION_TIME_SLACK_MS}; never older than
 * {@code streaming.fileStream.minRememberDuration}), and was not selected before. With {@code
 * newFilesOnly} the files present at start count as selected, so none of them is read. A file
 * must therefore appear atomically (written elsewhere, then moved in); a file changed after being
 * selected is not read again.
 */
@SuppressWarnings("rawtypes")
final class FileInputDStream<K, V> extends InputDStream<Tuple2<K, V>> {
  private static final Logger LOG = LoggerFactory.getLogger(FileInputDStream.class);
  /**
   * File systems stamp modification times with a coarse clock (Linux: a few ms behind the wall
   * clock; HDFS and object stores: another machine's clock), so a file written right after start
   * may look older than the start. Files present at start are excluded by listing them instead.
   */
  static final long MODIFICATION_TIME_SLACK_MS = 1_000;

  private final String directory;
  private final Class<? extends InputFormat> format;
  private final Function<Path, Boolean> filter;
  private final boolean newFilesOnly;
  private final Duration minRemember;
  /** Selected files and their batch times, kept while they could still look new. */
  private final Map<String, Long> selected = new HashMap<>();
  private long initialIgnoreThreshold;
  private HadoopConf conf;
  private boolean recovered;

  /** The files one batch selected, and the ignore threshold then in force: the checkpoint entry. */
  private record FileBatch(List<String> files, long initialIgnoreThreshold) implements Serializable {}

  public FileInputDStream(
      StreamingContext ssc, String directory, Class<? extends InputFormat> format,
      Function<Path, Boolean> filter, boolean newFilesOnly) {
    super(ssc);
    this.directory = directory;
    this.format = format;
    this.filter = filter;
    this.newFilesOnly = newFilesOnly;
    this.minRemember =
        ssc.conf().getDuration("streaming.fileStream.minRememberDuration", new Duration(60_000));
  }

  @Override
  public void validateAtStart() {
    conf = new HadoopConf(ssc.rddContext().hadoopConfiguration());
    try {
      Path dir = new Path(directory);
      FileSystem fs = dir.getFileSystem(conf.get());
      if (!fs.exists(dir) || !fs.getFileStatus(dir).isDirectory()) {
        throw new IllegalArgumentException(
            "Directory '" + directory + "' of a file stream does not exist: create it before "
                + "start(), then move files into it");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot access the directory '" + directory + "' of a file stream", e);
    }
  }

  @Override
  public void start() {
    if (recovered) {
      return;
    }
    long startTime = ssc.runtime().clock().getTimeMillis();
    if (!newFilesOnly) {
      initialIgnoreThreshold = 0L;
      return;
    }
    initialIgnoreThreshold = startTime - MODIFICATION_TIME_SLACK_MS;
    if (conf == null) { // no output reads this stream, so it was not validated
      conf = new HadoopConf(ssc.rddContext().hadoopConfiguration());
    }
    try {
      Path dir = new Path(directory);
      for (FileStatus status : dir.getFileSystem(conf.get()).listStatus(dir)) {
        selected.put(status.getPath().toString(), startTime);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the directory '" + directory + "' of a file stream", e);
    }
  }

  @Override
  public void stop() {}

  @Override
  public Optional<Rdd<Tuple2<K, V>>> compute(Time validTime) {
    long now = validTime.milliseconds();
    long threshold = Math.max(initialIgnoreThreshold, now - minRemember.milliseconds());
    List<String> files = new ArrayList<>();
    try {
      Path dir = new Path(directory);
      FileSystem fs = dir.getFileSystem(conf.get());
      for (FileStatus status : fs.listStatus(dir)) {
        Path path = status.getPath();
        long modified = status.getModificationTime();
        if (!status.isFile() || !HadoopFiles.isVisible(path) || selected.containsKey(path.toString())
            || modified <= threshold || modified > now || !filter.call(path)) {
          continue;
        }
        files.add(path.toString());
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
    Map<String, Object> metadata = new HashMap<>();
    metadata.put("files", List.copyOf(files));
    metadata.put(StreamInputInfo.METADATA_KEY_DESCRIPTION, String.join("\n", files));
    reportInput(validTime, 0, metadata);
    return Optional.of(rddOf(files));
  }

  private Rdd<Tuple2<K, V>> rddOf(List<String> files) {
    HadoopConf hadoop = conf != null ? conf : new HadoopConf(ssc.rddContext().hadoopConfiguration());
    Class<? extends InputFormat> fmt = format;
    List<HadoopFiles.FileRange> ranges = files.stream().map(HadoopFiles.FileRange::new).toList();
    return ssc.rddContext().<HadoopFiles.FileRange, Tuple2<K, V>>fromSplits(
        ranges, r -> HadoopFiles.<K, V>read(hadoop.get(), r.path(), fmt));
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
    recovered = true;
    for (Map.Entry<Long, Serializable> e : entries.entrySet()) {
      if (e.getValue() instanceof FileBatch batch) {
        initialIgnoreThreshold = batch.initialIgnoreThreshold();
        Time time = new Time(e.getKey());
        for (String file : batch.files()) {
          selected.put(file, time.milliseconds());
        }
        if (isTimeValid(time)) {
          restoreDataset(time, rddOf(batch.files()));
        }
      }
    }
  }
}
