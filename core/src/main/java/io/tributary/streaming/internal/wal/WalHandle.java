package io.tributary.streaming.internal.wal;

import java.io.Serializable;

/**
 * Where one record of a write-ahead log is: segment file, offset of its frame, payload length, and
 * the payload's CRC32, by which the record is found again if bytes before it were cut or added
 * (null in handles logged before it was recorded).
 */
public record WalHandle(String segment, long offset, int length, Integer checksum) implements Serializable {}
