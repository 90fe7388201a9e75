package io.tributary.ui;

import io.tributary.streaming.StreamingContext;
import io.tributary.streaming.StreamingPlugin;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web UI of a running {@link StreamingContext}: the Streaming page, the JSON API under {@code
 * /api/v1} and Prometheus metrics at {@code /metrics}. With {@code tributary-ui} on the class path
 * every context starts it (this class is the {@link StreamingPlugin} core finds); {@code
 * ui.enabled=false} turns it off, and {@code StreamingTestDriver} leaves it off. It listens on
 * {@code ui.host} (127.0.0.1) at {@code ui.port} (4040, or the next free one of {@code
 * ui.port.maxRetries} more; 0 for any free port) and logs its address at start.
 */
public final class StreamingUi implements StreamingPlugin {
  private static final Logger LOG = LoggerFactory.getLogger(StreamingUi.class);
  private static final Map<StreamingContext, URI> RUNNING = new ConcurrentHashMap<>();

  /** The address of {@code context}'s web UI while it runs; empty when it is off or stopped. */
  public static Optional<URI> webUrl(StreamingContext context) {
    return Optional.ofNullable(RUNNING.get(context));
  }

  @Override
  public AutoCloseable start(StreamingContext context) throws Exception {
    UiConfig config = UiConfig.of(context.conf());
    if (!config.enabled()) {
      return null;
    }
    StatusStore store = new StatusStore(context, config.retainedBatches());
    PrometheusMetrics metrics = new PrometheusMetrics(context);
    UiServer server = UiServer.start(config, store, metrics);
    context.addStreamingListener(store);
    context.addStreamingListener(metrics);
    RUNNING.put(context, server.url());
    LOG.info("Streaming UI of {} at {} (JSON API at {}api/v1, Prometheus metrics at {}metrics; ui.enabled=false "
        + "turns it off)", context.conf().appName(), server.url(), server.url(), server.url());
    return () -> {
      RUNNING.remove(context);
      context.removeStreamingListener(store);
      context.removeStreamingListener(metrics);
      server.close();
    };
  }
}
