package io.tributary.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.Durations;
import io.tributary.StreamingConf;
import io.tributary.streaming.StreamingContext;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-system SPI with core alone: local paths built in, other schemes fail naming the artifact. */
class FileSystemsTest {
  @TempDir Path tmp;

  @Test
  void coreRunsWithoutHadoopOnTheClassPath() {
    assertThatThrownBy(() -> Class.forName("org.apache.hadoop.conf.Configuration"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void anHdfsPathWithoutTributaryHadoopFailsNamingTheSchemeThePathAndTheArtifact() {
    assertThatThrownBy(() -> FileSystems.forPath("hdfs://namenode:8020/checkpoints", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'hdfs'")
        .hasMessageContaining("hdfs://namenode:8020/checkpoints")
        .hasMessageContaining("io.tributary:tributary-hadoop");
  }

  @Test
  void aCheckpointDirectoryOnS3WithoutTributaryHadoopFailsWhenSet() {
    StreamingContext ssc = new StreamingContext(new StreamingConf().setMaster("local[1]"), Durations.seconds(1));
    try {
      assertThatThrownBy(() -> ssc.checkpoint("s3a://bucket/app"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'s3a'")
          .hasMessageContaining("s3a://bucket/app")
          .hasMessageContaining("io.tributary:tributary-hadoop");
      assertThatThrownBy(() -> ssc.textFileStream("hdfs://nn/in"))
          .hasMessageContaining("io.tributary:tributary-hadoop");
    } finally {
      ssc.stop();
    }
  }

  @Test
  void schemes() {
    assertThat(FileSystems.schemeOf("/tmp/x")).isEmpty();
    assertThat(FileSystems.schemeOf("relative/dir")).isEmpty();
    assertThat(FileSystems.schemeOf("file:/tmp/x")).isEqualTo("file");
    assertThat(FileSystems.schemeOf("HDFS://nn/x")).isEqualTo("hdfs");
    assertThat(FileSystems.schemeOf("C:\\data")).as("a drive letter").isEmpty();
  }

  @Test
  void localPathsAreQualifiedAsHadoopQualifiedThemSoOldCheckpointsStayReadable() throws Exception {
    FileSystem fs = FileSystems.forPath(tmp.toString(), Map.of());
    String expected = "file:" + tmp.toAbsolutePath();
    assertThat(fs.qualify(tmp.toString())).isEqualTo(expected);
    assertThat(fs.qualify("file://" + tmp)).isEqualTo(expected);
    assertThat(fs.qualify(tmp.toUri().toString())).isEqualTo(expected);
    Files.writeString(tmp.resolve("a"), "x");
    assertThat(fs.list(tmp.toString())).extracting(FileStatus::path).containsExactly(expected + "/a");
    assertThatThrownBy(() -> fs.qualify("file://otherhost/x")).hasMessageContaining("otherhost");
  }

  @Test
  void localWritesAreVisibleAfterHflushAndReadableAtAnyOffset() throws Exception {
    FileSystem fs = FileSystems.forPath(tmp.toString(), Map.of());
    String file = fs.child(tmp.toString(), "sub/log");
    try (FsOutputStream out = fs.create(file, false)) {
      out.write("hello ".getBytes(StandardCharsets.UTF_8));
      out.hflush();
      assertThat(Files.readString(tmp.resolve("sub/log"))).isEqualTo("hello ");
      out.write("world".getBytes(StandardCharsets.UTF_8));
      out.hsync();
      assertThat(out.position()).isEqualTo(11);
    }
    try (RandomAccessInput in = fs.openRandomAccess(file)) {
      byte[] b = new byte[5];
      in.readFully(6, b, 0, 5);
      assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("world");
      assertThatThrownBy(() -> in.readFully(8, new byte[5], 0, 5)).isInstanceOf(java.io.EOFException.class);
    }
    assertThatThrownBy(() -> fs.create(file, false)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
    assertThatThrownBy(() -> fs.open(file + "-missing")).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> fs.status(file + "-missing")).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void writeAtomicallyReplacesTheFileAndLeavesNoTemporaryFile() throws Exception {
    FileSystem fs = FileSystems.forPath(tmp.toString(), Map.of());
    String file = tmp.resolve("checkpoint-1").toString();
    fs.writeAtomically(file, "old".getBytes(StandardCharsets.UTF_8));
    fs.writeAtomically(file, "new".getBytes(StandardCharsets.UTF_8));
    try (InputStream in = fs.open(file)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("new");
    }
    assertThat(fs.list(tmp.toString())).extracting(FileStatus::name).containsExactly("checkpoint-1");
    assertThat(fs.rename(file, tmp.resolve("moved").toString())).isTrue();
    assertThat(fs.exists(file)).isFalse();
    assertThat(fs.delete(tmp.toString(), true)).isTrue();
    assertThat(Files.exists(tmp)).isFalse();
  }
}
