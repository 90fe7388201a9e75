package io.tributary.spark;

import io.tributary.engine.Engine;
import io.tributary.engine.EngineFactory;
import java.util.Map;

/**
 * The engine for the masters Apache Spark runs: {@code spark://host:port} (standalone, also a
 * comma-separated list of masters), {@code yarn}, {@code k8s://...}, {@code mesos://...} and
 * {@code local-cluster[workers,cores,memoryMB]}. Under {@code spark-submit} the {@code --master}
 * it was given arrives as the system property {@code spark.master}, which a {@link
 * io.tributary.StreamingConf} reads as its master.
 */
public final class SparkEngineFactory implements EngineFactory {

  @Override
  public boolean accepts(String master) {
    return master.startsWith("spark://") || master.equals("yarn") || master.startsWith("k8s://")
        || master.startsWith("mesos://") || master.startsWith("local-cluster[");
  }

  @Override
  public String masters() {
    return "spark://host:port, yarn, k8s://..., mesos://..., local-cluster[N,cores,memory] (tributary-spark-runner)";
  }

  @Override
  public Engine create(String master, Map<String, String> settings) {
    return new SparkEngine(master, settings);
  }
}
