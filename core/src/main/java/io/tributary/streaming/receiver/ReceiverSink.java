package io.tributary.streaming.receiver;

import java.nio.ByteBuffer;
import java.util.Iterator;

/**
 * The engine side of a running {@link Receiver}: where its {@code store}, error and life-cycle
 * calls go. Implemented by the engine (one per running receiver), never by applications.
 */
public interface ReceiverSink<T> {
  /** Buffers one record into the next block ({@link Receiver#store(Object)}). */
  void storeSingle(T record);

  /**
   * Stores {@code lines} whole UTF-8 text lines, {@code b[from, to)} with their terminators (a line ends at
   * {@code \n}); buffered into blocks like single records. For receivers of lines of text.
   */
  void storeText(byte[] b, int from, int to, int lines);

  /** Stores the records as one block and returns once it is stored (and logged). */
  void storeBlock(Iterator<T> records, Object metadata);

  /** Stores a block serialized with the context's serializer; returns once it is stored. */
  void storeBytes(ByteBuffer bytes, Object metadata);

  /** See {@link Receiver#reportError}. */
  void reportError(String message, Throwable error);

  /** See {@link Receiver#restart(String, Throwable, int)}; a negative delay means the configured one. */
  void restart(String message, Throwable error, int delayMs);

  /** See {@link Receiver#stop(String, Throwable)}. */
  void stop(String message, Throwable error);

  /** See {@link Receiver#isStarted()}. */
  boolean isStarted();

  /** See {@link Receiver#isStopped()}. */
  boolean isStopped();
}
