package io.tributary.hadoop;

import io.tributary.Tuple2;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileInputFormat;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;

/** Reads one file's key-value records with a new-API Hadoop {@link InputFormat}, split by split. */
final class InputFormatReader {
  private InputFormatReader() {}

  /**
   * The records of {@code file}. As with Hadoop, the reader may reuse key and value objects: copy
   * them before keeping them.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static <K, V> Iterator<Tuple2<K, V>> read(
      Configuration conf, String file, Class<? extends InputFormat> formatClass) {
    try {
      Job job = Job.getInstance(conf);
      FileInputFormat.setInputPaths(job, new Path(file));
      InputFormat<K, V> format = ReflectionUtils.newInstance(formatClass, job.getConfiguration());
      List<InputSplit> splits = format.getSplits(job);
      TaskAttemptContext attempt = new TaskAttemptContextImpl(job.getConfiguration(), new TaskAttemptID());
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
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read '" + file + "'", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading '" + file + "'", e);
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
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read '" + file + "'", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading '" + file + "'", e);
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
}
