package io.tributary.engine;

import io.tributary.internal.engine.LocalEngine;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A test engine plugged in through {@code META-INF/services} (test resources): master {@code
 * recording}; runs stages on one local thread and records how many tasks each stage had.
 */
public final class RecordingEngineFactory implements EngineFactory {
  static final Queue<Integer> STAGE_SIZES = new ConcurrentLinkedQueue<>();

  @Override
  public boolean accepts(String master) {
    return master.equals("recording");
  }

  @Override
  public String masters() {
    return "recording (core tests)";
  }

  @Override
  public Engine create(String master, Map<String, String> settings) {
    LocalEngine local = new LocalEngine(1, 1);
    return new Engine() {
      @Override
      public <U> List<U> runStage(int[] partitions, StageTask<U> task) {
        STAGE_SIZES.add(partitions.length);
        return local.runStage(partitions, task);
      }

      @Override
      public int parallelism() {
        return local.parallelism();
      }

      @Override
      public void close() {
        local.close();
      }
    };
  }
}
