package io.tributary.ui;

import io.tributary.StreamingConf;

/** The {@code ui.*} settings of one context, checked with errors that name the key. */
record UiConfig(boolean enabled, String host, int port, int portRetries, int retainedBatches) {
  static final String ENABLED = "ui.enabled";
  static final String HOST = "ui.host";
  static final String PORT = "ui.port";
  static final String PORT_RETRIES = "ui.port.maxRetries";
  static final String RETAINED_BATCHES = "ui.retainedBatches";

  static UiConfig of(StreamingConf conf) {
    String enabled = conf.get(ENABLED, "true").trim();
    if (!enabled.equalsIgnoreCase("true") && !enabled.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          "Configuration key '" + ENABLED + "' must be true or false, got '" + enabled + "'");
    }
    String host = conf.get(HOST, "127.0.0.1").trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException("Configuration key '" + HOST
          + "' is empty: give the address to listen on, e.g. 127.0.0.1 (the default) or 0.0.0.0 for every interface");
    }
    int port = number(conf, PORT, 4040, 0, 65535, "0 for any free port");
    int retries = number(conf, PORT_RETRIES, 16, 0, 1000, "the ports tried after ui.port");
    int retained = number(conf, RETAINED_BATCHES, 1000, 1, 1_000_000, "completed batches kept for the page and the API");
    return new UiConfig(Boolean.parseBoolean(enabled), host, port, retries, retained);
  }

  private static int number(StreamingConf conf, String key, int fallback, int min, int max, String meaning) {
    String raw = conf.get(key, String.valueOf(fallback)).trim();
    int value;
    try {
      value = Integer.parseInt(raw);
    } catch (NumberFormatException e) {
      value = Integer.MIN_VALUE;
    }
    if (value < min || value > max) {
      throw new IllegalArgumentException("Configuration key '" + key + "' must be a whole number from " + min
          + " to " + max + " (" + meaning + "), got '" + raw + "'");
    }
    return value;
  }
}
