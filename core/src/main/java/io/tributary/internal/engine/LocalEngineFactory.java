package io.tributary.internal.engine;

import io.tributary.engine.Engine;
import io.tributary.engine.EngineFactory;
import java.util.Map;

/** The built-in engine: {@code local}, {@code local[N]}, {@code local[*]} (threads of this JVM). */
public final class LocalEngineFactory implements EngineFactory {

  @Override
  public boolean accepts(String master) {
    return master.equals("local") || master.startsWith("local[");
  }

  @Override
  public String masters() {
    return "local, local[N], local[*] (tributary-core)";
  }

  @Override
  public Engine create(String master, Map<String, String> settings) {
    String maxFailures = settings.getOrDefault("task.maxFailures", "1");
    int attempts;
    try {
      attempts = Integer.parseInt(maxFailures.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Configuration key 'task.maxFailures' must be an integer, got '" + maxFailures + "'", e);
    }
    return new LocalEngine(LocalEngine.threadsOf(master), attempts);
  }
}
