package io.tributary.flume.sink;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Protocol;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.ipc.netty.NettyServer;
import org.apache.avro.ipc.generic.GenericResponder;
import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.FlumeException;
import org.apache.flume.Transaction;
import org.apache.flume.conf.Configurable;
import org.apache.flume.conf.ConfigurationException;
import org.apache.flume.instrumentation.SinkCounter;
import org.apache.flume.sink.AbstractSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flume sink that Tributary's polling stream ({@code FlumeUtils.createPollingStream}) pulls
 * from. It serves {@link TributarySinkProtocol} on {@code hostname:port}; each batch a receiver
 * asks for is taken from the channel in a transaction of its own, which stays open until the
 * receiver acknowledges the batch (commit: the events leave the channel) or rejects it (rollback:
 * they are delivered again). A batch neither acknowledged nor rejected within {@code timeout} is
 * rolled back, so a receiver that dies loses nothing the channel held.
 *
 * <pre>
 * a1.sinks.k1.type = io.tributary.flume.sink.TributarySink
 * a1.sinks.k1.channel = c1
 * a1.sinks.k1.hostname = 0.0.0.0
 * a1.sinks.k1.port = 9999
 * a1.sinks.k1.threads = 10      # batches held open at once (transactions), default 10
 * a1.sinks.k1.timeout = 60      # seconds a batch waits for its acknowledgement, default 60
 * a1.sinks.k1.backoff = 200     # ms an empty channel is watched for events before answering none, default 200
 * </pre>
 *
 * <p>Flume channel transactions belong to the thread that began them, so each open batch holds one
 * of {@code threads} threads until it is acknowledged; asking for more batches at once than that
 * waits, then gets an error naming the setting.
 */
public class TributarySink extends AbstractSink implements Configurable {
  private static final Logger LOG = LoggerFactory.getLogger(TributarySink.class);
  static final String HOSTNAME = "hostname";
  static final String PORT = "port";
  static final String THREADS = "threads";
  static final String TIMEOUT = "timeout";
  static final String BACKOFF = "backoff";
  private static final long SLOT_WAIT_MS = 1_000;

  private String hostname;
  private int port;
  private int threads;
  private long timeoutMs;
  private long backoffMs;
  private SinkCounter counter;

  private volatile Running running;

  @Override
  public void configure(Context context) {
    String where = "TributarySink " + getName() + ": ";
    hostname = context.getString(HOSTNAME);
    if (hostname == null || hostname.isBlank()) {
      throw new ConfigurationException(where + "'" + HOSTNAME + "' is required: the address to serve the "
          + "polling receivers on (e.g. " + HOSTNAME + " = 0.0.0.0)");
    }
    port = intSetting(context, where, PORT, null, 0, 65535);
    threads = intSetting(context, where, THREADS, 10, 1, 10_000);
    timeoutMs = intSetting(context, where, TIMEOUT, 60, 1, 86_400) * 1000L;
    backoffMs = intSetting(context, where, BACKOFF, 200, 0, 60_000);
    if (counter == null) {
      counter = new SinkCounter(getName());
    }
  }

  private static int intSetting(Context context, String where, String key, Integer dflt, int min, int max) {
    String raw = context.getString(key);
    if (raw == null) {
      if (dflt == null) {
        throw new ConfigurationException(where + "'" + key + "' is required (" + min + " to " + max + ")");
      }
      return dflt;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(where + "'" + key + "' must be a whole number from " + min + " to " + max
          + ", not '" + raw + "'");
    }
    if (value < min || value > max) {
      throw new ConfigurationException(where + "'" + key + "' must be from " + min + " to " + max + ", not " + value);
    }
    return value;
  }

  @Override
  public synchronized void start() {
    if (counter == null) {
      counter = new SinkCounter(getName());
    }
    counter.start();
    try {
      running = new Running();
    } catch (Exception e) {
      counter.incrementConnectionFailedCount();
      throw new FlumeException("TributarySink " + getName() + " could not listen on " + hostname + ":" + port
          + " (setting '" + HOSTNAME + "'/'" + PORT + "'): " + e.getMessage(), e);
    }
    LOG.info("TributarySink {} serving on {}:{} (threads={}, timeout={} s, backoff={} ms)", getName(), hostname,
        running.server.getPort(), threads, timeoutMs / 1000, backoffMs);
    super.start();
  }

