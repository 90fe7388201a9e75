package io.tributary.streaming.internal.wal;

import java.io.Closeable;
import java.io.IOException;
import java.util.zip.CRC32;
import io.tributary.fs.FileSystem;
import io.tributary.fs.RandomAccessInput;

/**
 * Reads frames (4-byte length, 4-byte CRC32 of the payload, payload) from one segment file at any
 * offset, and finds the next valid frame past damaged bytes. A length is checked against the bytes
 * left in the segment and {@link #MAX_PAYLOAD} before anything is allocated for it.
 */
final class SegmentReader implements Closeable {
  static final int HEADER = 8;
  /** The largest payload a frame may hold; larger writes are refused. */
  static final int MAX_PAYLOAD = 256 << 20;

  /** The frame at an offset: its payload and its (verified) CRC32, or why the bytes there are not a valid frame. */
  record Frame(byte[] payload, int crc, String problem) {
    static Frame invalid(String problem) {
      return new Frame(null, 0, problem);
    }

    boolean valid() {
      return payload != null;
    }
  }

  private final RandomAccessInput in;
  private final long size;
  private final byte[] window = new byte[64 * 1024];
  private long windowStart;
  private int windowLength;

  SegmentReader(FileSystem fs, String segment) throws IOException {
    this.in = fs.openRandomAccess(segment);
    this.size = in.length();
  }

  long size() {
    return size;
  }

  Frame frameAt(long offset) throws IOException {
    if (offset < 0 || size - offset < HEADER) {
      return Frame.invalid("cut short: " + Math.max(0, size - offset) + " byte(s) where a frame header needs " + HEADER);
    }
    int length = intAt(offset);
    if (length < 0 || length > MAX_PAYLOAD) {
      return Frame.invalid("impossible length " + length);
    }
    if (length > size - offset - HEADER) {
      return Frame.invalid("cut short: length " + length + " but " + (size - offset - HEADER) + " byte(s) left");
    }
    int crc = intAt(offset + 4);
    byte[] payload = new byte[length];
    read(offset + HEADER, payload);
    return crcOf(payload) == crc ? new Frame(payload, crc, null) : Frame.invalid("checksum mismatch");
  }

  /** The offset of the first non-empty valid frame at or after {@code from}, or -1 if none. */
  long nextFrame(long from) throws IOException {
    for (long offset = Math.max(0, from); offset <= size - HEADER; offset++) {
      if (intAt(offset) > 0 && frameAt(offset).valid()) { // frameAt checks the length before it allocates
        return offset;
      }
    }
    return -1;
  }

  /**
   * The offset nearest to {@code near} of a valid frame with this payload length and checksum, or
   * -1 if none: where a record is after bytes were cut out of, or added to, the segment before it.
   */
  long find(int length, int crc, long near) throws IOException {
    long best = -1;
    for (long offset = 0; offset <= size - HEADER; offset++) {
      if (best >= 0 && offset - near > Math.abs(best - near)) {
        break;
      }
      if (intAt(offset) == length && intAt(offset + 4) == crc && frameAt(offset).valid()
          && (best < 0 || Math.abs(offset - near) < Math.abs(best - near))) {
        best = offset;
      }
    }
    return best;
  }

  private int intAt(long offset) throws IOException {
    if (offset < windowStart || offset + 4 > windowStart + windowLength) {
      windowStart = offset;
      windowLength = (int) Math.min(window.length, size - offset);
      in.readFully(offset, window, 0, windowLength);
    }
    int i = (int) (offset - windowStart);
    return (window[i] & 0xff) << 24 | (window[i + 1] & 0xff) << 16 | (window[i + 2] & 0xff) << 8 | (window[i + 3] & 0xff);
  }

  private void read(long offset, byte[] into) throws IOException {
    if (offset >= windowStart && offset + into.length <= windowStart + windowLength) {
      System.arraycopy(window, (int) (offset - windowStart), into, 0, into.length);
    } else {
      in.readFully(offset, into, 0, into.length);
    }
  }

  static int crcOf(byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return (int) crc.getValue();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
