package io.tributary.streaming.internal.block;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * A block of received text lines kept as their UTF-8 bytes and decoded only when a task reads
 * them: about a third of the memory of the strings, no per-line work on the receiving thread, and
 * decoding spread over the task threads. A line ends at {@code "\n"}, {@code "\r\n"} or a lone
 * {@code "\r"}, as with {@link java.io.BufferedReader#readLine()}; terminators are kept in the bytes
 * and never returned. Malformed UTF-8 decodes to U+FFFD, as a reader would. Immutable; written to
 * the write-ahead log as it is, with the context's serializer.
 */
public final class TextBlock implements Block, java.io.Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private final int lines;

  /** A block of whole lines: {@code bytes} (taken over) ends with a terminator and holds {@code lines} of them. */
  public TextBlock(byte[] bytes, int lines) {
    this.bytes = bytes;
    this.lines = lines;
  }

  @Override
  public int count() {
    return lines;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Iterator<T> records() {
    return (Iterator<T>) iterator();
  }

  @Override
  public Object serializable() {
    return this;
  }

  int byteSize() {
    return bytes.length;
  }

  /** The lines, decoded one at a time. */
  Iterator<String> iterator() {
    return new Iterator<>() {
      private int pos;

      @Override
      public boolean hasNext() {
        return pos < bytes.length;
      }

      @Override
      public String next() {
        if (pos >= bytes.length) {
          throw new NoSuchElementException();
        }
        byte[] b = bytes;
        int start = pos;
        int end = start;
        while (end < b.length && b[end] != '\n' && b[end] != '\r') {
          end++;
        }
        pos = end + (b[end] == '\r' && end + 1 < b.length && b[end + 1] == '\n' ? 2 : 1);
        return new String(b, start, end - start, StandardCharsets.UTF_8);
      }
    };
  }

  /** Where {@link #readLines} hands whole lines: {@code b[from, to)} holds {@code lines} of them. */
  @FunctionalInterface
  public interface LineSink {
    void accept(byte[] b, int from, int to, int lines);
  }

  /**
   * Reads {@code in} until its end, or until {@code stopped}, and hands over the whole lines of
   * each read as they arrive; the bytes of an unfinished line wait for the next read. A last line
   * without a terminator gets one. Each byte is scanned for line ends once (plus once more when
   * counting the lines handed over), so a long line costs linear time. A line longer than {@code
   * maxLineBytes} (its terminator not counted) is dropped: {@code dropped} is told the bytes held
   * of it when it is found too long, its remaining bytes are skipped, and reading resumes at the
   * next line. The sink must copy what it keeps: the buffer is reused. Returns the bytes scanned
   * for line ends.
   */
  public static long readLines(InputStream in, BooleanSupplier stopped, int maxLineBytes, LineSink sink, LongConsumer dropped)
      throws IOException {
    int capacity = (int) Math.min((long) maxLineBytes + 1, Integer.MAX_VALUE - 16);
    byte[] buffer = new byte[Math.min(1 << 16, capacity)];
    int start = 0; // the first byte not handed over
    int filled = 0;
    int scanned = 0; // [start, scanned) holds no line end (a trailing '\r' is scanned again)
    boolean dropping = false;
    boolean skipLf = false; // the previous byte was a '\r' that ended a line: a '\n' next belongs to it
    long scans = 0;
    while (!stopped.getAsBoolean()) {
      if (filled == buffer.length) {
        if (start > 0) {
          System.arraycopy(buffer, start, buffer, 0, filled - start);
          filled -= start;
          scanned -= start;
          start = 0;
        } else if (buffer.length < capacity) {
          buffer = Arrays.copyOf(buffer, (int) Math.min(2L * buffer.length, capacity));
        } else if (buffer[filled - 1] == '\r') { // a line of exactly maxLineBytes, then '\r'
          sink.accept(buffer, 0, filled, 1);
          start = filled = scanned = 0;
          skipLf = true;
        } else {
          dropped.accept(filled);
          start = filled = scanned = 0;
          dropping = true;
        }
      }
      int n = in.read(buffer, filled, buffer.length - filled);
      if (n <= 0) {
        break;
      }
      int from = filled;
      filled += n;
      if (skipLf) {
        skipLf = false;
        if (buffer[from] == '\n') {
          from++;
          start = scanned = from;
        }
      }
      if (dropping) {
        int i = from;
        while (i < filled && buffer[i] != '\n' && buffer[i] != '\r') {
          i++;
        }
        scans += i - from;
        if (i == filled) {
          start = filled = scanned = 0; // still inside the dropped line
          continue;
        }
        dropping = false;
        if (buffer[i] == '\r') {
          if (i + 1 < filled) {
            i += buffer[i + 1] == '\n' ? 1 : 0;
          } else {
            skipLf = true;
          }
        }
        start = scanned = i + 1;
      }
      int end = wholeLinesEnd(buffer, scanned, filled);
      scans += filled - Math.max(end, scanned);
      if (end > scanned) {
        sink.accept(buffer, start, end, countLines(buffer, start, end));
        scans += end - start;
        start = end;
      }
      scanned = filled > start && buffer[filled - 1] == '\r' ? filled - 1 : filled;
      if (start == filled) {
        start = filled = scanned = 0;
      }
    }
    if (filled > start && !dropping && !stopped.getAsBoolean()) { // the last line, unterminated
      byte[] last = Arrays.copyOfRange(buffer, start, filled + 1);
      last[last.length - 1] = '\n';
      sink.accept(last, 0, last.length, countLines(last, 0, last.length));
    }
    return scans;
  }

  /**
   * The end of the last whole line in {@code b[from, to)}, where {@code from} starts a line:
   * {@code from} when there is none. A {@code '\r'} as the very last byte does not end a line yet,
   * since a {@code '\n'} may follow it; so a cut never falls inside a {@code "\r\n"}.
   */
  static int wholeLinesEnd(byte[] b, int from, int to) {
    int i = to - 1;
    if (i >= from && b[i] == '\r') {
      i--;
    }
    while (i >= from && b[i] != '\n' && b[i] != '\r') {
      i--;
    }
    return i + 1;
  }

  /** The end of the first {@code lines} lines from {@code from}, which starts a line; those lines must be whole. */
  public static int endOfLines(byte[] b, int from, int lines) {
    int i = from;
    for (int seen = 0; seen < lines; i++) {
      if (b[i] == '\r') {
        seen++;
        if (i + 1 < b.length && b[i + 1] == '\n') {
          i++;
        }
      } else if (b[i] == '\n') {
        seen++;
      }
    }
    return i;
  }

  /** The number of lines in {@code b[from, to)}, a run of whole lines (as cut by {@link #wholeLinesEnd}). */
  static int countLines(byte[] b, int from, int to) {
    int newlines = 0;
    boolean carriageReturns = false;
    for (int i = from; i < to; i++) {
      byte c = b[i];
      newlines += c == '\n' ? 1 : 0;
      carriageReturns |= c == '\r';
    }
    if (!carriageReturns) {
      return newlines;
    }
    int lines = 0;
    for (int i = from; i < to; i++) {
      if (b[i] == '\r' || (b[i] == '\n' && (i == from || b[i - 1] != '\r'))) {
        lines++;
      }
    }
    return lines;
  }
}
