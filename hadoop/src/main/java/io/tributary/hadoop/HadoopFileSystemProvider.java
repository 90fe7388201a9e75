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
    Configuration conf = HadoopConfigurations.shared(settings);
    return new HadoopFileSystem(conf);
  }
}
