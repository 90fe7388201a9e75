package io.tributary.rdd;

import io.tributary.StreamingConf;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the dataset tests: one {@code local[2]} context per test class, closed after it. */
abstract class RddContextFixture {
  static RddContext sc;

  @BeforeAll
  static void startContext() {
    sc = new RddContext(new StreamingConf().setMaster("local[2]"));
  }

  @AfterAll
  static void stopContext() {
    sc.close();
  }
}
