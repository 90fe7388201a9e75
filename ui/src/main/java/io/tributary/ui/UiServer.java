package io.tributary.ui;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK's HTTP server serving the pages, the JSON API and {@code /metrics} of one context. Every
 * endpoint only reads: GET and HEAD, anything else is answered 405.
 */
final class UiServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UiServer.class);
  private static final String STATIC = "/io/tributary/ui/static/";
  private static final Pattern BATCH = Pattern.compile("/api/v1/streaming/batches/(-?\\d+)(/operations)?/?");
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8", "png", "image/png", "txt", "text/plain; charset=utf-8");
  private static final String API_INDEX = """
      {"version":"v1","endpoints":["/api/v1/streaming/statistics","/api/v1/streaming/timeline",\
      "/api/v1/streaming/receivers","/api/v1/streaming/inputs",\
      "/api/v1/streaming/batches?status=QUEUED|PROCESSING|COMPLETED&limit=N",\
      "/api/v1/streaming/batches/{batchId}","/api/v1/streaming/batches/{batchId}/operations"],\
      "metrics":"/metrics"}""";

  private final StatusStore store;
  private final PrometheusMetrics metrics;
  private final HttpServer server;
  private final ExecutorService executor;
  private final URI url;

  private UiServer(StatusStore store, PrometheusMetrics metrics, HttpServer server, ExecutorService executor, URI url) {
    this.store = store;
    this.metrics = metrics;
    this.server = server;
    this.executor = executor;
    this.url = url;
  }

  /** Binds {@code config.host()} at {@code config.port()}, or the next free port of the retries. */
  static UiServer start(UiConfig config, StatusStore store, PrometheusMetrics metrics) throws IOException {
    HttpServer server = bind(config);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "tributary-ui-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    URI url = URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
    UiServer ui = new UiServer(store, metrics, server, executor, url);
    server.createContext("/", ui::handle);
    server.setExecutor(executor);
    server.start();
    return ui;
  }

  private static HttpServer bind(UiConfig config) throws IOException {
    int tries = config.port() == 0 ? 1 : config.portRetries() + 1;
    BindException last = null;
    for (int i = 0; i < tries && config.port() + i <= 65535; i++) {
      int port = config.port() == 0 ? 0 : config.port() + i;
      try {
        return HttpServer.create(new InetSocketAddress(config.host(), port), 50);
      } catch (BindException e) {
        LOG.debug("Port {} of {} is taken: {}", port, config.host(), e.getMessage());
        last = e;
      }
    }
    BindException failed = new BindException("No free port for the web UI on " + config.host() + " from "
        + config.port() + " to " + (config.port() + tries - 1) + ": set ui.port (0 for any free port), "
        + "raise ui.port.maxRetries, or set ui.enabled=false");
    failed.initCause(last);
    throw failed;
  }

  URI url() {
    return url;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "application/json", error("Every endpoint only reads: use GET or HEAD, not " + method));
        return;
      }
      route(exchange, exchange.getRequestURI().getPath());
    } catch (RuntimeException e) {
      LOG.warn("Web UI: {} failed", exchange.getRequestURI(), e);
    }
  }

  private void route(HttpExchange exchange, String path) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    switch (path) {
      case "/", "/streaming", "/streaming/" -> resource(exchange, "streaming.html");
      case "/batch", "/batch/" -> resource(exchange, "batch.html");
      case "/metrics" -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        metrics.write(out);
        send(exchange, 200, metrics.contentType(), out.toByteArray());
      }
      case "/api", "/api/", "/api/v1", "/api/v1/" -> json(exchange, API_INDEX);
      case "/api/v1/streaming/statistics" -> json(exchange, store.statistics());
      case "/api/v1/streaming/timeline" -> json(exchange, store.timeline());
      case "/api/v1/streaming/receivers" -> json(exchange, store.receivers());
      case "/api/v1/streaming/inputs" -> json(exchange, store.inputs());
      case "/api/v1/streaming/batches", "/api/v1/streaming/batches/" -> batches(exchange, query);
      default -> {
        Matcher batch = BATCH.matcher(path);
        if (batch.matches()) {
          long id = Long.parseLong(batch.group(1));
          Optional<String> found = batch.group(2) == null ? store.batch(id) : store.operations(id);
          if (found.isPresent()) {
            json(exchange, found.get());
          } else {
            send(exchange, 404, "application/json", error("No batch " + id + " is retained: the API keeps the "
                + "last ui.retainedBatches completed batches and those queued or running; see /api/v1/streaming/batches"));
          }
        } else if (path.startsWith("/static/") && !path.contains("..")) {
          resource(exchange, path.substring("/static/".length()));
        } else {
          send(exchange, 404, "application/json", error("Nothing at " + path + ": see / for the page, /api/v1 "
              + "for the JSON API and /metrics for Prometheus"));
        }
      }
    }
  }

  private void batches(HttpExchange exchange, Map<String, String> query) throws IOException {
    String status = query.get("status");
    if (status != null && !status.matches("(?i)QUEUED|PROCESSING|COMPLETED")) {
      send(exchange, 400, "application/json", error("status must be QUEUED, PROCESSING or COMPLETED, got '" + status + "'"));
      return;
    }
    int limit = Integer.MAX_VALUE;
    String raw = query.get("limit");
    if (raw != null) {
      try {
        limit = Integer.parseInt(raw);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 0) {
        send(exchange, 400, "application/json", error("limit must be a whole number of batches, 0 or more, got '" + raw + "'"));
        return;
      }
    }
    json(exchange, store.batches(status, limit));
  }

  private void resource(HttpExchange exchange, String name) throws IOException {
    try (InputStream in = UiServer.class.getResourceAsStream(STATIC + name)) {
      if (in == null) {
        send(exchange, 404, "application/json", error("No file " + name));
        return;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      exchange.getResponseHeaders().set("Cache-Control", "no-cache");
      send(exchange, 200, TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    }
  }

  private static void json(HttpExchange exchange, String body) throws IOException {
    send(exchange, 200, "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] error(String message) {
    return new Json().beginObject().field("error", message).endObject().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    return params;
  }
}
