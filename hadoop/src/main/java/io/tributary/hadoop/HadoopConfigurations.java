package io.tributary.hadoop;

import io.tributary.rdd.RddContext;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The Hadoop {@link Configuration} Tributary's Hadoop file systems, outputs and file streams use:
 * a JVM-wide base ({@link #setConfiguration}; by default Hadoop's defaults, {@code *-site.xml}
 * files on the class path, and the raw local file system for {@code file:} paths) plus the
 * application's {@code hadoop.*} settings with the prefix dropped, as Spark copies {@code
 * spark.hadoop.*}: {@code conf.set("spark.hadoop.fs.s3a.endpoint", ...)} or {@code
 * -Dspark.hadoop.dfs.replication=1}.
 */
public final class HadoopConfigurations {
  /** Settings with this prefix go into the Hadoop configuration, without it. */
  public static final String PREFIX = "hadoop.";

  private static volatile Configuration base = defaults();
  private static final Map<Map<String, String>, Configuration> CACHE = new ConcurrentHashMap<>();

  private HadoopConfigurations() {}

  private static Configuration defaults() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem"); // appends, no .crc side files
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return conf;
  }

  /**
   * Sets the base configuration of every Tributary context in this JVM (copied); the {@code
   * hadoop.*} settings of a context still apply on top. Set it before the contexts that use it
   * start: file systems already open keep the configuration they were opened with.
   */
  public static void setConfiguration(Configuration conf) {
    if (conf == null) {
      throw new IllegalArgumentException("Hadoop configuration must not be null");
    }
    base = new Configuration(conf);
    CACHE.clear();
  }

  /** A new configuration: the base plus the {@code hadoop.*} entries of {@code settings}. */
  public static Configuration configuration(Map<String, String> settings) {
    return new Configuration(shared(settings));
  }

  /** A new configuration for the files of {@code context}. */
  public static Configuration configuration(RddContext context) {
    return configuration(context.fileSystemSettings());
  }

  /** The cached configuration for {@code settings}: not to be changed. */
  static Configuration shared(Map<String, String> settings) {
    Map<String, String> hadoop = new TreeMap<>();
    settings.forEach((k, v) -> {
      if (k.startsWith(PREFIX) && k.length() > PREFIX.length()) {
        hadoop.put(k.substring(PREFIX.length()), v);
      }
    });
    return CACHE.computeIfAbsent(hadoop, keys -> {
      Configuration conf = new Configuration(base);
      keys.forEach(conf::set);
      return conf;
    });
  }
}
