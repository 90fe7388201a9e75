package io.tributary.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples' uber-jar, as {@code mvn package} shades it, holds no Hadoop, and a socket word
 * count runs from it alone: a child JVM whose class path is only that jar first checks that
 * {@code org.apache.hadoop.conf.Configuration} cannot be loaded, then runs {@link
 * NetworkWordCount} against a real socket server here, whose counts it prints.
 */
class UberJarWithoutHadoopIT {
  private static final Path JAR = Path.of("target", "tributary-examples.jar");

  @TempDir Path tmp;

  @Test
  void theUberJarHoldsNoHadoopClasses() throws Exception {
    assertThat(JAR).exists();
    try (ZipFile jar = new ZipFile(JAR.toFile())) {
      assertThat(jar.stream().map(e -> e.getName()).filter(n -> n.startsWith("org/apache/hadoop/")).toList())
          .isEmpty();
      assertThat(jar.getEntry("io/tributary/streaming/StreamingContext.class")).isNotNull();
    }
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void aSocketWordCountRunsFromTheUberJarWithoutHadoop() throws Exception {
    Path check = Files.writeString(tmp.resolve("WithoutHadoop.java"), """
        public class WithoutHadoop {
          public static void main(String[] args) throws Exception {
            try {
              Class.forName("org.apache.hadoop.conf.Configuration");
              System.out.println("HADOOP FOUND");
              System.exit(3);
            } catch (ClassNotFoundException expected) {
              System.out.println("NO HADOOP: " + expected.getMessage());
            }
            io.tributary.examples.NetworkWordCount.main(args);
          }
        }
        """);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", JAR.toAbsolutePath().toString(),
              check.toString(), "127.0.0.1", Integer.toString(server.getLocalPort()))
          .redirectErrorStream(true).start();
      List<String> output = new CopyOnWriteArrayList<>();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null; ) {
            output.add(line);
          }
        } catch (java.io.IOException ignored) {
          // the child was stopped
        }
      });
      reader.setDaemon(true);
      reader.start();
      try {
        server.setSoTimeout(60_000);
        try (Socket connection = server.accept(); OutputStream out = connection.getOutputStream()) {
          out.write("to be or not to be\n".getBytes(StandardCharsets.UTF_8));
          out.flush();
          long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
          while (!output.contains("(not,1)") && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
          }
        }
      } finally {
        child.destroy();
        child.waitFor(10, TimeUnit.SECONDS);
        child.destroyForcibly();
        reader.join(5_000);
      }
      String all = String.join("\n", output);
      assertThat(output).as(all).anyMatch(l -> l.startsWith("NO HADOOP: org.apache.hadoop.conf.Configuration"));
      assertThat(output).as(all).contains("(to,2)", "(be,2)", "(or,1)", "(not,1)");
      assertThat(all).doesNotContain("NoClassDefFoundError");
    }
  }

  private static Process runJar(String... args) throws Exception {
    java.util.List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void theJarRunsTheExampleNamedFirstAndListsThemForAnUnknownName() throws Exception {
    Process unknown = runJar("NoSuchExample");
    String listed = new String(unknown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(unknown.waitFor()).isEqualTo(2);
    assertThat(listed).contains("Unknown example 'NoSuchExample'").contains("NetworkWordCount", "DirectKafkaWordCount");

    Process quickStart = runJar("QuickStart", "1");
    String counted = new String(quickStart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(quickStart.waitFor()).as(counted).isZero();
    assertThat(counted).containsPattern("Sent (\\d+) words, counted \\1 words");
  }
}
