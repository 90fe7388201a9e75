package io.tributary.flume;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One Flume event of a Flume stream: its headers and its body. Immutable, so copying one is
 * sharing it; {@link #getBody()} hands out the event's own array (read it, do not change it).
 * Serializable with Java serialization and the context's Kryo serializer.
 */
public final class FlumeEvent implements Serializable {
  private static final long serialVersionUID = 1L;
  private final HashMap<String, String> headers;
  private final byte[] body;

  /** An event with a copy of {@code headers} and {@code body} itself (not copied). */
  public FlumeEvent(Map<String, String> headers, byte[] body) {
    this.headers = new HashMap<>(Objects.requireNonNull(headers, "headers"));
    this.body = Objects.requireNonNull(body, "body");
  }

  /** An event that takes {@code headers} as they are: for the receivers, which build a new map per event. */
  static FlumeEvent adopt(HashMap<String, String> headers, byte[] body) {
    return new FlumeEvent(body, headers);
  }

  private FlumeEvent(byte[] body, HashMap<String, String> headers) {
    this.headers = headers;
    this.body = body;
  }

  /** The headers (read-only). */
  public Map<String, String> getHeaders() {
    return Collections.unmodifiableMap(headers);
  }

  /** One header, or null. */
  public String header(String name) {
    return headers.get(name);
  }

  /** The body: the event's own array, not a copy. */
  public byte[] getBody() {
    return body;
  }

  /** The body decoded as UTF-8 (malformed bytes become U+FFFD). */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Bytes of body and headers, the measure of {@code streaming.flume.maxEventBytes}. */
  long size() {
    return size(headers, body.length);
  }

  static long size(Map<String, String> headers, int bodyLength) {
    long n = bodyLength;
    for (Map.Entry<String, String> h : headers.entrySet()) {
      n += h.getKey().length() + h.getValue().length();
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FlumeEvent other && headers.equals(other.headers) && java.util.Arrays.equals(body, other.body);
  }

  @Override
  public int hashCode() {
    return 31 * headers.hashCode() + java.util.Arrays.hashCode(body);
  }

  @Override
  public String toString() {
    return "FlumeEvent{headers=" + headers + ", body=" + body.length + " bytes}";
  }
}
