package io.tributary.streaming;

/**
 * Something that runs beside every {@link StreamingContext} of the JVM, such as the web UI of
 * {@code tributary-ui}: found on the class path through {@link java.util.ServiceLoader} (a
 * {@code META-INF/services/io.tributary.streaming.StreamingPlugin} file naming the class, which
 * needs a public no-argument constructor).
 *
 * <p>{@link StreamingContext#start()} calls {@link #start} before the first batch, so listeners
 * the plugin adds there see every event; the handle it returns is closed when the context stops,
 * after the last event was delivered. A plugin that throws {@link IllegalArgumentException} (its
 * configuration is wrong) fails the start with that error; one that fails otherwise is logged and
 * left out, and the context runs without it. A plugin reads the context; it must not change what the application
 * computes.
 */
public interface StreamingPlugin {
  /**
   * Starts this plugin for {@code context}; returns what to close when the context stops, or null
   * when the plugin stays off for this context (for example turned off by its configuration).
   */
  AutoCloseable start(StreamingContext context) throws Exception;
}
