package io.tributary.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystems;
import io.tributary.fs.FsOutputStream;
import io.tributary.fs.RandomAccessInput;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tributary's file-system SPI on a real HDFS, found by the {@code hdfs} scheme. */
class HdfsFileSystemTest {
  private final String root = MiniHdfs.uri("/fs-" + System.nanoTime());
  private final FileSystem fs = FileSystems.forPath(root, Map.of());

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theHdfsSchemeIsServedByTheHadoopProvider() {
    assertThat(fs.getClass().getName()).isEqualTo("io.tributary.hadoop.HadoopFileSystem");
    assertThat(FileSystems.forPath("/tmp/x", Map.of()).getClass().getName())
        .as("local paths stay with core").isEqualTo("io.tributary.internal.fs.LocalFileSystem");
  }

  @Test
  void hflushedBytesAreVisibleToANewReaderBeforeTheFileIsClosed() throws Exception {
    String file = fs.child(root, "log");
    try (FsOutputStream out = fs.create(file, false)) {
      out.write(bytes("first"));
      out.hflush();
      assertThat(out.position()).isEqualTo(5);
      try (RandomAccessInput in = fs.openRandomAccess(file)) {
        byte[] read = new byte[5];
        in.readFully(0, read, 0, 5);
        assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("first");
      }
      out.write(bytes("second"));
      out.hsync();
      assertThat(out.position()).isEqualTo(11);
    }
    try (RandomAccessInput in = fs.openRandomAccess(file)) {
      assertThat(in.length()).isEqualTo(11);
      byte[] read = new byte[6];
      in.readFully(5, read, 0, 6);
      assertThat(new String(read, StandardCharsets.UTF_8)).isEqualTo("second");
    }
    assertThatThrownBy(() -> fs.create(file, false)).as("no overwrite").isInstanceOf(java.io.IOException.class);
  }

  @Test
  void writeAtomicallyReplacesAFileAndLeavesNoTemporaryFile() throws Exception {
    String file = fs.child(root, "checkpoint-1");
    fs.mkdirs(root);
    fs.writeAtomically(file, bytes("old"));
    fs.writeAtomically(file, bytes("new"));
    try (InputStream in = fs.open(file)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("new");
    }
    List<FileStatus> entries = fs.list(root);
    assertThat(entries).extracting(FileStatus::name).containsExactly("checkpoint-1");
    assertThat(entries.get(0).path()).startsWith("hdfs://").isEqualTo(fs.qualify(file));
    assertThat(entries.get(0).length()).isEqualTo(3);
    assertThat(entries.get(0).modificationTime()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
  }

  @Test
  void renameDeleteAndMissingPaths() throws Exception {
    String dir = fs.child(root, "d");
    fs.mkdirs(dir);
    try (FsOutputStream out = fs.create(fs.child(dir, "a"), false)) {
      out.write(1);
    }
    assertThat(fs.rename(fs.child(dir, "a"), fs.child(dir, "b"))).isTrue();
    assertThat(fs.exists(fs.child(dir, "a"))).isFalse();
    assertThat(fs.status(fs.child(dir, "b")).isFile()).isTrue();
    assertThat(fs.status(dir).directory()).isTrue();
    assertThat(fs.delete(dir, true)).isTrue();
    assertThat(fs.exists(dir)).isFalse();
    assertThatThrownBy(() -> fs.status(dir)).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> fs.open(fs.child(dir, "b"))).isInstanceOf(FileNotFoundException.class);
  }

  @Test
  void aSchemeHadoopDoesNotKnowFailsNamingItAndWhatToAdd() {
    assertThatThrownBy(() -> FileSystems.forPath("nosuchfs://host/dir", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'nosuchfs'")
        .hasMessageContaining("nosuchfs://host/dir")
        .hasMessageContaining("Hadoop has no FileSystem");
  }
}
