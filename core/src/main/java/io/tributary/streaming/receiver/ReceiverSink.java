package io.tributary.streaming.receiver;

import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * The engine side of a running {@link Receiver}: where its {@code store}, error and life-cycle
 * calls go. Implemented by the engine (one per running receiver), never by applications.
 */
public interface ReceiverSink<T> {
  void storeSingle(T record);

  /**
   * Stores {@code lines} whole UTF-8 text lines, {@code b[from, to)} with their terminators (a line ends at
   * {@code \n}); buffered into blocks like single records. For receivers of lines of text.
   */
  void storeText(byte[] b, int from, int to, int lines);

  void storeBlock(Iterator<T> records, Object metadata);

  void storeBytes(ByteBuffer bytes, Object metadata);

  void reportError(String message, Throwable error);

  void restart(String message, Throwable error, int delayMs);

  void stop(String message, Throwable error);

  boolean isStarted();

  boolean isStopped();

  /** Attaches a sink to a receiver without widening the receiver's public API. */
}
