package io.tributary.fs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the {@link FileSystem} of a path by its URI scheme, among the {@link FileSystemProvider}s
 * on the class path. Local paths work with Tributary core alone; {@code hdfs://}, {@code s3a://}
 * and other Hadoop file systems need {@code io.tributary:tributary-hadoop}.
 */
public final class FileSystems {
  /** The artifact that serves Hadoop file systems. */
  public static final String HADOOP_ARTIFACT = "io.tributary:tributary-hadoop";

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
  private static volatile List<FileSystemProvider> providers;
  private static final Map<String, FileSystemProvider> BY_SCHEME = new ConcurrentHashMap<>();

  private FileSystems() {}

  /**
   * The scheme of {@code path} in lower case, {@code ""} if it has none (a single letter before
   * {@code :} is taken for a drive, not a scheme).
   */
  public static String schemeOf(String path) {
    Matcher m = SCHEME.matcher(path);
    return m.find() && m.group(1).length() > 1 ? m.group(1).toLowerCase(Locale.ROOT) : "";
  }

  /**
   * The file system of {@code path}, configured with {@code settings} (the application's
   * configuration). Fails with {@link IllegalArgumentException} naming the scheme, the path and
   * the artifact to add when no provider serves the scheme.
   */
  public static FileSystem forPath(String path, Map<String, String> settings) {
    if (path == null) {
      throw new IllegalArgumentException("path must not be null");
    }
    String scheme = schemeOf(path);
    FileSystemProvider provider = BY_SCHEME.get(scheme);
    if (provider == null) {
      for (FileSystemProvider p : providers()) {
        if (p.supports(scheme)) {
          provider = p;
          break;
        }
      }
      if (provider == null) {
        throw new IllegalArgumentException(noProvider(scheme, path));
      }
      BY_SCHEME.put(scheme, provider);
    }
    return provider.fileSystem(scheme, settings == null ? Map.of() : settings);
  }

  private static String noProvider(String scheme, String path) {
    List<String> loaded = providers().stream().map(p -> p.getClass().getName()).toList();
    boolean hadoop = loaded.stream().anyMatch(n -> n.startsWith("io.tributary.hadoop."));
    return "No file system for scheme '" + scheme + "' (path '" + path + "'): "
        + (hadoop
            ? HADOOP_ARTIFACT + " is on the class path but Hadoop has no FileSystem for '" + scheme
                + "': add the Hadoop module that implements it (e.g. hadoop-aws for s3a) or check "
                + "the fs." + scheme + ".impl setting"
            : "local paths work with tributary-core alone; for hdfs://, s3a:// and other Hadoop "
                + "file systems add the artifact " + HADOOP_ARTIFACT)
        + ". File system providers loaded: " + loaded;
  }

  private static List<FileSystemProvider> providers() {
    List<FileSystemProvider> list = providers;
    if (list == null) {
      synchronized (FileSystems.class) {
        if (providers == null) {
          List<FileSystemProvider> found = new ArrayList<>();
          ServiceLoader.load(FileSystemProvider.class, FileSystems.class.getClassLoader()).forEach(found::add);
          providers = List.copyOf(found);
        }
        list = providers;
      }
    }
    return list;
  }
}
