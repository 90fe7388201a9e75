package io.tributary.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Tuple2;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.NullWritable;
import org.apache.hadoop.io.SequenceFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Core writes and reads object files without Hadoop; they are the SequenceFiles Hadoop's writer
 * made before, so Hadoop reads core's files and core reads Hadoop's, compressed or not.
 */
class ObjectFileCompatibilityTest {
  @TempDir Path tmp;
  private RddContext sc;
  private final Configuration conf = HadoopConfigurations.configuration(java.util.Map.of());

  @BeforeEach
  void context() {
    sc = new RddContext(new StreamingConf().setMaster("local[2]"));
  }

  @AfterEach
  void close() {
    sc.close();
  }

  private static List<Tuple2<String, Integer>> data(int n) {
    List<Tuple2<String, Integer>> data = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      data.add(new Tuple2<>("key-" + i + "-" + "x".repeat(i % 50), i));
    }
    return data;
  }

  /** The values of a SequenceFile, as Hadoop's reader reads them. */
  private List<byte[]> hadoopRead(org.apache.hadoop.fs.Path file) throws IOException {
    List<byte[]> values = new ArrayList<>();
    try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
      assertThat(reader.getKeyClass()).isEqualTo(NullWritable.class);
      assertThat(reader.getValueClass()).isEqualTo(BytesWritable.class);
      assertThat(reader.getCompressionType()).isEqualTo(SequenceFile.CompressionType.RECORD);
      BytesWritable value = new BytesWritable();
      while (reader.next(NullWritable.get(), value)) {
        values.add(value.copyBytes());
      }
    }
    return values;
  }

  @ParameterizedTest
  @EnumSource(value = SequenceFile.CompressionType.class, names = {"NONE", "RECORD"})
  void hadoopReadsCoreObjectFilesAndCoreReadsWhatHadoopWritesOfThem(SequenceFile.CompressionType compression)
      throws IOException {
    // 20,000 records: 2,000 chunks, well past the 100 KiB between sync markers
    List<Tuple2<String, Integer>> data = data(20_000);
    Path coreDir = tmp.resolve("core");
    sc.parallelize(data, 1).saveAsObjectFile(coreDir.toString());

    List<byte[]> chunks = hadoopRead(new org.apache.hadoop.fs.Path(coreDir.resolve("part-00000").toUri()));
    assertThat(chunks).hasSize(2_000);

    Path hadoopDir = Files.createDirectory(tmp.resolve("hadoop"));
    try (SequenceFile.Writer writer = SequenceFile.createWriter(conf,
        SequenceFile.Writer.file(new org.apache.hadoop.fs.Path(hadoopDir.resolve("part-00000").toUri())),
        SequenceFile.Writer.keyClass(NullWritable.class), SequenceFile.Writer.valueClass(BytesWritable.class),
        SequenceFile.Writer.compression(compression))) {
      for (byte[] chunk : chunks) {
        writer.append(NullWritable.get(), new BytesWritable(chunk));
      }
    }
    assertThat(sc.<Tuple2<String, Integer>>objectFile(hadoopDir.toString()).collect()).containsExactlyElementsOf(data);
  }

  @Test
  void coreObjectFilesKeepHadoopsSyncMarkersSoHadoopCanSplitThem() throws IOException {
    Path coreDir = tmp.resolve("split");
    sc.parallelize(data(20_000), 1).saveAsObjectFile(coreDir.toString());
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(coreDir.resolve("part-00000").toUri());
    long length = Files.size(coreDir.resolve("part-00000"));
    assertThat(length).isGreaterThan(300_000);
    int read = 0;
    try (SequenceFile.Reader reader = new SequenceFile.Reader(conf, SequenceFile.Reader.file(file))) {
      reader.sync(length / 2); // the next sync marker after the middle, as a split's reader starts
      assertThat(reader.getPosition()).isBetween(length / 2, length - 1);
      BytesWritable value = new BytesWritable();
      while (reader.next(NullWritable.get(), value)) {
        read++;
      }
    }
    assertThat(read).isBetween(1, 1_999);
  }
}
