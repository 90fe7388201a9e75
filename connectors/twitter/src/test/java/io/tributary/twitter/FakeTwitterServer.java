package io.tributary.twitter;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import twitter4j.JSONArray;
import twitter4j.JSONObject;

/**
 * A local stand-in for Twitter's v1.1 streaming endpoints and the X API v2 filtered stream and its
 * rules, on a real HTTP server on 127.0.0.1 (the JDK's). Each stream connection plays the next
 * scripted response: lines written one by one with CRLF and flushed, keep-alive newlines, pauses,
 * an abrupt cut of the connection, or an HTTP error. With no script left, a stream connection stays
 * open sending keep-alives.
 */
final class FakeTwitterServer implements AutoCloseable {
  /** One request as the server saw it. */
  record Request(String method, String path, String query, String authorization, String body, long atMillis) {}

  /** How one connection is answered. */
  @FunctionalInterface
  interface Response {
    void serve(HttpExchange exchange) throws IOException;
  }

  /** One thing a streaming response does. */
  @FunctionalInterface
  interface Step {
    void run(OutputStream out) throws IOException;
  }

  private static final Path RECORDED = Path.of("src/test/resources/recorded");

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-twitter-server");
    t.setDaemon(true);
    return t;
  });
  private final String bearerToken;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Deque<Response> v1 = new ConcurrentLinkedDeque<>();
  private final Deque<Response> v2 = new ConcurrentLinkedDeque<>();
  private final Map<String, StreamRule> rules = new LinkedHashMap<>();
  private final AtomicLong ruleIds = new AtomicLong(1635699128446373000L);
  private volatile boolean closed;

  FakeTwitterServer(String bearerToken) {
    this.bearerToken = bearerToken;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The twitter4j stream base URL (with the trailing slash twitter4j expects). */
  String v1StreamBaseUrl() {
    return baseUrl() + "/1.1/";
  }

  List<Request> requests() {
    return new ArrayList<>(requests);
  }

  List<Request> requests(String path) {
    return requests.stream().filter(r -> r.path().equals(path)).toList();
  }

  /** Queues responses for the next v1.1 stream connections (sample or filter). */
  void scriptV1(Response... responses) {
    v1.addAll(List.of(responses));
  }

  /** Queues responses for the next v2 stream connections. */
  void scriptV2(Response... responses) {
    v2.addAll(List.of(responses));
  }

  synchronized void addRule(String value, String tag) {
    String id = String.valueOf(ruleIds.incrementAndGet());
    rules.put(id, new StreamRule(id, value, tag));
  }

  synchronized List<StreamRule> rules() {
    return new ArrayList<>(rules.values());
  }

  // ---------------------------------------------------------------- recorded data and scripts

  static List<String> recordedV1() {
    return read("v1-statuses.jsonl");
  }

  static List<String> recordedV2() {
    return read("v2-posts.jsonl");
  }

  private static List<String> read(String file) {
    try {
      return Files.readAllLines(RECORDED.resolve(file), StandardCharsets.UTF_8).stream()
          .filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A 200 response whose body plays the steps, then ends normally. */
  static Response stream(Step... steps) {
    return exchange -> {
      exchange.sendResponseHeaders(200, 0);
      OutputStream out = exchange.getResponseBody();
      for (Step step : steps) {
        step.run(out);
      }
      out.close();
    };
  }

  /** A response with an HTTP error status, headers and body. */
  static Response status(int code, Map<String, String> headers, String body) {
    return exchange -> {
      headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(code, bytes.length == 0 ? -1 : bytes.length);
      if (bytes.length > 0) {
        exchange.getResponseBody().write(bytes);
      }
      exchange.close();
    };
  }

  static Step line(String text) {
    return raw((text + "\r\n").getBytes(StandardCharsets.UTF_8));
  }

  static Step lines(List<String> texts) {
    return out -> {
      for (String t : texts) {
        line(t).run(out);
      }
    };
  }

  static Step raw(byte[] bytes) {
    return out -> {
      out.write(bytes);
      out.flush();
    };
  }

  static Step keepAlive() {
    return raw("\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** Keep-alive newlines every {@code everyMs} for {@code forMs}. */
  static Step keepAlives(long everyMs, long forMs) {
    return out -> {
      long end = System.currentTimeMillis() + forMs;
      while (System.currentTimeMillis() < end) {
        keepAlive().run(out);
        pause(everyMs).run(out);
      }
    };
  }

  static Step pause(long ms) {
    return out -> {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        throw new IOException("interrupted", e);
      }
    };
  }

  /** Silence with the connection open (a stall), until the client goes away or the server closes. */
  static Step silence(long maxMs) {
    return pause(maxMs);
  }

  /** Cuts the connection in the middle of the response: no final chunk, the client sees it break. */
  static Step cut() {
    return out -> {
      throw new IOException("connection cut by the test server");
    };
  }

  // ---------------------------------------------------------------- serving

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getPath();
    requests.add(new Request(exchange.getRequestMethod(), path, exchange.getRequestURI().getRawQuery(),
        exchange.getRequestHeaders().getFirst("Authorization"), body, System.currentTimeMillis()));
    try {
      if (path.equals("/1.1/statuses/sample.json") || path.equals("/1.1/statuses/filter.json")) {
        serveStream(exchange, v1);
      } else if (path.equals("/2/tweets/search/stream")) {
        if (authorized(exchange)) {
          serveStream(exchange, v2);
        }
      } else if (path.equals("/2/tweets/search/stream/rules")) {
        if (authorized(exchange)) {
          serveRules(exchange, body);
        }
      } else {
        status(404, Map.of(), "{\"title\":\"Not Found\"}").serve(exchange);
      }
    } catch (IOException | RuntimeException e) {
      // a cut, or the client went away: rethrown, the server closes the connection mid-response
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  private boolean authorized(HttpExchange exchange) throws IOException {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (("Bearer " + bearerToken).equals(header)) {
      return true;
    }
    // like a careless proxy, echo what was sent: the client must not repeat it anywhere
    status(401, Map.of(), new JSONObject(Map.of(
        "title", "Unauthorized", "type", "about:blank", "status", 401,
        "detail", "Unauthorized: " + header)).toString()).serve(exchange);
    return false;
  }

  private void serveStream(HttpExchange exchange, Deque<Response> script) throws IOException {
    Response next = script.poll();
    if (next == null) {
      next = stream(out -> {
        while (!closed) {
          keepAlive().run(out);
          pause(100).run(out);
        }
      });
    }
    next.serve(exchange);
  }

  private synchronized void serveRules(HttpExchange exchange, String body) throws IOException {
    if (exchange.getRequestMethod().equals("GET")) {
      JSONArray data = new JSONArray();
      rules.values().forEach(r -> data.put(ruleJson(r)));
      JSONObject response = new JSONObject(Map.of("meta", Map.of("result_count", rules.size())));
      if (!rules.isEmpty()) {
        response.put("data", data);
      }
      status(200, Map.of(), response.toString()).serve(exchange);
      return;
    }
    JSONObject request = new JSONObject(body);
    if (request.has("add")) {
      JSONArray add = request.getJSONArray("add");
      JSONArray created = new JSONArray();
      JSONArray errors = new JSONArray();
      for (int i = 0; i < add.length(); i++) {
        JSONObject r = add.getJSONObject(i);
        String value = r.getString("value");
        String tag = r.has("tag") ? r.getString("tag") : null;
        if (value.contains("((")) {
          status(400, Map.of(), "{\"title\":\"Invalid Request\",\"detail\":\"One or more parameters to your request "
              + "was invalid.\",\"errors\":[{\"message\":\"Rule has unbalanced parentheses\",\"value\":\""
              + value + "\"}]}").serve(exchange);
          return;
        }
        StreamRule existing = rules.values().stream().filter(e -> e.value().equals(value)).findFirst().orElse(null);
        if (existing != null) {
          errors.put(new JSONObject(Map.of("value", value, "id", existing.id(), "title", "DuplicateRule",
              "type", "https://api.twitter.com/2/problems/duplicate-rules")));
          continue;
        }
        String id = String.valueOf(ruleIds.incrementAndGet());
        StreamRule rule = new StreamRule(id, value, tag);
        rules.put(id, rule);
        created.put(ruleJson(rule));
      }
      JSONObject response = new JSONObject(Map.of("meta", Map.of("summary",
          Map.of("created", created.length(), "not_created", errors.length()))));
      if (created.length() > 0) {
        response.put("data", created);
      }
      if (errors.length() > 0) {
        response.put("errors", errors);
      }
      status(201, Map.of(), response.toString()).serve(exchange);
    } else if (request.has("delete")) {
      JSONArray ids = request.getJSONObject("delete").getJSONArray("ids");
      int deleted = 0;
      for (int i = 0; i < ids.length(); i++) {
        if (rules.remove(ids.getString(i)) != null) {
          deleted++;
        }
      }
      status(200, Map.of(), new JSONObject(Map.of("meta", Map.of("summary",
          Map.of("deleted", deleted, "not_deleted", ids.length() - deleted)))).toString()).serve(exchange);
    } else {
      status(400, Map.of(), "{\"title\":\"Invalid Request\"}").serve(exchange);
    }
  }

  private static JSONObject ruleJson(StreamRule r) {
    JSONObject o = new JSONObject(Map.of("id", r.id(), "value", r.value()));
    if (r.tag() != null) {
      o.put("tag", r.tag());
    }
    return o;
  }

  @Override
  public void close() {
    closed = true;
    server.stop(0);
    pool.shutdownNow();
  }
}
