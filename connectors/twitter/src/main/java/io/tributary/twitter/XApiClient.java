package io.tributary.twitter;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import twitter4j.JSONArray;
import twitter4j.JSONException;
import twitter4j.JSONObject;

/**
 * The few X API v2 calls the connector makes, on the JDK HTTP client: the filtered stream and its
 * rules (list, add, delete). The bearer token goes into the {@code Authorization} header and
 * nowhere else; every message is passed through a {@link Redactor} in case a server echoes it.
 */
final class XApiClient {
  static final String STREAM_PATH = "/2/tweets/search/stream";
  static final String RULES_PATH = "/2/tweets/search/stream/rules";
  private static final String USER_AGENT = "tributary-twitter";

  private final XStreamSettings settings;
  private final Redactor redactor;
  private final HttpClient http;

  public XApiClient(XStreamSettings settings) {
    this.settings = settings;
    this.redactor = new Redactor(settings.bearerToken());
    this.http = HttpClient.newBuilder()
        .connectTimeout(settings.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)   // never carry the token to another host
        .build();
  }

  public Redactor redactor() {
    return redactor;
  }

  // ---------------------------------------------------------------- the stream

  URI streamUri() {
    StringBuilder uri = new StringBuilder(settings.baseUrl()).append(STREAM_PATH);
    char sep = '?';
    if (!settings.tweetFields().isEmpty()) {
      uri.append(sep).append("tweet.fields=").append(encode(String.join(",", settings.tweetFields())));
      sep = '&';
    }
    if (!settings.expansions().isEmpty()) {
      uri.append(sep).append("expansions=").append(encode(String.join(",", settings.expansions())));
    }
    return URI.create(uri.toString());
  }

  /** Opens the filtered stream; the caller reads (and closes) the body. */
  HttpResponse<InputStream> openStream() throws IOException, InterruptedException {
    HttpRequest request = request(streamUri()).GET().build();
    return http.send(request, info -> new BodyStream());
  }

  // ---------------------------------------------------------------- rules

  /** The rules of the project's filtered stream. */
  public List<StreamRule> listRules() {
    JSONObject body = call(request(URI.create(settings.baseUrl() + RULES_PATH)).GET().build(), "list the stream rules");
    return rules(body.optJSONArray("data"));
  }

  /** Adds rules; returns the ones created, with their ids. Rules that exist already are not an error. */
  public List<StreamRule> addRules(List<StreamRule> rules) {
    Objects.requireNonNull(rules, "rules");
    if (rules.isEmpty()) {
      return List.of();
    }
    try {
      JSONArray add = new JSONArray();
      for (StreamRule r : rules) {
        JSONObject rule = new JSONObject().put("value", r.value());
        if (r.tag() != null) {
          rule.put("tag", r.tag());
        }
        add.put(rule);
      }
      String json = new JSONObject().put("add", add).toString();
      JSONObject body = call(post(json), "add stream rules");
      failOnErrors(body, "add stream rules", "DuplicateRule");
      return rules(body.optJSONArray("data"));
    } catch (JSONException e) {
      throw new XApiException("Could not write the rules as JSON: " + e.getMessage(), -1, e);
    }
  }

