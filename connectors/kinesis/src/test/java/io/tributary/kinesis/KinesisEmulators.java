package io.tributary.kinesis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * kinesalite (Kinesis) and dynalite (DynamoDB) for the tests, started once per test JVM
 * ({@code @ExtendWith(KinesisEmulators.class)}) and stopped, by process, when its tests end.
 * The first use installs them with {@code npm ci} from the pinned {@code package-lock.json} of
 * {@code src/test/resources/emulator} into {@code target/kinesis-emulator}; each listens on a free
 * port of 127.0.0.1 chosen by the system. Needs {@code node} and {@code npm} on the PATH.
 */
public final class KinesisEmulators implements BeforeAllCallback {
  static final String REGION = "us-east-1";
  private static volatile Emulators running;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(Emulators.class, k -> {
          running = new Emulators();
          return running;
        }, Emulators.class);
  }

  private static Emulators emulators() {
    if (running == null) {
      throw new IllegalStateException("No emulators: annotate the test class with @ExtendWith(KinesisEmulators.class)");
    }
    return running;
  }

  static String kinesisEndpoint() {
    return "http://127.0.0.1:" + emulators().kinesisPort;
  }

  static String dynamoEndpoint() {
    return "http://127.0.0.1:" + emulators().dynamoPort;
  }

  /** The Kinesis client of the emulator (shared; do not close). */
  static KinesisClient kinesis() {
    return emulators().kinesis;
  }

  /** The DynamoDB client of the emulator (shared; do not close). */
  static DynamoDbClient dynamo() {
    return emulators().dynamo;
  }

  /** A builder pointed at the emulators, CloudWatch metrics off, quick polling and failover. */
  static KinesisInputDStream.Builder builder(io.tributary.streaming.StreamingContext ssc, String stream, String app) {
    return KinesisInputDStream.builder().streamingContext(ssc).streamName(stream).checkpointAppName(app)
        .endpointUrl(kinesisEndpoint()).dynamoDBEndpointUrl(dynamoEndpoint())
        .cloudWatchEndpointUrl("http://127.0.0.1:9") // never called with metrics off
        .regionName(REGION).kinesisCredentials(KinesisCredentials.basic("dummy", "dummy"))
        .metricsLevel(software.amazon.kinesis.metrics.MetricsLevel.NONE)
        .initialPosition(KinesisInitialPosition.trimHorizon())
        .pollingInterval(io.tributary.Durations.milliseconds(200))
        .failoverTime(io.tributary.Durations.seconds(3))
        .shardSyncInterval(io.tributary.Durations.seconds(1));
  }

  static void createStream(String name, int shards) {
    kinesis().createStream(b -> b.streamName(name).shardCount(shards));
    awaitActive(name);
  }

  static void awaitActive(String name) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (kinesis().describeStream(b -> b.streamName(name)).streamDescription().streamStatus() != StreamStatus.ACTIVE) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Stream " + name + " did not become ACTIVE");
      }
      sleep(50);
    }
  }

  static List<Shard> shards(String name) {
    return kinesis().listShards(b -> b.streamName(name)).shards();
  }

  /** Puts the records (at most 500); returns "shardId/sequenceNumber" of each, in order. */
  static List<String> put(String stream, List<PutRecordsRequestEntry> entries) {
    List<PutRecordsResultEntry> results =
        kinesis().putRecords(b -> b.streamName(stream).records(entries)).records();
    List<String> ids = new ArrayList<>(results.size());
    for (PutRecordsResultEntry r : results) {
      if (r.errorCode() != null) {
        throw new IllegalStateException("putRecords failed: " + r.errorCode() + " " + r.errorMessage());
      }
      ids.add(r.shardId() + "/" + r.sequenceNumber());
    }
    return ids;
  }

  static PutRecordsRequestEntry entry(String partitionKey, byte[] data) {
    return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)).build();
  }

  /** Splits an open shard at the middle of its hash key range and waits until the stream is ACTIVE again. */
  static void split(String stream, String shardId) {
    Shard shard = shards(stream).stream().filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
    BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
    BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
    String middle = start.add(end).shiftRight(1).toString();
    kinesis().splitShard(b -> b.streamName(stream).shardToSplit(shardId).newStartingHashKey(middle));
    sleep(200);
    awaitActive(stream);
  }

  /** The lease table's items: lease key to (owner, checkpoint). */
  static List<Map<String, AttributeValue>> leases(String app) {
    return dynamo().scan(b -> b.tableName(app)).items();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The two node processes and the clients. */
  static final class Emulators implements ExtensionContext.Store.CloseableResource {
    private final Path dir = Path.of(System.getProperty("kinesis.emulator.dir", "target/kinesis-emulator"));
    private final List<Process> processes = new ArrayList<>();
    final int kinesisPort;
    final int dynamoPort;
    final KinesisClient kinesis;
    final DynamoDbClient dynamo;

    Emulators() {
      try {
        install();
        kinesisPort = start("kinesalite");
        dynamoPort = start("dynalite");
      } catch (IOException | RuntimeException e) {
        close();
        throw new IllegalStateException("Could not start the Kinesis emulators in " + dir.toAbsolutePath()
            + " (needs node and npm on the PATH): " + e.getMessage(), e);
      }
      var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy"));
      kinesis = KinesisClient.builder().endpointOverride(URI.create(kinesisEndpoint(kinesisPort)))
          .region(Region.of(REGION)).credentialsProvider(credentials).build();
      dynamo = DynamoDbClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + dynamoPort))
          .region(Region.of(REGION)).credentialsProvider(credentials).build();
    }

    private static String kinesisEndpoint(int port) {
      return "http://127.0.0.1:" + port;
    }

    /** npm ci from the pinned lock file, unless the same lock file is installed already. */
    private void install() throws IOException {
      Files.createDirectories(dir);
      boolean changed = false;
      for (String file : List.of("package.json", "package-lock.json", "emu.js")) {
        try (InputStream in = KinesisEmulators.class.getResourceAsStream("/emulator/" + file)) {
          if (in == null) {
            throw new IllegalStateException("Test resource /emulator/" + file + " is missing");
          }
          byte[] content = in.readAllBytes();
          Path target = dir.resolve(file);
          if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), content)) {
            Files.write(target, content);
            changed |= !file.equals("emu.js");
          }
        }
      }
      boolean installed = Files.exists(dir.resolve("node_modules/kinesalite/package.json"))
          && Files.exists(dir.resolve("node_modules/dynalite/package.json"));
      if (installed && !changed) {
        return;
      }
      Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
          .directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("npm-install.log").toFile()).start();
      try {
        if (!npm.waitFor(5, TimeUnit.MINUTES)) {
          npm.destroyForcibly();
          throw new IllegalStateException("npm ci did not finish in 5 minutes; see " + dir.resolve("npm-install.log"));
        }
      } catch (InterruptedException e) {
        npm.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      if (npm.exitValue() != 0) {
        throw new IllegalStateException("npm ci failed (exit " + npm.exitValue() + "): "
            + Files.readString(dir.resolve("npm-install.log")));
      }
    }

    /** Starts one emulator on a free port; returns the port it printed. */
    private int start(String which) throws IOException {
      Process process = new ProcessBuilder("node", "emu.js", which, "0", "--exit-with-stdin").directory(dir.toFile())
          .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(which + ".log").toFile())).start();
      processes.add(process);
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          return out.readLine();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      String first;
      try {
        first = line.get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException(which + " did not start in 30 s; see " + dir.resolve(which + ".log"), e);
      }
      if (first == null || !first.startsWith("LISTENING ")) {
        throw new IllegalStateException(which + " did not start (printed " + first + "); see "
            + dir.resolve(which + ".log"));
      }
      Thread drain = new Thread(() -> {
        try {
          while (out.readLine() != null) {
            // keep the pipe empty
          }
        } catch (IOException ignored) {
          // the process ended
        }
      }, which + "-stdout");
      drain.setDaemon(true);
      drain.start();
      return Integer.parseInt(first.substring("LISTENING ".length()).trim());
    }

    @Override
    public void close() {
      if (kinesis != null) {
        kinesis.close();
      }
      if (dynamo != null) {
        dynamo.close();
      }
      for (Process p : processes) {
        p.destroy(); // SIGTERM to that pid: the launcher exits at once
      }
      for (Process p : processes) {
        try {
          if (!p.waitFor(5, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static Duration firstRecordsBudget() {
    return Duration.ofSeconds(120);
  }
}
