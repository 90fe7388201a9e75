package io.tributary.twitter;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads newline-delimited lines (CRLF or LF) as bytes, at most {@code maxBytes} each: a longer line
 * is skipped to its end and reported as {@link #OVERSIZED}, so one huge line never takes the heap.
 */
final class LineReader {
  /** Returned instead of a line that was longer than the maximum. */
  static final byte[] OVERSIZED = new byte[0];

  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[8192];
  private int pos;
  private int limit;
  private byte[] line = new byte[256];
  private long lastOversizedBytes;

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line without its line end, {@link #OVERSIZED}, or null at the end of the stream. */
  byte[] next() throws IOException {
    int length = 0;
    long skipped = -1;   // >= 0 while skipping an oversized line
    while (true) {
      if (pos == limit) {
        int n = in.read(buffer, 0, buffer.length);
        pos = 0;
        limit = Math.max(n, 0);
        if (n == 0) {
          continue;   // the JDK client's stream may hand out an empty buffer
        }
        if (n < 0) {
          if (skipped >= 0) {
            lastOversizedBytes = skipped;
            return OVERSIZED;
          }
          return length == 0 ? null : finish(length);
        }
      }
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      int chunk = pos - start;
      boolean end = pos < limit;
      if (end) {
        pos++;   // the '\n'
      }
      if (skipped >= 0) {
        skipped += chunk;
      } else if (length + chunk > maxBytes + 1) {   // + 1: a '\r' before the '\n' is not content
        skipped = (long) length + chunk;
        length = 0;
      } else {
        if (length + chunk > line.length) {
          line = Arrays.copyOf(line, Math.max(line.length * 2, length + chunk));
        }
        System.arraycopy(buffer, start, line, length, chunk);
        length += chunk;
      }
      if (end) {
        if (skipped >= 0) {
          lastOversizedBytes = skipped;
          return OVERSIZED;
        }
        return finish(length);
      }
    }
  }

  /** The length of the last oversized line, in bytes. */
  long lastOversizedBytes() {
    return lastOversizedBytes;
  }

  private byte[] finish(int length) {
    if (length > 0 && line[length - 1] == '\r') {
      length--;
    }
    if (length > maxBytes) {
      lastOversizedBytes = length;
      return OVERSIZED;
    }
    return Arrays.copyOf(line, length);
  }
}
