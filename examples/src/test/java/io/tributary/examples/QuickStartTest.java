package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuickStartTest {

  @Test
  void countsEveryWordItServesExactlyOnce() throws Exception {
    ByteArrayOutputStream summary = new ByteArrayOutputStream();
    long counted = QuickStart.run(2, new PrintStream(summary, true, StandardCharsets.UTF_8));

    String text = summary.toString(StandardCharsets.UTF_8);
    assertThat(counted).as(text).isPositive();
    assertThat(text).matches("Sent (\\d+) words, counted \\1 words\\R");
  }
}
