package io.tributary.streaming.receiver;

import io.tributary.StorageLevel;
import io.tributary.internal.Checks;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A long-running source of records: the way to bring any system's data into a stream. Hand an
 * instance to {@code ssc.receiverStream(receiver)}; the context runs it on threads of its own
 * (never on a task thread) and makes each batch from what it stored.
 *
 * <h2>Contract</h2>
 *
 * <ul>
 *   <li>{@link #onStart()} is called when the context starts (and after each restart). It must
 *       not block: start your own threads there, and return. {@link #onStop()} must release
 *       everything {@code onStart} took; your threads should end once {@link #isStopped()} is true.
 *   <li>{@code store} may be called from any thread, only while the receiver runs.
 *       <ul>
 *         <li>{@link #store(Object)} buffers one record and returns at once; every {@code
 *             streaming.blockInterval} the buffered records become a block. Fast, but records in
 *             the buffer are lost if the process dies: use it for sources that cannot replay.
 *         <li>{@link #store(List)}, {@link #store(Iterator)} and {@link #store(ByteBuffer)} store
 *             their records as one block and return only once the block is stored (and written
 *             to the write-ahead log when that is enabled). Acknowledge your source after such a
 *             call returns, and nothing acknowledged is lost: a <em>reliable</em> receiver.
 *         <li>Every {@code store} is throttled to the stream's rate ({@code
 *             streaming.receiver.maxRate}, lowered further by backpressure when {@code
 *             streaming.backpressure.enabled}): a call waits until its records are within the rate,
 *             a block of {@code n} records waiting for {@code n} permits. {@link #store(Object)}
 *             also waits while the engine is {@code streaming.blockQueueSize} blocks behind, so
 *             a source that outpaces the pipeline is slowed down rather than filling the heap.
 *         <li>Every {@code store} also waits while the received data held reaches {@code
 *             streaming.receiver.maxBufferedBytes} (a quarter of the heap by default), until
 *             processed batches free their blocks; a receiver stopped while waiting fails its
 *             {@code store} as after a stop.
 *       </ul>
 *   <li>On trouble, choose: {@link #reportError} (tell the listeners, keep running), {@link
 *       #restart} ({@code onStop}, a delay of {@code streaming.receiverRestartDelay} or the one
 *       given, then {@code onStart}; use it when the connection broke), or {@link #stop} (give up
 *       for good). An exception thrown by {@code onStart} is a restart.
 * </ul>
 *
 * <pre>{@code
 * class LineReceiver extends Receiver<String> {
 *   LineReceiver() { super(StorageLevel.MEMORY_ONLY); }
 *   public void onStart() { new Thread(this::receive).start(); }
 *   public void onStop() {}  // receive() checks isStopped()
 *   private void receive() {
 *     try (BufferedReader in = open()) {
 *       for (String line; !isStopped() && (line = in.readLine()) != null; ) store(line);
 *       restart("Connection closed");
 *     } catch (IOException e) {
 *       restart("Error receiving", e);
 *     }
 *   }
 * }
 * }</pre>
 */
public abstract class Receiver<T> implements Serializable {
  private final StorageLevel storageLevel;
  private transient volatile ReceiverSink<T> sink;
  private volatile int streamId = -1;

  protected Receiver(StorageLevel storageLevel) {
    this.storageLevel = Checks.notNull(storageLevel, "storage level");
  }

  /** Starts receiving; must not block. */
  public abstract void onStart();

  /** Stops receiving and releases what {@link #onStart()} took. */
  public abstract void onStop();

  /** A host this receiver would rather run on; ignored on a single machine. */
  public Optional<String> preferredLocation() {
    return Optional.empty();
  }

  public final StorageLevel storageLevel() {
    return storageLevel;
  }

  /** The id of the input stream this receiver feeds; -1 before the context started it. */
  public final int streamId() {
    return streamId;
  }

  // ---------------------------------------------------------------- storing

  /**
   * Buffers one record; it joins the next block (unreliable path). Returns at once unless the rate
   * limit or a full block queue makes it wait.
   */
  public void store(T record) {
    sink().storeSingle(record);
  }

  /**
   * Stores the records as one block; returns once the block is stored (reliable path). Waits first
   * until the rate limit allows that many records.
   */
  public void store(List<T> records) {
    sink().storeBlock(records.iterator(), null);
  }

  /** Stores the records as one block with source metadata (e.g. offsets), delivered to the tracker. */
  public void store(List<T> records, Object metadata) {
    sink().storeBlock(records.iterator(), metadata);
  }

  /** Stores the iterator's records as one block; returns once stored (reliable path). */
  public void store(Iterator<T> records) {
    sink().storeBlock(records, null);
  }

  public void store(Iterator<T> records, Object metadata) {
    sink().storeBlock(records, metadata);
  }

  /**
   * Stores a block already serialized with the context's serializer (an array of records), as
   * one block; returns once stored.
   */
  public void store(ByteBuffer bytes) {
    sink().storeBytes(bytes, null);
  }

  public void store(ByteBuffer bytes, Object metadata) {
    sink().storeBytes(bytes, metadata);
  }

  // ---------------------------------------------------------------- errors and life cycle

  /** Reports an error to the listeners and the log; the receiver keeps running. */
  public void reportError(String message, Throwable error) {
    sink().reportError(message, error);
  }

  /** Restarts after {@code streaming.receiverRestartDelay}: onStop, the delay, onStart. Returns at once. */
  public void restart(String message) {
    sink().restart(message, null, -1);
  }

  public void restart(String message, Throwable error) {
    sink().restart(message, error, -1);
  }

  /** Restarts after {@code delayMs} milliseconds. */
  public void restart(String message, Throwable error, int delayMs) {
    sink().restart(message, error, delayMs);
  }

  /** Stops this receiver for good; the rest of the application goes on. */
  public void stop(String message) {
    sink().stop(message, null);
  }

  public void stop(String message, Throwable error) {
    sink().stop(message, error);
  }

  /** True once onStart has returned and until the receiver stops or restarts. */
  public boolean isStarted() {
    ReceiverSink<T> s = sink;
    return s != null && s.isStarted();
  }

  /** True when the receiver should stop: loops in receiving threads check this. */
  public boolean isStopped() {
    ReceiverSink<T> s = sink;
    return s == null || s.isStopped();
  }

  // ---------------------------------------------------------------- engine side

  /**
   * Engine use: connects this receiver to the sink of the context that runs it, before {@link
   * #onStart()}. A receiver instance runs in one context at a time.
   */
  public final void attach(ReceiverSink<T> sink, int streamId) {
    this.sink = Checks.notNull(sink, "sink");
    this.streamId = streamId;
  }

  /**
   * The engine side of this running receiver; fails when it is not running. Receivers that read
   * text in bulk may hand whole buffers of lines to {@link ReceiverSink#storeText}.
   */
  protected final ReceiverSink<T> sink() {
    ReceiverSink<T> s = sink;
    if (s == null) {
      throw new IllegalStateException(
          "Receiver " + getClass().getName() + " is not running: store, restart and stop can "
              + "only be used once the StreamingContext has started it");
    }
    return s;
  }
}
