package io.tributary.mqtt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Checks and normalizes broker URLs when a stream is defined, so a typo fails there, naming the URL. */
final class BrokerUrl {
  private BrokerUrl() {}

  private static final String FORMS =
      "use tcp://host:1883, ssl://host:8883 (mqtt:// and mqtts:// are accepted too), ws://host:port/path or wss://host:port/path";

  /**
   * The URL as Paho takes it ({@code mqtt://} becomes {@code tcp://}, {@code mqtts://} becomes
   * {@code ssl://}, a missing port becomes 1883 or 8883).
   *
   * @throws IllegalArgumentException naming the URL and the accepted forms
   */
  public static String normalize(String url) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("brokerUrl is missing: " + FORMS);
    }
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("brokerUrl '" + url + "' is not a valid URL (" + e.getMessage() + "): " + FORMS, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    switch (scheme) {
      case "mqtt" -> scheme = "tcp";
      case "mqtts" -> scheme = "ssl";
      case "tcp", "ssl", "ws", "wss" -> { }
      default -> throw new IllegalArgumentException("brokerUrl '" + url + "' has "
          + (scheme.isEmpty() ? "no scheme" : "the scheme '" + scheme + "'") + ", which MQTT clients do not speak: " + FORMS);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException("brokerUrl '" + url + "' names no host (host names may not contain '_'): " + FORMS);
    }
    if (uri.getUserInfo() != null) {
      throw new IllegalArgumentException("brokerUrl '" + url.replace(uri.getRawUserInfo(), "***")
          + "' carries credentials: give them with MQTTOptions.builder().credentials(user, password)");
    }
    boolean web = scheme.startsWith("ws");
    if (!web && uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) {
      throw new IllegalArgumentException("brokerUrl '" + url + "' has a path, which only ws:// and wss:// URLs take: " + FORMS);
    }
    int port = uri.getPort();
    if (port < 0) {
      port = switch (scheme) {
        case "tcp" -> 1883;
        case "ssl" -> 8883;
        case "ws" -> 80;
        default -> 443;
      };
    }
    String host = uri.getHost();
    return scheme + "://" + host + ":" + port + (web && uri.getRawPath() != null ? uri.getRawPath() : "");
  }

  public static boolean isTls(String normalizedUrl) {
    return normalizedUrl.startsWith("ssl://") || normalizedUrl.startsWith("wss://");
  }
}
