package io.tributary.spark;

import io.tributary.StreamingConf;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real Spark 3.5 standalone cluster for the tests: a master and two workers (one core each), in
 * child JVMs started from the Maven class path, on 127.0.0.1. Started once per test JVM ({@link
 * #get()}) and killed by process id when the JVM exits; {@link #killWorker} kills one worker (and
 * its executor) for failure tests. The workers launch executors from a {@code SPARK_HOME} whose
 * {@code jars/} folder links the class path's jars; executors get the Tributary and test classes
 * prepended ({@code spark.executor.extraClassPath}), so Tributary's Kryo 5 comes before Spark's
 * kryo-shaded 4.
 */
final class SparkCluster {
  private static final long START_TIMEOUT_MS = 90_000;
  private static SparkCluster instance;

  private final Path home;
  private final int port;
  private final String executorClassPath;
  private final Process master;
  private final List<Process> workers = new ArrayList<>();
  private final String classPath;
  private final Path logs;

  static synchronized SparkCluster get() {
    if (instance == null) {
      instance = new SparkCluster();
      Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "spark-cluster-stop"));
    }
    return instance;
  }

  private SparkCluster() {
    try {
      classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
      home = Paths.get("target", "spark-home").toAbsolutePath();
      Path jars = home.resolve("jars");
      Files.createDirectories(jars);
      Files.createDirectories(home.resolve("launcher/target/scala-2.13"));
      List<String> prepended = new ArrayList<>();
      for (String entry : classPath.split(File.pathSeparator)) {
        Path path = Paths.get(entry).toAbsolutePath();
        if (Files.isDirectory(path)) {
          prepended.add(path.toString()); // Tributary's and the tests' classes
        } else if (entry.endsWith(".jar")) {
          Path link = jars.resolve(path.getFileName());
          if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createSymbolicLink(link, path);
          }
          String name = path.getFileName().toString();
          if (name.startsWith("kryo-5") || name.startsWith("minlog-") || name.startsWith("objenesis-")) {
            prepended.add(path.toString()); // Tributary's Kryo 5 before Spark's kryo-shaded 4
          }
        }
      }
      executorClassPath = String.join(File.pathSeparator, prepended);
      port = freePort();
      logs = Paths.get("target", "spark-logs").toAbsolutePath();
      Files.createDirectories(logs);
      master = start(classPath, logs.resolve("master.log"), "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", String.valueOf(port), "--webui-port", "0");
      awaitPort(port);
      for (int i = 0; i < 2; i++) {
        workers.add(startWorker(i));
      }
    } catch (IOException e) {
      stop();
      throw new UncheckedIOException("Cannot start the Spark test cluster", e);
    }
  }

  private Process startWorker(int index) throws IOException {
    Path work = Paths.get("target", "spark-work", "worker-" + index).toAbsolutePath();
    Files.createDirectories(work);
    return start(classPath, logs.resolve("worker-" + index + ".log"), "org.apache.spark.deploy.worker.Worker",
        "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--webui-port", "0",
        "--work-dir", work.toString(), masterUrl());
  }

  private Process start(String classPath, Path log, String main, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp", classPath, main));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> env = builder.environment();
    env.put("SPARK_HOME", home.toString());
    env.put("SPARK_SCALA_VERSION", "2.13");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    return builder.start();
  }

  /** The {@code SPARK_HOME} the workers launch executors from (a {@code jars/} folder of links). */
  Path home() {
    return home;
  }

  String masterUrl() {
    return "spark://127.0.0.1:" + port;
  }

  /**
   * A configuration for a driver of this cluster: two executors (one per worker) that must both
   * have registered before the first job, loopback addresses, no UI.
   */
  StreamingConf conf(String appName) {
    return new StreamingConf()
        .setMaster(masterUrl())
        .setAppName(appName)
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.ui.enabled", "false")
        .set("spark.executor.memory", "512m")
        .set("spark.cores.max", "2")
        .set("spark.scheduler.minRegisteredResourcesRatio", "1.0")
        .set("spark.scheduler.maxRegisteredResourcesWaitingTime", "60s")
        .set("spark.executor.extraClassPath", executorClassPath);
  }

  /**
   * A child JVM command running {@code main} as a driver of this cluster: this JVM's module flags,
   * the test class path, and the settings of {@link #conf} as {@code -Dspark.*} system
   * properties, as {@code spark-submit} passes them.
   */
  List<String> driverCommand(String appName, Class<?> main, String... args) {
    List<String> command = driverJava();
    conf(appName).getAll().forEach((k, v) -> command.add("-Dspark." + k + "=" + v));
    command.add("-cp");
    command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
    command.add(main.getName());
    command.addAll(List.of(args));
    return command;
  }

  /** {@code java -Xmx512m} with this JVM's module flags (the ones {@code spark-submit} gives a driver). */
  static List<String> driverJava() {
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m"));
    for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens") || arg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || arg.startsWith("-Djdk.reflect")) {
        command.add(arg);
      }
    }
    return command;
  }

  /** Kills worker {@code index} and the executor it launched (SIGKILL). */
  synchronized void killWorker(int index) {
    Process worker = workers.get(index);
    worker.descendants().forEach(ProcessHandle::destroyForcibly);
    worker.destroyForcibly();
  }

  /** Starts worker {@code index} again after {@link #killWorker}. */
  synchronized void restartWorker(int index) {
    try {
      workers.get(index).waitFor();
      workers.set(index, startWorker(index));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot restart Spark worker " + index, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while restarting Spark worker " + index, e);
    }
  }

  private synchronized void stop() {
    for (Process worker : workers) {
      worker.descendants().forEach(ProcessHandle::destroyForcibly);
      worker.destroyForcibly();
    }
    if (master != null) {
      master.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void awaitPort(int port) throws IOException {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IOException("The Spark master did not open port " + port + " within " + START_TIMEOUT_MS + " ms", e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("Interrupted while waiting for the Spark master", ie);
        }
      }
    }
  }
}