  @Override
  public synchronized void stop() {
    Running r = running;
    running = null;
    if (r != null) {
      r.close();
    }
    counter.stop();
    LOG.info("TributarySink {} stopped: {}", getName(), counter);
    super.stop();
  }

  /** The port served; 0 when not started. */
  public int getPort() {
    Running r = running;
    return r == null ? 0 : r.server.getPort();
  }

  /** Waits until the sink stops: the receivers do the work, over RPC. */
  @Override
  public Status process() {
    Running r = running;
    if (r != null) {
      try {
        r.stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Status.BACKOFF;
  }

  /** The server, the transaction threads and the batches open now. */
  private final class Running {
    final String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    final AtomicLong sequence = new AtomicLong();
    final Map<String, OpenBatch> open = new ConcurrentHashMap<>();
    final Semaphore slots = new Semaphore(threads);
    final ExecutorService transactions =
        Executors.newFixedThreadPool(threads, new DefaultThreadFactory("tributary-sink-" + getName() + "-txn", true));
    final CountDownLatch stopped = new CountDownLatch(1);
    final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("tributary-sink-boss", true));
    final EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("tributary-sink-io", true));
    final EventLoopGroup callers =
        new DefaultEventLoopGroup(threads + 2, new DefaultThreadFactory("tributary-sink-rpc", true));
    final NettyServer server;
    volatile boolean closing;

    Running() throws InterruptedException {
      try {
        server = new NettyServer(new Responder(this), new InetSocketAddress(hostname, port), ch -> {}, b -> {}, boss,
            workers, callers);
      } catch (RuntimeException | InterruptedException e) {
        shutdownThreads();
        throw e;
      }
    }

    GenericRecord getEventBatch(int n) throws InterruptedException {
      if (n <= 0) {
        return TributarySinkProtocol.batch("batch size must be positive, not " + n, "", List.of());
      }
      if (closing) {
        return TributarySinkProtocol.batch("TributarySink " + getName() + " is stopping", "", List.of());
      }
      if (!slots.tryAcquire(SLOT_WAIT_MS, TimeUnit.MILLISECONDS)) {
        return TributarySinkProtocol.batch("all " + threads + " threads of TributarySink " + getName()
            + " hold a batch that is not acknowledged yet: raise the sink's '" + THREADS + "' or lower the receivers' "
            + "parallelism", "", List.of());
      }
      OpenBatch batch = new OpenBatch(this, n);
      try {
        transactions.execute(batch);
      } catch (RuntimeException e) {
        slots.release();
        return TributarySinkProtocol.batch("TributarySink " + getName() + " is stopping", "", List.of());
      }
      try {
        return batch.answer.get();
      } catch (ExecutionException e) {
        return TributarySinkProtocol.batch(String.valueOf(e.getCause()), "", List.of());
      }
    }

    boolean settle(String sequenceNumber, boolean commit) throws InterruptedException {
      OpenBatch batch = open.get(sequenceNumber);
      if (batch == null) {
        return false; // already rolled back (timeout, stop), or from an earlier run of the sink
      }
      batch.outcome.complete(commit);
      try {
        return batch.done.get(timeoutMs, TimeUnit.MILLISECONDS) == commit; // committed, or rolled back
      } catch (ExecutionException | TimeoutException e) {
        return false;
      }
    }

    void close() {
      closing = true;
      stopped.countDown();
      for (OpenBatch b : open.values()) {
        b.outcome.complete(false);
      }
      // NettyServer.close() alone would wait Netty's 2 s quiet period twice and leave the callers running
      shutdownThreads();
      server.close();
      transactions.shutdownNow();
      try {
        transactions.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void shutdownThreads() {
      boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      callers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  /** One batch in its channel transaction, on a transaction thread from take to commit or rollback. */
  private final class OpenBatch implements Runnable {
    final Running owner;
    final int max;
    final CompletableFuture<GenericRecord> answer = new CompletableFuture<>();
    final CompletableFuture<Boolean> outcome = new CompletableFuture<>();
    final CompletableFuture<Boolean> done = new CompletableFuture<>();

    OpenBatch(Running owner, int max) {
      this.owner = owner;
      this.max = max;
    }

    @Override
    public void run() {
      String seq = null;
      Channel channel = getChannel();
      Transaction tx = null;
      boolean committed = false;
      try {
        tx = channel.getTransaction();
        tx.begin();
        List<GenericRecord> events = take(channel);
        if (events.isEmpty()) {
          counter.incrementBatchEmptyCount();
          tx.commit();
          committed = true;
          answer.complete(TributarySinkProtocol.batch("", "", List.of()));
          return;
        }
        counter.incrementBatchCompleteCount();
        counter.addToEventDrainAttemptCount(events.size());
        seq = owner.prefix + owner.sequence.incrementAndGet();
        owner.open.put(seq, this);
        answer.complete(TributarySinkProtocol.batch("", seq, events));
        boolean commit;
        try {
          commit = outcome.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
          if (outcome.complete(false)) {
            LOG.warn("TributarySink {}: batch {} of {} events was not acknowledged within {} s ('{}'); rolled back, "
                + "it will be delivered again", getName(), seq, events.size(), timeoutMs / 1000, TIMEOUT);
          }
          commit = outcome.join();
        }
        if (commit) {
          tx.commit();
          committed = true;
          counter.addToEventDrainSuccessCount(events.size());
        } else {
          tx.rollback();
        }
      } catch (InterruptedException e) {
        rollback(tx);
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        counter.incrementChannelReadFail();
        LOG.warn("TributarySink {}: could not take or commit a batch from channel {}", getName(), channel.getName(), t);
        rollback(tx);
        answer.complete(TributarySinkProtocol.batch("TributarySink " + getName() + " could not take events from "
            + "channel " + channel.getName() + ": " + t, "", List.of()));
      } finally {
        if (tx != null) {
          tx.close();
        }
        if (seq != null) {
          owner.open.remove(seq);
        }
        answer.complete(TributarySinkProtocol.batch("TributarySink " + getName() + " is stopping", "", List.of()));
        done.complete(committed);
        owner.slots.release();
      }
    }

    /** Up to {@code max} events; when the channel is empty, watches it for {@code backoff} ms first. */
    private List<GenericRecord> take(Channel channel) throws InterruptedException {
      List<GenericRecord> events = new ArrayList<>(Math.min(max, 1024));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
      while (events.size() < max) {
        Event e = channel.take();
        if (e != null) {
          events.add(TributarySinkProtocol.event(e.getHeaders(), e.getBody()));
        } else if (events.isEmpty() && System.nanoTime() < deadline && !owner.closing) {
          Thread.sleep(Math.min(10, backoffMs));
        } else {
          break;
        }
      }
      return events;
    }

    private void rollback(Transaction tx) {
      if (tx != null) {
        try {
          tx.rollback();
        } catch (RuntimeException e) {
          LOG.warn("TributarySink {}: rollback failed", getName(), e);
        }
      }
    }
  }

  /** The generic Avro responder: one method per message of {@link TributarySinkProtocol}. */
  private static final class Responder extends GenericResponder {
    private final Running running;

    Responder(Running running) {
      super(TributarySinkProtocol.PROTOCOL);
      this.running = running;
    }

    @Override
    public Object respond(Protocol.Message message, Object request) throws Exception {
      GenericRecord args = (GenericRecord) request;
      return switch (message.getName()) {
        case TributarySinkProtocol.GET_EVENT_BATCH -> running.getEventBatch((Integer) args.get(0));
        case TributarySinkProtocol.ACK -> running.settle(args.get(0).toString(), true);
        case TributarySinkProtocol.NACK -> running.settle(args.get(0).toString(), false);
        default -> throw new IllegalArgumentException("unknown message " + message.getName());
      };
    }
  }
}
