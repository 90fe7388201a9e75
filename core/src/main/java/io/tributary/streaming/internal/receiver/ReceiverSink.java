package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.receiver.Receiver;
import java.nio.ByteBuffer;
import java.util.Iterator;

/** Where a running {@link Receiver}'s calls go: implemented by its supervisor. */
public interface ReceiverSink<T> {
  void storeSingle(T record);

  /**
   * Stores {@code lines} whole UTF-8 text lines, {@code b[from, to)} with their terminators (see
   * {@link TextBlock}); buffered into blocks like single records. For receivers of lines of text.
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
  abstract class Binder {
    private static volatile Binder instance;

    public abstract <T> void bind(Receiver<T> receiver, ReceiverSink<T> sink, int streamId);

    public abstract <T> ReceiverSink<T> sinkOf(Receiver<T> receiver);

    public static void install(Binder binder) {
      instance = binder;
    }

    static <T> void attach(Receiver<T> receiver, ReceiverSink<T> sink, int streamId) {
      instance().bind(receiver, sink, streamId);
    }

    /** The sink of a running receiver. */
    static <T> ReceiverSink<T> of(Receiver<T> receiver) {
      return instance().sinkOf(receiver);
    }

    private static Binder instance() {
      if (instance == null) {
        try {
          Class.forName(Receiver.class.getName(), true, Receiver.class.getClassLoader());
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
      }
      return instance;
    }
  }
}
