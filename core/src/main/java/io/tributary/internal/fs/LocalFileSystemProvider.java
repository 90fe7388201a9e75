package io.tributary.internal.fs;

import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystemProvider;
import java.util.Map;

/** The built-in provider of local paths: no scheme, or {@code file:}. */
public final class LocalFileSystemProvider implements FileSystemProvider {
  @Override
  public boolean supports(String scheme) {
    return scheme.isEmpty() || scheme.equals("file");
  }

  @Override
  public FileSystem fileSystem(String scheme, Map<String, String> settings) {
    return LocalFileSystem.INSTANCE;
  }
}
