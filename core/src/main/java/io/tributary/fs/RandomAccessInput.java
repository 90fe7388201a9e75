package io.tributary.fs;

import java.io.Closeable;
import java.io.IOException;

/** A file open for reads at any offset. */
public interface RandomAccessInput extends Closeable {
  /** The file's length in bytes when it was opened. */
  long length() throws IOException;

  /**
   * Reads exactly {@code length} bytes at file offset {@code position} into {@code buffer} from
   * {@code offset}; fails with {@link java.io.EOFException} if the file ends first.
   */
  void readFully(long position, byte[] buffer, int offset, int length) throws IOException;
}
