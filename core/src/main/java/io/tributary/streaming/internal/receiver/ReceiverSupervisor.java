package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.internal.block.Block;
import io.tributary.streaming.internal.block.RecordBlock;
import io.tributary.streaming.internal.block.BlockStore;
import io.tributary.streaming.internal.block.ReceivedBlockInfo;
import io.tributary.streaming.internal.block.SizeEstimate;
import io.tributary.streaming.internal.block.StreamBlockId;
import io.tributary.streaming.internal.block.TextBlock;
import io.tributary.streaming.receiver.ReceiverSink;
import io.tributary.internal.Throwables;
import io.tributary.StorageLevel;
import io.tributary.streaming.receiver.Receiver;
import io.tributary.streaming.scheduler.ReceiverInfo;
import io.tributary.streaming.scheduler.StreamingListenerReceiverError;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStarted;
import io.tributary.streaming.scheduler.StreamingListenerReceiverStopped;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.internal.wal.WalHandle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one receiver: calls its life-cycle methods on a control thread of its own, turns what it
 * stores into blocks, and restarts it after failures. Consecutive restarts without any record
 * stored in between back off: the delay doubles each time, up to 32 times the base delay.
 */
final class ReceiverSupervisor<T> implements ReceiverSink<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverSupervisor.class);

  private enum State { INITIALIZED, STARTED, STOPPED }

  private final Receiver<T> receiver;
  private final int streamId;
  private final ReceiverEnvironment env;
  private final ReceiverTracker tracker;
  private final StorageLevel level;
  private final BlockGenerator generator;
  private final io.tributary.streaming.internal.rate.RateLimiter limiter;
  private final ScheduledExecutorService control;
  private final long restartDelayMs;
  /** Block ids unique across restarts, as recovered blocks keep theirs. */
  private final AtomicLong blockIds = new AtomicLong(System.currentTimeMillis() * 1000);
  private final FileWriteAheadLog wal;
  private final BlockStore store;
  /** Bytes reserved per buffered record: measured on the first, then on each block stored. */
  private volatile long bytesPerRecord;
  private volatile State state = State.INITIALIZED;
  private volatile boolean terminated;
  private volatile boolean restarting;
  private volatile boolean storedSinceStart;
  private int consecutiveFailures;
  private volatile String lastErrorMessage = "";
  private volatile String lastError = "";
  private volatile long lastErrorTime = -1;

  ReceiverSupervisor(Receiver<T> receiver, int streamId, ReceiverEnvironment env, ReceiverTracker tracker) {
    this.receiver = receiver;
    this.streamId = streamId;
    this.env = env;
    this.tracker = tracker;
    this.level = receiver.storageLevel();
    String name = "tributary-receiver-" + streamId;
    this.limiter = env.limiters().apply(streamId);
    this.generator =
        new BlockGenerator(
            name,
            env.conf().getDuration("streaming.blockInterval", new io.tributary.Duration(200)).milliseconds(),
            env.conf().getInt("streaming.blockQueueSize", 10),
            (block, reserved) -> pushBlock(block, reserved, null));
    this.control =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    this.store = env.blockStore();
    this.wal = tracker.receiverLog(streamId);
    if (wal != null && level.name().endsWith("_2")) {
      LOG.warn("Receiver {} stores at {} with the write-ahead log on: the log already makes the data "
          + "durable, a replicated level adds nothing (and one machine keeps one copy anyway)", streamId, level);
    }
    this.restartDelayMs =
        env.conf().getDuration("streaming.receiverRestartDelay", new io.tributary.Duration(2000)).milliseconds();
  }

  void start() {
    receiver.attach(this, streamId);
    generator.start();
    control.execute(this::startReceiver);
  }

  private void startReceiver() {
    if (terminated) {
      return;
    }
    state = State.STARTED;
    storedSinceStart = false;
    try {
      receiver.onStart();
    } catch (Throwable t) {
      restart("Error starting receiver " + streamId, t, -1);
      return;
    }
    LOG.info("Receiver {} ({}) started", streamId, receiver.getClass().getSimpleName());
    env.listener().accept(new StreamingListenerReceiverStarted(info(true)));
  }

  private void stopReceiver(String message, Throwable error) {
    if (state != State.STARTED) {
      return;
    }
    state = State.STOPPED;
    try {
      receiver.onStop();
    } catch (Throwable t) {
      LOG.warn("Receiver {}: onStop failed", streamId, t);
    }
    LOG.info("Receiver {} stopped: {}", streamId, message, error);
  }

  // ---------------------------------------------------------------- storing

  // Every path reserves its bytes under streaming.receiver.maxBufferedBytes before it takes records
  // in (waiting while they do not fit), and the block store settles and frees them.

  @Override
  public void storeSingle(T record) {
    limiter.acquire(1);
    long bytes = bytesPerRecord;
    if (bytes <= 0) {
      bytes = bytesPerRecord = SizeEstimate.of(record) + 8;
    }
    store.reserve(bytes, this::isStopped);
    try {
      generator.add(record, bytes);
    } catch (RuntimeException e) {
      store.release(bytes);
      throw e;
    }
    storedSinceStart = true;
  }

  @Override
  public void storeText(byte[] b, int from, int to, int lines) {
    double rate = limiter.rate();
    // under a rate limit, lines are paid for in steps of about 10 ms of permits, as evenly as single records
    int step = Double.isInfinite(rate) ? lines : (int) Math.max(1, Math.min(lines, rate / 100));
    for (int start = from, left = lines; left > 0; left -= step) {
      int n = Math.min(step, left);
      int end = n == left ? to : TextBlock.endOfLines(b, start, n);
      limiter.acquire(n);
      store.reserve(end - start, this::isStopped);
      try {
        generator.addText(b, start, end, n);
      } catch (RuntimeException e) {
        store.release(end - start);
        throw e;
      }
      start = end;
    }
    storedSinceStart = true;
  }

  @Override
  public void storeBlock(Iterator<T> records, Object metadata) {
    List<Object> all = new ArrayList<>();
    records.forEachRemaining(all::add);
    Object[] block = all.toArray();
    limiter.acquire(block.length);
    long reserved = SizeEstimate.ofRecords(block);
    store.reserve(reserved, this::isStopped);
    pushBlock(new RecordBlock(block), reserved, metadata);
  }

  @Override
  public void storeBytes(ByteBuffer bytes, Object metadata) {
    long reserved = bytes.remaining();
    store.reserve(reserved, this::isStopped);
    StreamBlockId id = new StreamBlockId(streamId, blockIds.getAndIncrement());
    boolean stored = false;
    try {
      byte[] copy = new byte[bytes.remaining()];
      bytes.get(copy);
      checkMetadata(metadata);
      int records = store.putBytes(id, copy, level, reserved);
      stored = true;
      limiter.acquire(records); // throttled once decoded (only then is the count known), before it joins a batch
      WalHandle logged = wal == null ? null : wal.write(copy, env.clock().getTimeMillis());
      tracker.addBlock(new ReceivedBlockInfo(streamId, id, records, metadata, logged));
    } catch (RuntimeException e) {
      giveBack(id, stored, reserved);
      throw e;
    }
    storedSinceStart = true;
  }

  /**
   * Stores one block for which {@code reserved} bytes are
   * reserved: in the block store, in the write-ahead log when it is on (durable before this
   * returns), and with the tracker, which logs it too. On failure the reservation is given back.
   */
  private void pushBlock(Block block, long reserved, Object metadata) {
    int records = block.count();
    if (records == 0 && metadata == null) {
      store.release(reserved);
      return;
    }
    StreamBlockId id = new StreamBlockId(streamId, blockIds.getAndIncrement());
    boolean stored = false;
    try {
      checkMetadata(metadata);
      WalHandle logged =
          wal == null ? null : wal.write(env.serializer().serialize(block.serializable()), env.clock().getTimeMillis());
      long bytes = store.put(id, block, level, reserved);
      stored = true;
      if (block instanceof RecordBlock && records > 0) { // text is measured exactly, per block
        bytesPerRecord = Math.max(1, bytes / records);
      }
      tracker.addBlock(new ReceivedBlockInfo(streamId, id, records, metadata, logged));
    } catch (RuntimeException e) {
      giveBack(id, stored, reserved);
      throw e;
    }
    storedSinceStart = true;
  }

  /** After a failed store: drops the block when it got into the store, else gives back its reservation. */
  private void giveBack(StreamBlockId id, boolean stored, long reserved) {
    if (stored) {
      store.remove(List.of(id));
    } else {
      store.release(reserved);
    }
  }

  private void checkMetadata(Object metadata) {
    if (wal != null && metadata != null && !(metadata instanceof java.io.Serializable)) {
      throw new IllegalArgumentException(
          "Block metadata of receiver " + streamId + " is a " + metadata.getClass().getName()
              + ", which is not Serializable: with the write-ahead log on, metadata is logged");
    }
  }

  /** Makes everything stored so far a block for the next batch; see {@link BlockGenerator#flush}. */
  void flush(long deadlineNanos) {
    try {
      if (!generator.flush(deadlineNanos)) {
        LOG.debug("Receiver {}: storage is behind, records still buffered go to a later batch", streamId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Deletes write-ahead log segments of data older than {@code threshold}. */
  void cleanLog(long threshold) {
    if (wal != null) {
      wal.clean(threshold);
    }
  }

  // ---------------------------------------------------------------- errors and life cycle

  @Override
  public void reportError(String message, Throwable error) {
    LOG.warn("Receiver {} reported an error: {}", streamId, message, error);
    recordError(message, error);
    env.listener().accept(new StreamingListenerReceiverError(info(true)));
  }

  @Override
  public void restart(String message, Throwable error, int delayMs) {
    if (terminated || restarting) {
      return;
    }
    restarting = true;
    long delay;
    synchronized (this) {
      consecutiveFailures = storedSinceStart ? 0 : consecutiveFailures + 1;
      long base = delayMs >= 0 ? delayMs : restartDelayMs;
      delay = base << Math.min(Math.max(consecutiveFailures - 1, 0), 5);
    }
    LOG.warn("Restarting receiver {} in {} ms: {}", streamId, delay, message, error);
    recordError(message, error);
    env.listener().accept(new StreamingListenerReceiverError(info(true)));
    control.execute(() -> stopReceiver("restarting: " + message, error));
    control.schedule(
        () -> {
          restarting = false;
          startReceiver();
        },
        delay,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop(String message, Throwable error) {
    if (terminated) {
      return;
    }
    terminated = true;
    recordError(message, error); // listeners see why it stopped, with or without an exception
    control.execute(
        () -> {
          stopReceiver(message, error);
          env.listener().accept(new StreamingListenerReceiverStopped(info(false)));
        });
  }

  /** The context stops: stop the receiver, then turn everything it buffered into blocks. */
  void stopFromContext(boolean graceful) {
    boolean wasRunning = !terminated;
    terminated = true;
    try {
      control.submit(() -> stopReceiver("the StreamingContext stopped", null)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Receiver {} did not stop within 30 s", streamId, e);
    }
    control.shutdownNow();
    generator.stop();
    if (wal != null) {
      wal.close();
    }
    if (wasRunning) {
      env.listener().accept(new StreamingListenerReceiverStopped(info(false)));
    }
  }

  @Override
  public boolean isStarted() {
    return state == State.STARTED;
  }

  @Override
  public boolean isStopped() {
    return state == State.STOPPED || terminated;
  }

  private void recordError(String message, Throwable error) {
    lastErrorMessage = message;
    lastError = error == null ? "" : Throwables.stackTrace(error);
    lastErrorTime = System.currentTimeMillis();
  }

  private ReceiverInfo info(boolean active) {
    String host;
    try {
      host = InetAddress.getLoopbackAddress().getHostName();
    } catch (RuntimeException e) {
      host = "localhost";
    }
    return new ReceiverInfo(
        streamId, receiver.getClass().getSimpleName(), active, host, "driver", lastErrorMessage,
        lastError, lastErrorTime);
  }

}
