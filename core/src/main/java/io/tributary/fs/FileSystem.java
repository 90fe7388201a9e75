package io.tributary.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * The file operations Tributary needs for checkpoints, the write-ahead log, file streams and part
 * files, for the paths of one URI scheme. Get one with {@link FileSystems#forPath}; implement one
 * with a {@link FileSystemProvider}. Paths are strings in the scheme's own syntax ({@code /tmp/x},
 * {@code file:/tmp/x}, {@code hdfs://nn:8020/x}); a missing path fails with {@link
 * FileNotFoundException}. Implementations are thread-safe.
 */
public interface FileSystem {
  /** The absolute, canonical form of {@code path}, the form {@link #list} gives children in. */
  String qualify(String path) throws IOException;

  /** The path of {@code name} inside directory {@code directory}. */
  default String child(String directory, String name) {
    return directory.endsWith("/") ? directory + name : directory + "/" + name;
  }

  /** What is at {@code path}; {@link FileNotFoundException} when nothing is. */
  FileStatus status(String path) throws IOException;

  /** Whether something is at {@code path}. */
  default boolean exists(String path) throws IOException {
    try {
      status(path);
      return true;
    } catch (FileNotFoundException e) {
      return false;
    }
  }

  /** The entries of a directory (files and directories, not recursive), in no particular order. */
  List<FileStatus> list(String directory) throws IOException;

  /** Opens a file for reading from its start. */
  InputStream open(String path) throws IOException;

  /** Opens a file for reads at any offset. */
  RandomAccessInput openRandomAccess(String path) throws IOException;

  /**
   * Creates a file, and its missing parent directories; with {@code overwrite} false it fails if
   * the file exists.
   */
  FsOutputStream create(String path, boolean overwrite) throws IOException;

  /**
   * Writes {@code contents} as a file that appears at {@code path} whole or not at all: it goes to
   * a hidden temporary file next to {@code path} ({@code .name.tmp-N}), which is forced to storage
   * and renamed into place, replacing an older file there. On failure nothing new is at {@code path}.
   */
  default void writeAtomically(String path, byte[] contents) throws IOException {
    int slash = path.lastIndexOf('/');
    String temp = path.substring(0, slash + 1) + "." + path.substring(slash + 1) + ".tmp-" + System.nanoTime();
    try {
      try (FsOutputStream out = create(temp, false)) {
        out.write(contents);
        out.hsync();
      }
      if (exists(path)) {
        delete(path, false);
      }
      if (!rename(temp, path)) {
        throw new IOException("Cannot rename " + temp + " to " + path);
      }
    } catch (IOException | RuntimeException e) {
      try {
        delete(temp, false);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Deletes a file, or a directory (with {@code recursive}, with everything in it); false if nothing was there. */
  boolean delete(String path, boolean recursive) throws IOException;

  /** Creates a directory and its missing parents; nothing to do if it exists. */
  void mkdirs(String path) throws IOException;

  /** Renames {@code from} to {@code to}, which must not exist; false if that could not be done. */
  boolean rename(String from, String to) throws IOException;
}
