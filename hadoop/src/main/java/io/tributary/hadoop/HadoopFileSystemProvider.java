package io.tributary.hadoop;

import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystemProvider;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Serves every URI scheme a Hadoop FileSystem implements on the class path ({@code hdfs}, {@code
 * viewfs}, {@code webhdfs}, {@code s3a} with hadoop-aws, ...). Local paths stay with Tributary
 * core's own file system. Registered through {@code META-INF/services}.
 */
public final class HadoopFileSystemProvider implements FileSystemProvider {
  /** One per configuration (the configurations are cached per settings, so compared by identity). */
  private static final Map<Configuration, FileSystem> FILE_SYSTEMS =
      java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

  @Override
  public boolean supports(String scheme) {
    if (scheme.isEmpty() || scheme.equals("file")) {
      return false;
    }
    try {
      org.apache.hadoop.fs.FileSystem.getFileSystemClass(scheme, HadoopConfigurations.shared(Map.of()));
      return true;
    } catch (IOException unknown) {
      return false;
    }
  }

  @Override
  public FileSystem fileSystem(String scheme, Map<String, String> settings) {
    return FILE_SYSTEMS.computeIfAbsent(HadoopConfigurations.shared(settings), HadoopFileSystem::new);
  }
}