  /** Deletes the rules with these ids. */
  public void deleteRules(List<String> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      return;
    }
    try {
      JSONArray array = new JSONArray();
      ids.forEach(array::put);
      String json = new JSONObject().put("delete", new JSONObject().put("ids", array)).toString();
      JSONObject body = call(post(json), "delete stream rules");
      failOnErrors(body, "delete stream rules", null);
    } catch (JSONException e) {
      throw new XApiException("Could not write the rule ids as JSON: " + e.getMessage(), -1, e);
    }
  }

  /** Adds those of {@code wanted} that do not exist yet (same value and tag); returns the ones added. */
  public List<StreamRule> ensureRules(List<StreamRule> wanted) {
    if (wanted.isEmpty()) {
      return List.of();
    }
    List<StreamRule> existing = listRules();
    List<StreamRule> missing = new ArrayList<>();
    for (StreamRule w : wanted) {
      boolean present = existing.stream()
          .anyMatch(e -> e.value().equals(w.value()) && Objects.equals(e.tag(), w.tag()));
      if (!present) {
        missing.add(w);
      }
    }
    return addRules(missing);
  }

  private HttpRequest post(String json) {
    return request(URI.create(settings.baseUrl() + RULES_PATH))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
        .build();
  }

  private HttpRequest.Builder request(URI uri) {
    return HttpRequest.newBuilder(uri)
        .timeout(settings.connectTimeout())
        .header("Authorization", "Bearer " + settings.bearerToken())
        .header("User-Agent", USER_AGENT);
  }

  private JSONObject call(HttpRequest request, String what) {
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new XApiException("Could not " + what + " at " + settings.baseUrl() + ": " + redactor.redact(String.valueOf(e)),
          -1, redactor.redact(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new XApiException("Interrupted while trying to " + what, -1, null);
    }
    if (response.statusCode() / 100 != 2) {
      throw new XApiException("Could not " + what + ": " + describe(response.statusCode(), response.body()),
          response.statusCode(), null);
    }
    try {
      return new JSONObject(response.body());
    } catch (JSONException e) {
      throw new XApiException("Could not " + what + ": the response is not JSON (" + e.getMessage() + ")",
          response.statusCode(), null);
    }
  }

  private void failOnErrors(JSONObject body, String what, String harmlessTitle) {
    JSONArray errors = body.optJSONArray("errors");
    if (errors == null) {
      return;
    }
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < errors.length(); i++) {
      JSONObject e = errors.optJSONObject(i);
      if (e == null || Objects.equals(harmlessTitle, str(e, "title"))) {
        continue;
      }
      problems.add(errorText(e));
    }
    if (!problems.isEmpty()) {
      throw new XApiException("Could not " + what + ": " + redactor.redact(String.join("; ", problems)), 200, null);
    }
  }

  private static List<StreamRule> rules(JSONArray data) {
    List<StreamRule> rules = new ArrayList<>();
    if (data == null) {
      return rules;
    }
    for (int i = 0; i < data.length(); i++) {
      JSONObject r = data.optJSONObject(i);
      if (r != null && str(r, "value") != null) {
        rules.add(new StreamRule(str(r, "id"), str(r, "value"), str(r, "tag")));
      }
    }
    return rules;
  }

  /** "HTTP 401: Unauthorized (detail)" from a status and an X problem body; redacted and cut short. */
  String describe(int status, String body) {
    StringBuilder text = new StringBuilder("HTTP ").append(status);
    try {
      JSONObject problem = new JSONObject(body);
      String title = str(problem, "title");
      String detail = str(problem, "detail");
      JSONArray errors = problem.optJSONArray("errors");
      if (title != null) {
        text.append(": ").append(title);
      }
      if (detail != null) {
        text.append(" (").append(detail).append(')');
      }
      if (errors != null) {
        for (int i = 0; i < errors.length() && i < 5; i++) {
          JSONObject e = errors.optJSONObject(i);
          if (e != null) {
            text.append(i == 0 ? ": " : "; ").append(errorText(e));
          }
        }
      }
    } catch (RuntimeException notJson) {
      if (body != null && !body.isBlank()) {
        text.append(": ").append(body.length() > 300 ? body.substring(0, 300) + "..." : body.strip());
      }
    }
    return redactor.redact(text.toString());
  }

  static String errorText(JSONObject e) {
    StringBuilder t = new StringBuilder();
    for (String key : new String[] {"title", "message", "detail", "value"}) {
      String v = str(e, key);
      if (v != null) {
        t.append(t.length() == 0 ? "" : " - ").append(key.equals("value") ? "rule '" + v + "'" : v);
      }
    }
    return t.length() == 0 ? e.toString() : t.toString();
  }

  /** The string at {@code key}, or null when absent or JSON null (twitter4j's optString gives "null"). */
  static String str(JSONObject o, String key) {
    if (o == null || !o.has(key) || o.isNull(key)) {
      return null;
    }
    Object v = o.opt(key);
    return v == null ? null : v.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
