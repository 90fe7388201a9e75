package io.tributary.flume;

import io.netty.util.concurrent.DefaultThreadFactory;
import io.tributary.StorageLevel;
import io.tributary.flume.sink.TributarySinkProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.CallFuture;
import org.apache.avro.ipc.generic.GenericRequestor;
import org.apache.avro.ipc.netty.NettyTransceiver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver of {@link FlumeUtils#createPollingStream}: {@code parallelism} connections to each
 * agent's {@code io.tributary.flume.sink.TributarySink}, each asking for a batch, storing it as one
 * block, then acknowledging it (the sink commits its channel transaction) or, when it could not be
 * stored, rejecting it (the sink rolls back, the events are delivered again). A batch is
 * acknowledged only after {@code store} returned, so with the write-ahead log on nothing the agent
 * let go of is lost; a process that dies holding a batch leaves it to the sink's timeout, which
 * rolls it back.
 */
final class FlumePollingReceiver extends FlumeReceiver {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(FlumePollingReceiver.class);

  private final List<InetSocketAddress> addresses;
  private final int maxBatchSize;
  private final int parallelism;
  private final long pollTimeoutMs;
  private final long reconnectDelayMs;

  private transient volatile ExecutorService pollers;
  private transient volatile Set<NettyTransceiver> open;

  FlumePollingReceiver(List<InetSocketAddress> addresses, StorageLevel storageLevel, int maxBatchSize,
      int parallelism, long maxEventBytes, long pollTimeoutMs, long reconnectDelayMs) {
    super(storageLevel, maxEventBytes);
    this.addresses = List.copyOf(addresses);
    this.maxBatchSize = maxBatchSize;
    this.parallelism = parallelism;
    this.pollTimeoutMs = pollTimeoutMs;
    this.reconnectDelayMs = reconnectDelayMs;
  }

  @Override
  String source() {
    return "TributarySink(s) at " + addresses;
  }

  @Override
  public void onStart() {
    open = ConcurrentHashMap.newKeySet();
    pollers = Executors.newFixedThreadPool(addresses.size() * parallelism,
        new DefaultThreadFactory("flume-poll-" + streamId(), true));
    for (InetSocketAddress address : addresses) {
      for (int i = 0; i < parallelism; i++) {
        pollers.execute(() -> poll(address));
      }
    }
  }

  @Override
  public void onStop() {
    ExecutorService p = pollers;
    if (p != null) {
      p.shutdownNow();
    }
    Set<NettyTransceiver> o = open;
    if (o != null) {
      o.forEach(t -> t.close(false));
    }
    if (p != null) {
      try {
        p.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** One connection's loop: connect, then poll, store and acknowledge until stopped; reconnect on failure. */
  private void poll(InetSocketAddress address) {
    while (!isStopped() && !Thread.currentThread().isInterrupted()) {
      NettyTransceiver transceiver = null;
      try {
        transceiver = new NettyTransceiver(address, (int) Math.min(pollTimeoutMs, Integer.MAX_VALUE));
        open.add(transceiver);
        counters().connections.incrementAndGet();
        GenericRequestor requestor = new GenericRequestor(TributarySinkProtocol.PROTOCOL, transceiver);
        while (!isStopped()) {
          pollOnce(address, requestor);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        if (isStopped()) {
          return;
        }
        counters().connectionFailures.incrementAndGet();
        LOG.debug("Flume stream {}: connection to {} failed", streamId(), address, e);
        reportProblem("Flume polling stream: the connection to TributarySink at " + address + " failed (" + e
            + "); connecting again in " + reconnectDelayMs + " ms", e);
      } finally {
        if (transceiver != null) {
          open.remove(transceiver);
          transceiver.close(false);
        }
      }
      try {
        Thread.sleep(reconnectDelayMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void pollOnce(InetSocketAddress address, GenericRequestor requestor) throws Exception {
    GenericRecord batch = call(requestor, TributarySinkProtocol.GET_EVENT_BATCH, maxBatchSize);
    String error = TributarySinkProtocol.error(batch);
    List<GenericRecord> records = TributarySinkProtocol.events(batch);
    if (!error.isEmpty()) {
      reportProblem("Flume polling stream: TributarySink at " + address + " answered: " + error, null);
      Thread.sleep(reconnectDelayMs);
      return;
    }
    if (records.isEmpty()) {
      return; // the sink watched its empty channel for its backoff already
    }
    String seq = TributarySinkProtocol.sequenceNumber(batch);
    counters().received.addAndGet(records.size());
    List<FlumeEvent> events = new ArrayList<>(records.size());
    for (GenericRecord r : records) {
      ByteBuffer b = TributarySinkProtocol.body(r);
      byte[] body = new byte[b.remaining()];
      b.duplicate().get(body);
      add(events, new HashMap<>(TributarySinkProtocol.headers(r)), body);
    }
    try {
      storeBatch(events);
    } catch (RuntimeException e) {
      call(requestor, TributarySinkProtocol.NACK, seq);
      if (!isStopped()) {
        reportProblem("Flume polling stream: could not store a batch of " + events.size() + " events from " + address
            + "; rolled back in the agent, it is delivered again", e);
      }
      return;
    }
    Boolean committed = call(requestor, TributarySinkProtocol.ACK, seq);
    if (Boolean.TRUE.equals(committed)) {
      counters().acknowledged.incrementAndGet();
    } else {
      counters().late.incrementAndGet();
      reportProblem("Flume polling stream: TributarySink at " + address + " had already rolled back batch " + seq
          + " (its 'timeout' passed, or it restarted): its " + events.size() + " stored events are delivered again "
          + "and will be stored twice; raise the sink's timeout if batches take longer to store", null);
    }
  }

  /** One RPC, bounded by {@code streaming.flume.pollTimeout}. */
  private <T> T call(GenericRequestor requestor, String message, Object argument) throws Exception {
    CallFuture<T> answer = new CallFuture<>();
    requestor.request(message, TributarySinkProtocol.request(message, argument), answer);
    try {
      return answer.get(pollTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IOException(message + " got no answer within streaming.flume.pollTimeout (" + pollTimeoutMs + " ms)");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
