package io.tributary.rdd;

import io.tributary.TaskContext;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystems;
import io.tributary.fs.FsOutputStream;
import io.tributary.internal.fs.FileListing;
import io.tributary.internal.fs.ObjectFiles;
import io.tributary.internal.fs.TextFiles;
import io.tributary.internal.serializer.Serializer;
import io.tributary.internal.serializer.SerializerSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Datasets as files, through the {@link FileSystem} of each path: text and object part files,
 * and the part files of data checkpoints.
 */
final class RddFiles {
  private RddFiles() {}

  static Rdd<String> textFile(RddContext context, String path) {
    Map<String, String> settings = context.fileSystemSettings();
    List<String> files = FileListing.visibleFiles(FileSystems.forPath(path, settings), path);
    return new SourceRdd<String, String>(
        context, files, file -> TextFiles.lines(FileSystems.forPath(file, settings), file));
  }

  static <T> Rdd<T> objectFile(RddContext context, String path) {
    Map<String, String> settings = context.fileSystemSettings();
    SerializerSpec serializer = SerializerSpec.of(context.conf().getAll());
    List<String> files = FileListing.visibleFiles(FileSystems.forPath(path, settings), path);
    return new SourceRdd<String, T>(
        context, files, file -> readObjects(settings, file, serializer.get()));
  }

  /** Writes one {@code part-NNNNN} text file per partition and a {@code _SUCCESS} marker. */
  static <T> void saveAsTextFile(Rdd<T> rdd, String path) {
    Map<String, String> settings = rdd.context().fileSystemSettings();
    String dir = prepareOutputDir(settings, path);
    rdd.foreachPartition(
        it -> {
          String part = partFile(dir, TaskContext.get().partitionId());
          try (FsOutputStream out = FileSystems.forPath(part, settings).create(part, true)) {
            while (it.hasNext()) {
              out.write(String.valueOf(it.next()).getBytes(StandardCharsets.UTF_8));
              out.write('\n');
            }
          }
        });
    markSuccess(settings, dir);
  }

  /** Writes the records as object files ({@link ObjectFiles}), one per partition, and a {@code _SUCCESS} marker. */
  static <T> void saveAsObjectFile(Rdd<T> rdd, String path) {
    SerializerSpec serializer = SerializerSpec.of(rdd.context().conf().getAll());
    Map<String, String> settings = rdd.context().fileSystemSettings();
    String dir = prepareOutputDir(settings, path);
    rdd.foreachPartition(
        it -> writeObjects(settings, partFile(dir, TaskContext.get().partitionId()), it, serializer.get()));
    markSuccess(settings, dir);
  }

  static void writeObjects(Map<String, String> settings, String file, Iterator<?> records, Serializer serializer)
      throws IOException {
    ObjectFiles.write(FileSystems.forPath(file, settings), file, records, serializer);
  }

  static <T> Iterator<T> readObjects(Map<String, String> settings, String file, Serializer serializer) {
    try {
      return ObjectFiles.read(FileSystems.forPath(file, settings), file, serializer);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read serialized records from '" + file + "'", e);
    }
  }

  /** The part file of partition {@code partition} in directory {@code dir}. */
  static String partFile(String dir, int partition) {
    return (dir.endsWith("/") ? dir : dir + "/") + String.format("part-%05d", partition);
  }

  /** Creates {@code path}, which must not exist, and returns its qualified form. */
  static String prepareOutputDir(Map<String, String> settings, String path) {
    FileSystem fs = FileSystems.forPath(path, settings);
    try {
      if (fs.exists(path)) {
        throw new IllegalStateException(
            "Output directory '" + path + "' already exists: choose a new path or delete it first");
      }
      fs.mkdirs(path);
      return fs.qualify(path);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create output directory '" + path + "'", e);
    }
  }

  static void markSuccess(Map<String, String> settings, String dir) {
    FileSystem fs = FileSystems.forPath(dir, settings);
    try {
      fs.create(fs.child(dir, "_SUCCESS"), true).close();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the _SUCCESS marker in '" + dir + "'", e);
    }
  }
}
