package io.tributary.internal.hadoop;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.rdd.PairRdd;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.Reporter;
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
 * Writes pair datasets through Hadoop {@code OutputFormat}s, one task per partition, with the
 * format's own committer for the new API (so a task's output appears only when it commits).
 */
public final class HadoopOutputs {
  private HadoopOutputs() {}

  /** Writes with a new-API ({@code org.apache.hadoop.mapreduce}) output format. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static <K, V> void saveAsNewAPIHadoopFile(
      PairRdd<K, V> rdd, String path, Class<?> keyClass, Class<?> valueClass,
      Class<? extends OutputFormat> formatClass) {
    try {
      Job job = Job.getInstance(rdd.context().hadoopConfiguration());
      job.setOutputKeyClass(keyClass);
      job.setOutputValueClass(valueClass);
      job.setOutputFormatClass(formatClass);
      FileOutputFormat.setOutputPath(job, new Path(path));
      HadoopConf conf = new HadoopConf(job.getConfiguration());
      int jobNumber = rdd.id();
      JobID jobId = new JobID("tributary", jobNumber);
      JobContextImpl jobContext = new JobContextImpl(conf.get(), jobId);
      OutputFormat format = ReflectionUtils.newInstance(formatClass, conf.get());
      format.checkOutputSpecs(jobContext);
      OutputCommitter jobCommitter =
          format.getOutputCommitter(new TaskAttemptContextImpl(conf.get(), new TaskAttemptID("tributary", jobNumber, TaskType.JOB_SETUP, 0, 0)));
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
   * Writes with an old-API ({@code org.apache.hadoop.mapred}) output format, through the job's
   * output committer like the new API (file formats need a task attempt to find their work path).
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  public static <K, V> void saveAsHadoopFile(
      PairRdd<K, V> rdd, String path, Class<?> keyClass, Class<?> valueClass,
      Class<? extends org.apache.hadoop.mapred.OutputFormat> formatClass) {
    JobConf jobConf = new JobConf(rdd.context().hadoopConfiguration());
    jobConf.setOutputKeyClass(keyClass);
    jobConf.setOutputValueClass(valueClass);
    jobConf.setOutputFormat(formatClass);
    Path dir = HadoopFiles.prepareOutputDir(jobConf, path);
    org.apache.hadoop.mapred.FileOutputFormat.setOutputPath(jobConf, dir);
    int jobNumber = rdd.id();
    org.apache.hadoop.mapred.JobContextImpl jobContext =
        new org.apache.hadoop.mapred.JobContextImpl(jobConf, new org.apache.hadoop.mapred.JobID("tributary", jobNumber));
    try {
      jobConf.getOutputCommitter().setupJob(jobContext);
      HadoopConf conf = new HadoopConf(jobConf);
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
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot save to '" + path + "'", e);
    }
    HadoopFiles.markSuccess(jobConf, dir);
  }
}
