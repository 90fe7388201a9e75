package io.tributary.mqtt;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real mosquitto broker for a test class: Debian's {@code mosquitto} binary started on random
 * loopback ports with a generated configuration (in memory, no persistence), stopped by its pid
 * after the class. Optionally TLS listeners (a self-signed certificate for 127.0.0.1/localhost
 * made with the JDK's keytool; one of them also requires a client certificate) and a listener that requires a user name and password (made with
 * {@code mosquitto_passwd}).
 *
 * <p>Register with {@code @RegisterExtension static MosquittoBroker broker = MosquittoBroker.plain();}.
 * Without mosquitto installed the tests fail saying how to install it ({@code .ci/run} installs
 * it), unless {@code -Dtributary.mqtt.skipWithoutMosquitto=true} makes them skip.
 */
final class MosquittoBroker implements BeforeAllCallback, AfterAllCallback {
  static final String USER = "alice";
  static final String PASSWORD = "s3cret";
  static final String STORE_PASSWORD = "changeit";

  private final boolean tls;
  private final boolean auth;
  private final List<String> extraConfig = new ArrayList<>();
  private int fixedPort = -1;
  private Path dir;
  private Process process;
  private int port;
  private int tlsPort = -1;
  private int mtlsPort = -1;
  private int authPort = -1;
  private MqttClient publisher;

  private MosquittoBroker(boolean tls, boolean auth) {
    this.tls = tls;
    this.auth = auth;
  }

  static MosquittoBroker plain() {
    return new MosquittoBroker(false, false);
  }

  /** With a TLS listener and a listener that requires {@link #USER}/{@link #PASSWORD} too. */
  static MosquittoBroker withTlsAndAuth() {
    return new MosquittoBroker(true, true);
  }

  /** Adds a line to the generated configuration, e.g. {@code max_inflight_messages 0}. */
  MosquittoBroker with(String configLine) {
    extraConfig.add(configLine);
    return this;
  }

  /** A plain broker on {@code port}, started now; close it with {@link #close()}. */
  static MosquittoBroker startOn(int port) throws Exception {
    MosquittoBroker b = plain();
    b.fixedPort = port;
    b.beforeAll(null);
    return b;
  }

  void close() throws Exception {
    afterAll(null);
  }

  // ---------------------------------------------------------------- addresses

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  String tlsUrl() {
    return "ssl://127.0.0.1:" + tlsPort;
  }

  /** A TLS listener that requires a client certificate: the one in {@link #clientKeyStore()}. */
  String mutualTlsUrl() {
    return "ssl://127.0.0.1:" + mtlsPort;
  }

  /** A PKCS12 key store with the client's key and (self-signed) certificate, password {@link #STORE_PASSWORD}. */
  Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  /** The listener that wants a user name and password; aborts the test when mosquitto_passwd is missing. */
  String authUrl() {
    Assumptions.assumeTrue(authPort > 0, "mosquitto_passwd is not installed (package mosquitto): no auth listener");
    return "tcp://127.0.0.1:" + authPort;
  }

  /** The broker's certificate as PEM: the trust anchor for TLS clients. */
  Path caPem() {
    return dir.resolve("broker-cert.pem");
  }

  /** A PKCS12 trust store holding the broker's certificate, password {@link #STORE_PASSWORD}. */
  Path trustStore() {
    return dir.resolve("trust.p12");
  }

  Path dir() {
    return dir;
  }

  /** A free loopback port (nothing listens on it). */
  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- publishing

  /** Publishes one message with a shared client (QoS 1 and 2 wait for the broker's acknowledgement). */
  synchronized void publish(String topic, byte[] payload, int qos) {
    try {
      if (publisher == null) {
        publisher = new MqttClient(url(), "test-publisher-" + port, new MemoryPersistence());
        MqttConnectOptions o = new MqttConnectOptions();
        o.setCleanSession(true);
        o.setMaxInflight(1000);
        publisher.connect(o);
      }
      MqttMessage m = new MqttMessage(payload);
      m.setQos(qos);
      publisher.publish(topic, m);
    } catch (MqttException e) {
      throw new IllegalStateException("Could not publish to " + topic + " on " + url() + ": " + e, e);
    }
  }

