package io.tributary.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes the {@link Engine} for a master URL. Factories are found with {@link ServiceLoader}: an
 * engine artifact lists its factory in {@code META-INF/services/io.tributary.engine.EngineFactory}.
 * The core provides {@code local}, {@code local[N]} and {@code local[*]}.
 */
public interface EngineFactory {

  /** True when this factory runs {@code master} (it may still reject a malformed one in {@link #create}). */
  boolean accepts(String master);

  /** The masters this factory runs, for error messages, e.g. {@code "local, local[N], local[*]"}. */
  String masters();

  /**
   * A new engine for {@code master}.
   *
   * @param settings the context's configuration (keys without {@code spark.}/{@code tributary.} prefix)
   * @throws IllegalArgumentException naming the master when it is malformed
   */
  Engine create(String master, Map<String, String> settings);

  /**
   * The factory on the classpath that accepts {@code master}.
   *
   * @throws IllegalArgumentException naming the master, the masters known, and the artifact to add
   */
  static EngineFactory forMaster(String master) {
    String m = master == null ? "" : master.trim();
    List<String> known = new ArrayList<>();
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    for (EngineFactory factory : ServiceLoader.load(EngineFactory.class,
        loader != null ? loader : EngineFactory.class.getClassLoader())) {
      if (factory.accepts(m)) {
        return factory;
      }
      known.add(factory.masters());
    }
    String artifact = m.startsWith("spark://") || m.startsWith("local-cluster[")
        ? " spark:// and local-cluster[...] masters need tributary-spark-runner on the classpath"
            + " (io.tributary:tributary-spark-runner, which also runs yarn and k8s://)."
        : " For another master, add the artifact of its engine to the classpath (it lists an "
            + EngineFactory.class.getName() + " in META-INF/services).";
    throw new IllegalArgumentException("No engine runs master '" + master + "'." + artifact
        + " Known masters: " + (known.isEmpty() ? "none" : String.join("; ", known)));
  }
}
