package io.tributary.ui;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/** A small JSON writer: objects, arrays, strings, numbers; no dependency. Not thread-safe. */
final class Json {
  private final StringBuilder out = new StringBuilder(256);
  private boolean needsComma;

  Json beginObject() {
    comma();
    out.append('{');
    needsComma = false;
    return this;
  }

  Json endObject() {
    out.append('}');
    needsComma = true;
    return this;
  }

  Json beginArray() {
    comma();
    out.append('[');
    needsComma = false;
    return this;
  }

  Json endArray() {
    out.append(']');
    needsComma = true;
    return this;
  }

  /** A key inside an object; the value follows. */
  Json key(String key) {
    comma();
    string(key);
    out.append(':');
    needsComma = false;
    return this;
  }

  Json field(String key, Object value) {
    return key(key).value(value);
  }

  /** A value: null, a string, a number (non-finite ones as null), a boolean, an optional, a map or a collection. */
  Json value(Object value) {
    if (value instanceof Optional<?> optional) {
      return value(optional.orElse(null));
    }
    if (value instanceof Map<?, ?> map) {
      beginObject();
      map.forEach((k, v) -> field(String.valueOf(k), v));
      return endObject();
    }
    if (value instanceof Collection<?> items) {
      beginArray();
      items.forEach(this::value);
      return endArray();
    }
    comma();
    if (value == null) {
      out.append("null");
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      out.append(Double.isFinite(d) ? trim(d) : "null");
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(value.toString());
    }
    needsComma = true;
    return this;
  }

  private static String trim(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }

  private void comma() {
    if (needsComma) {
      out.append(',');
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
