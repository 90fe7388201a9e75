package io.tributary.fs;

/**
 * What a {@link FileSystem} knows about one path.
 *
 * @param path the qualified path (as {@link FileSystem#qualify} gives it)
 * @param directory true for a directory
 * @param length the length in bytes of a file (0 for a directory)
 * @param modificationTime the last modification, in ms since the epoch
 */
public record FileStatus(String path, boolean directory, long length, long modificationTime) {
  /** The last component of the path. */
  public String name() {
    String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  public boolean isFile() {
    return !directory;
  }
}
