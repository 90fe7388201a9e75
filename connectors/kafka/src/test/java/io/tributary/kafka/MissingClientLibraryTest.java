package io.tributary.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** An application whose class path lacks kafka-clients is told which artifact to add. */
class MissingClientLibraryTest {

  /** Defines a Kafka stream the way an application does; prints what it failed with. */
  public static final class App {
    public static void main(String[] args) {
      try {
        ConsumerStrategies.subscribe(List.of("words"), Map.of("bootstrap.servers", "127.0.0.1:9"));
        System.out.println("NO FAILURE");
      } catch (Throwable t) {
        System.out.println("FAILED " + t);
      }
    }
  }

  @Test
  void aMissingKafkaClientsJarFailsNamingTheArtifact() throws Exception {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("kafka-clients"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classPath).isNotEqualTo(System.getProperty("java.class.path"));
    Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, App.class.getName()).redirectErrorStream(true).start();
    String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output)
        .contains("FAILED java.lang.IllegalStateException: tributary-kafka needs org.apache.kafka:kafka-clients")
        .contains("org.apache.kafka.clients.consumer.KafkaConsumer cannot be loaded");
  }
}
