package io.tributary.hadoop;

import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.streaming.DStream;
import io.tributary.streaming.PairDStream;
import io.tributary.streaming.StreamingContext;
import io.tributary.Time;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.mapreduce.InputFormat;

/**
 * Hadoop-typed stream I/O, moved out of Tributary core so that core needs no Hadoop (Spark's
 * {@code saveAsHadoopFiles}, {@code saveAsNewAPIHadoopFiles} and {@code fileStream} with an
 * InputFormat). The Hadoop configuration is {@link HadoopConfigurations#configuration(
 * io.tributary.rdd.RddContext)} of the stream's context.
 */
public final class HadoopStreams {
  private HadoopStreams() {}

  /**
   * Saves each batch with an old-API ({@code org.apache.hadoop.mapred}) {@code OutputFormat} in
   * directory {@code prefix-TIME_IN_MS[.suffix]}.
   */
  @SuppressWarnings("rawtypes")
  public static <K, V> void saveAsHadoopFiles(
      PairDStream<K, V> stream, String prefix, String suffix, Class<?> keyClass, Class<?> valueClass,
      Class<? extends org.apache.hadoop.mapred.OutputFormat> outputFormatClass) {
    checkArguments(stream, prefix, outputFormatClass);
    stream.foreachRDD((rdd, time) -> HadoopRdds.saveAsHadoopFile(
        rdd, batchPath(prefix, suffix, time), keyClass, valueClass, outputFormatClass));
  }

  /**
   * Saves each batch with a new-API ({@code org.apache.hadoop.mapreduce}) {@code OutputFormat} in
   * directory {@code prefix-TIME_IN_MS[.suffix]}.
   */
  @SuppressWarnings("rawtypes")
  public static <K, V> void saveAsNewAPIHadoopFiles(
      PairDStream<K, V> stream, String prefix, String suffix, Class<?> keyClass, Class<?> valueClass,
      Class<? extends org.apache.hadoop.mapreduce.OutputFormat> outputFormatClass) {
    checkArguments(stream, prefix, outputFormatClass);
    stream.foreachRDD((rdd, time) -> HadoopRdds.saveAsNewAPIHadoopFile(
        rdd, batchPath(prefix, suffix, time), keyClass, valueClass, outputFormatClass));
  }

  /**
   * Key-value records of the new files in {@code directory} (any Hadoop FileSystem URI, or a
   * local path), read with a new-API Hadoop {@code InputFormat}; files present at start are not
   * read. As with Hadoop, the reader may reuse key and value objects: map them to values of your
   * own (e.g. {@code kv._2().toString()}) before keeping them.
   */
  @SuppressWarnings("rawtypes")
  public static <K, V, F extends InputFormat> PairDStream<K, V> fileStream(
      StreamingContext ssc, String directory, Class<K> keyClass, Class<V> valueClass, Class<F> inputFormatClass) {
    return fileStream(ssc, directory, keyClass, valueClass, inputFormatClass, path -> true, true);
  }

  /**
   * Like {@link #fileStream(StreamingContext, String, Class, Class, Class)}, reading only files
   * accepted by {@code filter}. With {@code newFilesOnly} the files present at start are never read;
   * without it, those modified within {@code streaming.fileStream.minRememberDuration} (1 min) are
   * read in the first batch.
   */
  @SuppressWarnings("rawtypes")
  public static <K, V, F extends InputFormat> PairDStream<K, V> fileStream(
      StreamingContext ssc, String directory, Class<K> keyClass, Class<V> valueClass, Class<F> inputFormatClass,
      Function<Path, Boolean> filter, boolean newFilesOnly) {
    if (ssc == null || directory == null || inputFormatClass == null || filter == null) {
      throw new IllegalArgumentException("context, directory, inputFormatClass and filter must not be null");
    }
    SerializableConfiguration conf =
        new SerializableConfiguration(HadoopConfigurations.configuration(ssc.rddContext()));
    DStream<Tuple2<K, V>> records = ssc.fileStream(directory,
        file -> InputFormatReader.<K, V>read(conf.get(), file, inputFormatClass),
        path -> filter.call(new Path(path)), newFilesOnly);
    return PairDStream.fromDStream(records);
  }

  private static String batchPath(String prefix, String suffix, Time time) {
    String base = prefix + "-" + time.milliseconds();
    return suffix == null || suffix.isEmpty() ? base : base + "." + suffix;
  }

  private static void checkArguments(PairDStream<?, ?> stream, String prefix, Class<?> formatClass) {
    if (stream == null || prefix == null || formatClass == null) {
      throw new IllegalArgumentException("stream, prefix and output format class must not be null");
    }
  }
}
