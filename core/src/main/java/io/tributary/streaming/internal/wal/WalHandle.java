package io.tributary.streaming.internal.wal;

import java.io.Serializable;

/** Where one record of a write-ahead log is: segment file, offset of its frame, payload length. */
public record WalHandle(String segment, long offset, int length) implements Serializable {}
