package io.tributary.streaming.internal.wal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Damages write-ahead log segments the way disks and people do, frame by frame. */
public final class WalFiles {
  private WalFiles() {}

  /** The only segment in {@code dir}. */
  public static Path onlySegment(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> segments = files.filter(p -> p.getFileName().toString().startsWith("log-")).toList();
      if (segments.size() != 1) {
        throw new IllegalStateException("expected one segment in " + dir + ": " + segments);
      }
      return segments.get(0);
    }
  }

  /** The offsets of the frames of an intact segment, in order. */
  public static List<Long> frameOffsets(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    List<Long> offsets = new ArrayList<>();
    for (int at = 0; at < bytes.length; at += 8 + ByteBuffer.wrap(bytes, at, 4).getInt()) {
      offsets.add((long) at);
    }
    return offsets;
  }

  /** Overwrites the length field of the frame at {@code offset}. */
  public static void setLength(Path segment, long offset, int length) {
    edit(segment, bytes -> ByteBuffer.wrap(bytes).putInt((int) offset, length));
  }

  /** Flips a bit of the payload of the frame at {@code offset}. */
  public static void flipPayloadByte(Path segment, long offset) {
    edit(segment, bytes -> bytes[(int) offset + 8 + 1] ^= 0x10);
  }

  /** Removes {@code count} bytes from the middle of the payload of the frame at {@code offset}. */
  public static void cutFromPayload(Path segment, long offset, int count) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    int length = ByteBuffer.wrap(bytes, (int) offset, 4).getInt();
    int from = (int) offset + 8 + length / 2;
    byte[] cut = new byte[bytes.length - count];
    System.arraycopy(bytes, 0, cut, 0, from);
    System.arraycopy(bytes, from + count, cut, from, bytes.length - from - count);
    Files.write(segment, cut);
  }

  private static void edit(Path segment, java.util.function.Consumer<byte[]> change) {
    try {
      byte[] bytes = Files.readAllBytes(segment);
      byte[] before = Arrays.copyOf(bytes, bytes.length);
      change.accept(bytes);
      if (Arrays.equals(before, bytes)) {
        throw new IllegalStateException("nothing changed in " + segment);
      }
      Files.write(segment, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
