package io.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-submit --master local-cluster[2,1,1024]} of an application jar (Tributary's and the
 * application's classes, no Spark): the master comes from {@code --master}, and two executor JVMs
 * run the tasks. The submitting JVM has Spark's jars only; the application's classes come from the
 * jar, on the driver and on the executors.
 */
@Tag("spark-cluster")
@Timeout(300)
class SparkSubmitTest {
  @TempDir Path temp;

  @Test
  void sparkSubmitWithALocalClusterMasterRunsTheApplicationOnTwoExecutors() throws Exception {
    SparkCluster cluster = SparkCluster.get(); // only for its SPARK_HOME with jars/
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> jars = new ArrayList<>();
    List<String> kryo = new ArrayList<>();
    List<Path> classDirs = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      Path path = Paths.get(entry).toAbsolutePath();
      if (Files.isDirectory(path)) {
        classDirs.add(path);
      } else if (entry.endsWith(".jar")) {
        jars.add(path.toString());
        String name = path.getFileName().toString();
        if (name.startsWith("kryo-5") || name.startsWith("minlog-") || name.startsWith("objenesis-")) {
          kryo.add(path.toString());
        }
      }
    }
    Path appJar = temp.resolve("app.jar");
    writeJar(appJar, classDirs);

    List<String> command = SparkCluster.driverJava();
    // Tributary's Kryo 5 first on the driver too, as the deployment guide says
    command.addAll(List.of("-cp", String.join(File.pathSeparator, kryo) + File.pathSeparator + String.join(File.pathSeparator, jars),
        "-Dspark.testing=true", "-Dspark.test.home=" + cluster.home(),
        "org.apache.spark.deploy.SparkSubmit",
        "--master", "local-cluster[2,1,1024]",
        "--class", SubmittedWordCount.class.getName(),
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false", "--conf", "spark.executor.memory=512m",
        "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
        "--conf", "spark.executor.extraClassPath=" + String.join(File.pathSeparator, kryo),
        appJar.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(temp.resolve("submit.log").toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process submit = builder.start();
    try {
      assertThat(submit.waitFor(240, TimeUnit.SECONDS)).as("spark-submit finished").isTrue();
    } finally {
      submit.descendants().forEach(ProcessHandle::destroyForcibly);
      submit.destroyForcibly();
      Files.copy(temp.resolve("submit.log"), Paths.get("target", "spark-logs", "submit.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    String log = Files.readString(temp.resolve("submit.log"));
    assertThat(submit.exitValue()).as(log).isZero();
    assertThat(log)
        .contains("MASTER local-cluster[2,1,1024]")
        .contains("COUNTS [(a,300), (b,300), (c,100)]")
        .contains("EXECUTORS [0, 1]");
  }

  private static void writeJar(Path jar, List<Path> classDirs) throws IOException {
    java.util.Set<String> written = new java.util.HashSet<>();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Path dir : classDirs) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            String name = dir.relativize(file).toString().replace(File.separatorChar, '/');
            if (written.add(name)) {
              out.putNextEntry(new JarEntry(name));
              Files.copy(file, (OutputStream) out);
              out.closeEntry();
            }
          }
        }
      }
    }
  }
}
