package io.tributary.flume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;

/**
 * Sends numbered events ({@code prefix-n}, body and header {@code id}) to a Flume avro endpoint with
 * the SDK's RpcClient, batch after batch. An id counts as acknowledged once its batch was answered
 * OK; a failed batch is sent again on a new client (the SDK client is dead after one failure), so
 * every id is acknowledged in the end.
 */
final class Feeder implements AutoCloseable {
  private final int port;
  private final String prefix;
  private final int batchSize;
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicBoolean stop = new AtomicBoolean();
  private Thread thread;
  private RpcClient client;

  Feeder(int port, String prefix, int batchSize) {
    this.port = port;
    this.prefix = prefix;
    this.batchSize = batchSize;
  }

  static List<Event> events(String prefix, int from, int count) {
    List<Event> events = new ArrayList<>(count);
    for (int i = from; i < from + count; i++) {
      String id = prefix + "-" + i;
      events.add(EventBuilder.withBody(id.getBytes(StandardCharsets.UTF_8), Map.of("id", id)));
    }
    return events;
  }

  /** Sends {@code total} events in the background, {@code pauseMs} between batches. */
  Feeder startSending(int total, long pauseMs) {
    thread = new Thread(() -> {
      for (int from = 0; from < total && !stop.get(); from += batchSize) {
        sendUntilAcknowledged(events(prefix, from, Math.min(batchSize, total - from)));
        try {
          Thread.sleep(pauseMs);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "feeder-" + prefix);
    thread.setDaemon(true);
    thread.start();
    return this;
  }

  /** Sends one batch, again and again until it is answered OK (or the feeder is closed). */
  void sendUntilAcknowledged(List<Event> batch) {
    while (!stop.get()) {
      try {
        if (client == null) {
          client = RpcClientFactory.getDefaultInstance("127.0.0.1", port, batchSize);
        }
        client.appendBatch(batch);
        batch.stream().map(e -> e.getHeaders().get("id")).filter(java.util.Objects::nonNull).forEach(acknowledged::add);
        return;
      } catch (EventDeliveryException | RuntimeException e) {
        failures.incrementAndGet();
        closeClient();
        try {
          Thread.sleep(200);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  void awaitSent() throws InterruptedException {
    thread.join();
  }

  boolean done() {
    return thread != null && !thread.isAlive();
  }

  Set<String> acknowledged() {
    return acknowledged;
  }

  int failures() {
    return failures.get();
  }

  private void closeClient() {
    if (client != null) {
      client.close();
      client = null;
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    if (thread != null) {
      thread.join(10_000);
    }
    closeClient();
  }
}