  void publish(String topic, String payload, int qos) {
    publish(topic, payload.getBytes(StandardCharsets.UTF_8), qos);
  }

  /** Publishes {@code prefix-0 .. prefix-(n-1)} and returns them. */
  List<String> publishNumbered(String topic, String prefix, int n, int qos) {
    List<String> sent = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String p = prefix + "-" + i;
      publish(topic, p, qos);
      sent.add(p);
    }
    return sent;
  }

  // ---------------------------------------------------------------- life cycle

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Path binary = findMosquitto();
    dir = Files.createTempDirectory("mosquitto-test");
    Path passwordFile = null;
    if (auth) {
      Path tool = binary.getParent().getParent().resolve("bin/mosquitto_passwd");
      Path alt = findOnPath("mosquitto_passwd");
      tool = Files.isExecutable(tool) ? tool : alt;
      if (tool != null) {
        passwordFile = dir.resolve("passwords");
        run(List.of(tool.toString(), "-c", "-b", passwordFile.toString(), USER, PASSWORD));
      }
    }
    if (tls) {
      makeCertificates();
    }
    IOException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      port = fixedPort > 0 ? fixedPort : freePort();
      tlsPort = tls ? freePort() : -1;
      mtlsPort = tls ? freePort() : -1;
      authPort = passwordFile != null ? freePort() : -1;
      Path conf = dir.resolve("mosquitto.conf");
      Files.writeString(conf, config(passwordFile));
      Path log = dir.resolve("mosquitto.out");
      process = new ProcessBuilder(binary.toString(), "-c", conf.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        awaitPort(port, log);
        if (tlsPort > 0) {
          awaitPort(tlsPort, log);
          awaitPort(mtlsPort, log);
        }
        if (authPort > 0) {
          awaitPort(authPort, log);
        }
        return;
      } catch (IOException e) { // a port was taken meanwhile: try others
        last = e;
        stopProcess();
      }
    }
    throw last;
  }

  private String config(Path passwordFile) {
    StringBuilder c = new StringBuilder();
    c.append("# generated by MosquittoBroker for a test class\n");
    c.append("user root\n"); // no effect unless started as root; then it keeps reading our temp files
    c.append("per_listener_settings true\n");
    c.append("persistence false\n");
    c.append("log_dest file ").append(dir.resolve("mosquitto.log")).append('\n');
    c.append("log_type error\nlog_type warning\nlog_type notice\n");
    c.append("set_tcp_nodelay true\n");
    c.append("max_queued_messages 100000\n");
    extraConfig.forEach(line -> c.append(line).append('\n'));
    c.append("listener ").append(port).append(" 127.0.0.1\n");
    c.append("allow_anonymous true\n");
    if (tlsPort > 0) {
      c.append("listener ").append(tlsPort).append(" 127.0.0.1\n");
      c.append("allow_anonymous true\n");
      c.append("certfile ").append(dir.resolve("broker-cert.pem")).append('\n');
      c.append("keyfile ").append(dir.resolve("broker-key.pem")).append('\n');
      c.append("listener ").append(mtlsPort).append(" 127.0.0.1\n");
      c.append("allow_anonymous true\n");
      c.append("certfile ").append(dir.resolve("broker-cert.pem")).append('\n');
      c.append("keyfile ").append(dir.resolve("broker-key.pem")).append('\n');
      c.append("cafile ").append(dir.resolve("client-cert.pem")).append('\n');
      c.append("require_certificate true\n");
    }
    if (authPort > 0) {
      c.append("listener ").append(authPort).append(" 127.0.0.1\n");
      c.append("allow_anonymous false\n");
      c.append("password_file ").append(passwordFile).append('\n');
    }
    return c.toString();
  }

  private void awaitPort(int p, Path log) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("mosquitto exited (code " + process.exitValue() + "): " + log());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", p), 200);
        return;
      } catch (IOException e) {
        sleep(20);
      }
    }
    throw new IOException("mosquitto did not listen on 127.0.0.1:" + p + " within 10 s: " + log());
  }

  /** Stops the broker (SIGTERM to its pid, SIGKILL after 5 s) and deletes its directory. */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (publisher != null) {
      try {
        publisher.disconnectForcibly(0, 500);
        publisher.close(true);
      } catch (MqttException ignored) {
        // the broker goes away anyway
      }
    }
    stopProcess();
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void stopProcess() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  /** The mosquitto log so far (its log file, then what it wrote to stdout and stderr). */
  String log() {
    StringBuilder sb = new StringBuilder();
    for (String name : List.of("mosquitto.log", "mosquitto.out")) {
      try {
        sb.append(Files.readString(dir.resolve(name)));
      } catch (IOException e) {
        sb.append("(no ").append(name).append(")\n");
      }
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- helpers

  static Path findMosquitto() {
    List<Path> candidates = new ArrayList<>();
    String env = System.getenv("MOSQUITTO");
    if (env != null && !env.isBlank()) {
      candidates.add(Path.of(env));
    }
    candidates.add(Path.of("/usr/sbin/mosquitto"));
    candidates.add(Path.of("/usr/local/sbin/mosquitto"));
    candidates.add(Path.of("/opt/homebrew/sbin/mosquitto"));
    for (Path p : candidates) {
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    Path onPath = findOnPath("mosquitto");
    if (onPath != null) {
      return onPath;
    }
    String message = "The MQTT tests need the mosquitto broker, which is not installed: "
        + "apt-get install -y mosquitto (.ci/run does it), brew install mosquitto, or set MOSQUITTO=/path/to/mosquitto. "
        + "Looked in " + candidates + " and on the PATH. Run with -Dtributary.mqtt.skipWithoutMosquitto=true to skip instead.";
    if (Boolean.getBoolean("tributary.mqtt.skipWithoutMosquitto")) {
      Assumptions.abort(message);
    }
    return fail(message);
  }

  private static Path findOnPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return null;
    }
    for (String d : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  /** A self-signed certificate for 127.0.0.1 and localhost: PEM for mosquitto, PEM and PKCS12 for clients. */
  private void makeCertificates() throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    run(List.of(keytool.toString(), "-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=tributary-test-client", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", clientKeyStore().toString(), "-storepass", STORE_PASSWORD));
    KeyStore client = KeyStore.getInstance(clientKeyStore().toFile(), STORE_PASSWORD.toCharArray());
    Files.writeString(dir.resolve("client-cert.pem"), pem("CERTIFICATE", client.getCertificate("client").getEncoded()));
    Path serverStore = dir.resolve("broker.p12");
    run(List.of(keytool.toString(), "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
        "-storetype", "PKCS12", "-keystore", serverStore.toString(), "-storepass", STORE_PASSWORD));
    KeyStore ks = KeyStore.getInstance(serverStore.toFile(), STORE_PASSWORD.toCharArray());
    PrivateKey key = (PrivateKey) ks.getKey("broker", STORE_PASSWORD.toCharArray());
    Certificate cert = ks.getCertificate("broker");
    Files.writeString(dir.resolve("broker-key.pem"), pem("PRIVATE KEY", key.getEncoded()));
    Files.writeString(caPem(), pem("CERTIFICATE", cert.getEncoded()));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("broker", cert);
    try (OutputStream out = Files.newOutputStream(trustStore())) {
      trust.store(out, STORE_PASSWORD.toCharArray());
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(command.get(0) + " failed: " + out);
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
