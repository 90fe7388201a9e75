package io.tributary.internal.hadoop;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.internal.Sneaky;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;
import io.tributary.internal.serializer.Serializer;
import io.tributary.internal.serializer.SerializerSpec;

/** Reading and writing datasets as files through the Hadoop FileSystem API. */
public final class HadoopFiles {
  private HadoopFiles() {}

  /** One file to read: the unit of a file-reading dataset's partitions. */
  public record FileRange(String path) implements Serializable {}

  /** Visible files at {@code path}: the file itself, the files of a directory, or a glob's matches. */
  public static List<String> visibleFiles(Configuration conf, String path) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw new IllegalArgumentException(
            "Input path '" + path + "' does not exist: check the path and the file system URI");
      }
      List<String> files = new ArrayList<>();
      for (FileStatus status : matches) {
        if (status.isDirectory()) {
          for (FileStatus child : fs.listStatus(status.getPath())) {
            if (child.isFile() && isVisible(child.getPath())) {
              files.add(child.getPath().toString());
            }
          }
        } else {
          files.add(status.getPath().toString());
        }
      }
      Collections.sort(files);
      return files;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list input path '" + path + "'", e);
    }
  }

  /** Hidden files start with {@code .} or {@code _} (in-progress copies, markers, checksums). */
  public static boolean isVisible(Path path) {
    String name = path.getName();
    return !name.startsWith(".") && !name.startsWith("_");
  }

  public static Rdd<String> textFile(RddContext context, String path) {
    HadoopConf conf = new HadoopConf(context.hadoopConfiguration());
    List<FileRange> ranges = visibleFiles(conf.get(), path).stream().map(FileRange::new).toList();
    return context.<FileRange, Tuple2<Object, Object>>fromSplits(
            ranges, r -> read(conf.get(), r.path(), TextInputFormat.class))
        .map(kv -> kv._2().toString());
  }

  /**
   * The key-value records of one file, read with a new-API Hadoop {@link InputFormat}. As with
   * Hadoop, the reader may reuse key and value objects: copy them before keeping them.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static <K, V> Iterator<Tuple2<K, V>> read(
      Configuration conf, String file, Class<? extends InputFormat> formatClass) {
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, new Path(file));
      InputFormat<K, V> format = ReflectionUtils.newInstance(formatClass, job.getConfiguration());
      List<InputSplit> splits = format.getSplits(job);
      TaskAttemptContext attempt =
          new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
      Iterator<InputSplit> pending = splits.iterator();
      return new Iterator<>() {
        private RecordReader<K, V> reader;
        private boolean ready;

        @Override
        public boolean hasNext() {
          try {
            while (!ready) {
              if (reader != null && reader.nextKeyValue()) {
                ready = true;
              } else {
                if (reader != null) {
                  reader.close();
                  reader = null;
                }
                if (!pending.hasNext()) {
                  return false;
                }
                InputSplit split = pending.next();
                reader = format.createRecordReader(split, attempt);
                reader.initialize(split, attempt);
              }
            }
            return true;
          } catch (IOException | InterruptedException e) {
            throw Sneaky.rethrow(e);
          }
        }

        @Override
        public Tuple2<K, V> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          ready = false;
          try {
            return new Tuple2<>(reader.getCurrentKey(), reader.getCurrentValue());
          } catch (IOException | InterruptedException e) {
            throw Sneaky.rethrow(e);
          }
        }
      };
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read '" + file + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while listing the splits of '" + file + "'", e);
    }
  }

  /** Writes one {@code part-NNNNN} text file per partition and a {@code _SUCCESS} marker. */
  public static <T> void saveAsTextFile(Rdd<T> rdd, String path) {
    HadoopConf conf = new HadoopConf(rdd.context().hadoopConfiguration());
    Path dir = prepareOutputDir(conf.get(), path);
    String dirName = dir.toString();
    rdd.foreachPartition(
        it -> {
          Path part = partFile(dirName);
          try (OutputStream out = part.getFileSystem(conf.get()).create(part, true)) {
            while (it.hasNext()) {
              out.write(String.valueOf(it.next()).getBytes(StandardCharsets.UTF_8));
              out.write('\n');
            }
          }
        });
    markSuccess(conf.get(), dir);
  }

  /**
   * Writes the records as Hadoop SequenceFiles of {@code NullWritable} keys and {@code
   * BytesWritable} values, one file per partition, each value a chunk of up to 10 records
   * serialized with the context's serializer; {@link #objectFile} reads them back.
   */
  public static <T> void saveAsObjectFile(Rdd<T> rdd, String path) {
    SerializerSpec serializer = SerializerSpec.of(rdd.context().conf().getAll());
    HadoopConf conf = new HadoopConf(rdd.context().hadoopConfiguration());
    Path dir = prepareOutputDir(conf.get(), path);
    String dirName = dir.toString();
    rdd.foreachPartition(
        it -> writeObjects(conf.get(), partFile(dirName), it, serializer.get()));
    markSuccess(conf.get(), dir);
  }

  public static <T> Rdd<T> objectFile(RddContext context, String path) {
    HadoopConf conf = new HadoopConf(context.hadoopConfiguration());
    SerializerSpec serializer = SerializerSpec.of(context.conf().getAll());
    List<FileRange> ranges = visibleFiles(conf.get(), path).stream().map(FileRange::new).toList();
    return context.<FileRange, T>fromSplits(
        ranges, r -> readObjects(conf.get(), new Path(r.path()), serializer.get()));
  }

  /** Writes {@code records} to {@code file} as a SequenceFile of serialized chunks of 10. */
  public static void writeObjects(
      Configuration conf, Path file, Iterator<?> records, Serializer serializer) throws IOException {
    try (SequenceFile.Writer writer =
        SequenceFile.createWriter(
            conf,
            SequenceFile.Writer.file(file),
            SequenceFile.Writer.keyClass(NullWritable.class),
            SequenceFile.Writer.valueClass(BytesWritable.class))) {
      List<Object> chunk = new ArrayList<>(10);
      while (records.hasNext()) {
        chunk.add(records.next());
        if (chunk.size() == 10 || !records.hasNext()) {
          writer.append(NullWritable.get(), new BytesWritable(serializer.serialize(chunk.toArray())));
          chunk.clear();
        }
      }
    }
  }

  /** Reads back what {@link #writeObjects} wrote. */
  public static <T> Iterator<T> readObjects(Configuration conf, Path file, Serializer serializer) {
    List<T> records = new ArrayList<>();
    try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
      NullWritable key = NullWritable.get();
      BytesWritable value = new BytesWritable();
      while (reader.next(key, value)) {
        Object[] chunk = serializer.deserialize(value.copyBytes());
        for (Object o : chunk) {
          @SuppressWarnings("unchecked")
          T t = (T) o;
          records.add(t);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read serialized records from '" + file + "'", e);
    }
    return records.iterator();
  }

  /** The part file of partition {@code partition} in directory {@code dir}. */
  public static Path partFile(String dir, int partition) {
    return new Path(dir, String.format("part-%05d", partition));
  }

  static Path prepareOutputDir(Configuration conf, String path) {
    try {
      Path dir = new Path(path);
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.exists(dir)) {
        throw new IllegalStateException(
            "Output directory '" + path + "' already exists: choose a new path or delete it first");
      }
      fs.mkdirs(dir);
      return fs.makeQualified(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create output directory '" + path + "'", e);
    }
  }

  static Path partFile(String dir) {
    return partFile(dir, TaskContext.get().partitionId());
  }

  static void markSuccess(Configuration conf, Path dir) {
    try {
      dir.getFileSystem(conf).create(new Path(dir, "_SUCCESS"), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the _SUCCESS marker in '" + dir + "'", e);
    }
  }
}
