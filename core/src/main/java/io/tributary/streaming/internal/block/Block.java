package io.tributary.streaming.internal.block;

import java.util.Iterator;

/**
 * A block of received records, as a receiver stores it and a batch reads it: records as objects
 * ({@link RecordBlock}) or text lines as UTF-8 bytes ({@link TextBlock}). Immutable once stored.
 */
public sealed interface Block permits RecordBlock, TextBlock {

  /** The number of records. */
  int count();

  /** The records, in the order they were stored. */
  <T> Iterator<T> records();

  /** What the write-ahead log and serialized storage levels write: read back with {@link #decode}. */
  Object serializable();

  /** The block {@code serializable()} gave, once deserialized. */
  static Block decode(Object decoded) {
    if (decoded instanceof Object[] records) {
      return new RecordBlock(records);
    }
    if (decoded instanceof TextBlock text) {
      return text;
    }
    throw new IllegalArgumentException(
        "Not a block of records: " + (decoded == null ? "null" : decoded.getClass().getName())
            + "; a block is written as an Object[] of records or as text lines");
  }
}
