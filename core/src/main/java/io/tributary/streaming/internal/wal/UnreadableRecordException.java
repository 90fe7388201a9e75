package io.tributary.streaming.internal.wal;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A logged record that is gone for good: its segment is missing, or its bytes are damaged. */
public final class UnreadableRecordException extends UncheckedIOException {
  UnreadableRecordException(WalHandle handle, String problem) {
    super("Cannot read the write-ahead log record at offset " + handle.offset() + " of " + handle.segment()
        + " (" + handle.length() + " bytes): " + problem, new IOException(problem));
  }
}
