package io.tributary.fs;

import java.util.Map;

/**
 * Supplies the {@link FileSystem} of some URI schemes. Providers are found with {@link
 * java.util.ServiceLoader}: list the implementation in {@code
 * META-INF/services/io.tributary.fs.FileSystemProvider}. Tributary core has one for local paths
 * (no scheme, {@code file:}); {@code io.tributary:tributary-hadoop} has one for every scheme a
 * Hadoop FileSystem serves ({@code hdfs}, {@code s3a}, {@code viewfs}, ...).
 */
public interface FileSystemProvider {
  /**
   * Whether this provider serves paths of {@code scheme}: lower case, {@code ""} for a path
   * without one.
   */
  boolean supports(String scheme);

  /**
   * The file system for paths of {@code scheme}. {@code settings} are the application's
   * configuration (e.g. {@code hadoop.*} keys for Hadoop file systems); a provider ignores keys
   * it does not know.
   */
  FileSystem fileSystem(String scheme, Map<String, String> settings);
}
