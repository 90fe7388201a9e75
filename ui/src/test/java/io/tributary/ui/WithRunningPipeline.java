package io.tributary.ui;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class run against one {@link Pipeline}, started before its tests and stopped after them. */
abstract class WithRunningPipeline {
  static Pipeline pipeline;

  @BeforeAll
  static void startPipeline() {
    pipeline = new Pipeline(Map.of());
    pipeline.start().awaitAllRecords(5);
  }

  @AfterAll
  static void stopPipeline() {
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
  }
}
