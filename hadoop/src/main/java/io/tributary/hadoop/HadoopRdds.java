package io.tributary.hadoop;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import io.tributary.rdd.RddContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Reporter;
import org.apache.hadoop.mapreduce.InputFormat;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.JobID;
import org.apache.hadoop.mapreduce.OutputCommitter;
import org.apache.hadoop.mapreduce.OutputFormat;
import org.apache.hadoop.mapreduce.RecordWriter;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.lib.output.FileOutputFormat;
import org.apache.hadoop.mapreduce.task.JobContextImpl;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.hadoop.util.ReflectionUtils;

/**
 * Hadoop-typed dataset I/O (Spark's {@code saveAsHadoopFile}, {@code saveAsNewAPIHadoopFile},
 * {@code newAPIHadoopFile}): pair datasets written through Hadoop {@code OutputFormat}s, one task
 * per partition, with the format's own committer (a task's output appears only when it commits);
 * files read through a Hadoop {@code InputFormat}. The Hadoop configuration is {@link
 * HadoopConfigurations#configuration(RddContext)}.
 */
public final class HadoopRdds {
  private HadoopRdds() {}

  /** Writes {@code rdd} with a new-API ({@code org.apache.hadoop.mapreduce}) output format under directory {@code path}. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static <K, V> void saveAsNewAPIHadoopFile(
      PairRdd<K, V> rdd, String path, Class<?> keyClass, Class<?> valueClass,
      Class<? extends OutputFormat> formatClass) {
    checkArguments(rdd, path, formatClass);
    try {
      Job job = Job.getInstance(HadoopConfigurations.configuration(rdd.context()));
      job.setOutputKeyClass(keyClass);
      job.setOutputValueClass(valueClass);
      job.setOutputFormatClass(formatClass);
      FileOutputFormat.setOutputPath(job, new Path(path));
      SerializableConfiguration conf = new SerializableConfiguration(job.getConfiguration());
      int jobNumber = rdd.id();
      JobID jobId = new JobID("tributary", jobNumber);
      JobContextImpl jobContext = new JobContextImpl(conf.get(), jobId);
      OutputFormat format = ReflectionUtils.newInstance(formatClass, conf.get());
      format.checkOutputSpecs(jobContext);
      OutputCommitter jobCommitter = format.getOutputCommitter(new TaskAttemptContextImpl(
          conf.get(), new TaskAttemptID("tributary", jobNumber, TaskType.JOB_SETUP, 0, 0)));
      jobCommitter.setupJob(jobContext);
      rdd.foreachPartition(
          it -> {
            TaskContext task = TaskContext.get();
            TaskAttemptID attempt =
                new TaskAttemptID("tributary", jobNumber, TaskType.REDUCE, task.partitionId(), task.attemptNumber());
            TaskAttemptContextImpl context = new TaskAttemptContextImpl(conf.get(), attempt);
            OutputFormat taskFormat = ReflectionUtils.newInstance(formatClass, conf.get());
            OutputCommitter committer = taskFormat.getOutputCommitter(context);
            committer.setupTask(context);
            RecordWriter writer = taskFormat.getRecordWriter(context);
            try {
              while (it.hasNext()) {
                Tuple2<K, V> kv = it.next();
                writer.write(kv._1(), kv._2());
              }
            } finally {
              writer.close(context);
            }
            if (committer.needsTaskCommit(context)) {
              committer.commitTask(context);
            }
          });
      jobCommitter.commitJob(jobContext);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save to '" + path + "'", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while saving to '" + path + "'", e);
    }
  }

  /**
   * Writes {@code rdd} with an old-API ({@code org.apache.hadoop.mapred}) output format under
   * directory {@code path}, through the job's output committer like the new API, and a {@code
   * _SUCCESS} marker. Fails if the directory exists.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static <K, V> void saveAsHadoopFile(
      PairRdd<K, V> rdd, String path, Class<?> keyClass, Class<?> valueClass,
      Class<? extends org.apache.hadoop.mapred.OutputFormat> formatClass) {
    checkArguments(rdd, path, formatClass);
    JobConf jobConf = new JobConf(HadoopConfigurations.configuration(rdd.context()));
    jobConf.setOutputKeyClass(keyClass);
    jobConf.setOutputValueClass(valueClass);
    jobConf.setOutputFormat(formatClass);
    Path dir = prepareOutputDir(jobConf, path);
    org.apache.hadoop.mapred.FileOutputFormat.setOutputPath(jobConf, dir);
    int jobNumber = rdd.id();
    org.apache.hadoop.mapred.JobContextImpl jobContext = new org.apache.hadoop.mapred.JobContextImpl(
        jobConf, new org.apache.hadoop.mapred.JobID("tributary", jobNumber));
    try {
      jobConf.getOutputCommitter().setupJob(jobContext);
      SerializableConfiguration conf = new SerializableConfiguration(jobConf);
      rdd.foreachPartition(
          it -> {
            TaskContext task = TaskContext.get();
            org.apache.hadoop.mapred.TaskAttemptID attempt = new org.apache.hadoop.mapred.TaskAttemptID(
                "tributary", jobNumber, TaskType.REDUCE, task.partitionId(), task.attemptNumber());
            JobConf taskConf = new JobConf(conf.get());
            taskConf.set("mapreduce.task.attempt.id", attempt.toString());
            taskConf.setInt("mapreduce.task.partition", task.partitionId());
            org.apache.hadoop.mapred.TaskAttemptContextImpl context =
                new org.apache.hadoop.mapred.TaskAttemptContextImpl(taskConf, attempt);
            org.apache.hadoop.mapred.OutputCommitter committer = taskConf.getOutputCommitter();
            committer.setupTask(context);
            org.apache.hadoop.mapred.OutputFormat format = ReflectionUtils.newInstance(formatClass, taskConf);
            FileSystem fs = dir.getFileSystem(taskConf);
            String name = String.format("part-%05d", task.partitionId());
            org.apache.hadoop.mapred.RecordWriter writer = format.getRecordWriter(fs, taskConf, name, Reporter.NULL);
            try {
              while (it.hasNext()) {
                Tuple2<K, V> kv = it.next();
                writer.write(kv._1(), kv._2());
              }
            } finally {
              writer.close(Reporter.NULL);
            }
            if (committer.needsTaskCommit(context)) {
              committer.commitTask(context);
            }
          });
      jobConf.getOutputCommitter().commitJob(jobContext);
      dir.getFileSystem(jobConf).create(new Path(dir, "_SUCCESS"), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save to '" + path + "'", e);
    }
  }

  /**
   * The key-value records of a file, of the visible files of a directory, or of a glob's matches,
   * read with a new-API Hadoop {@code InputFormat}; one partition per file. As with Hadoop, the
   * reader may reuse key and value objects: map them to values of your own before keeping them.
   */
  @SuppressWarnings("rawtypes")
  public static <K, V> PairRdd<K, V> newAPIHadoopFile(
      RddContext context, String path, Class<? extends InputFormat> formatClass,
      Class<K> keyClass, Class<V> valueClass) {
    if (context == null || path == null || formatClass == null) {
      throw new IllegalArgumentException("context, path and formatClass must not be null");
    }
    SerializableConfiguration conf = new SerializableConfiguration(HadoopConfigurations.configuration(context));
    List<String> files = inputFiles(conf.get(), path);
    return PairRdd.fromRdd(context.parallelize(files, Math.max(1, files.size()))
        .flatMap(file -> InputFormatReader.<K, V>read(conf.get(), file, formatClass)));
  }

  private static List<String> inputFiles(Configuration conf, String path) {
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
            String name = child.getPath().getName();
            if (child.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
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

  private static void checkArguments(PairRdd<?, ?> rdd, String path, Class<?> formatClass) {
    if (rdd == null || path == null || formatClass == null) {
      throw new IllegalArgumentException("dataset, path and output format class must not be null");
    }
  }

  private static Path prepareOutputDir(Configuration conf, String path) {
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
}
