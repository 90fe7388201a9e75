package io.tributary.internal.fs;

import io.tributary.fs.FileSystem;
import io.tributary.internal.serializer.Serializer;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Object files: Hadoop SequenceFiles (version 6) of {@code NullWritable} keys and {@code
 * BytesWritable} values, each value a chunk of up to 10 records serialized with the context's
 * serializer, written and read here without Hadoop. As Hadoop's default writer did, values are
 * record-compressed with {@code DefaultCodec} (zlib) and a sync marker follows every 100 KiB, so
 * files written before (by Hadoop) and after read the same, and Hadoop tools read both.
 * Uncompressed files are read too.
 */
public final class ObjectFiles {
  private static final byte[] MAGIC = {'S', 'E', 'Q', 6};
  private static final String KEY_CLASS = "org.apache.hadoop.io.NullWritable";
  private static final String VALUE_CLASS = "org.apache.hadoop.io.BytesWritable";
  private static final String CODEC = "org.apache.hadoop.io.compress.DefaultCodec";
  private static final int SYNC_ESCAPE = -1;
  private static final int SYNC_HASH_SIZE = 16;
  private static final int SYNC_INTERVAL = 5 * 1024 * (4 + SYNC_HASH_SIZE);
  private static final int CHUNK = 10;
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectFiles() {}

  /** Writes {@code records} to {@code file} (replacing it) as a SequenceFile of serialized chunks of 10. */
  public static void write(FileSystem fs, String file, Iterator<?> records, Serializer serializer) throws IOException {
    byte[] sync = new byte[SYNC_HASH_SIZE];
    RANDOM.nextBytes(sync);
    try (CountingOutput counting = new CountingOutput(new BufferedOutputStream(fs.create(file, true), 64 * 1024));
        DataOutputStream out = new DataOutputStream(counting)) {
      out.write(MAGIC);
      writeString(out, KEY_CLASS);
      writeString(out, VALUE_CLASS);
      out.writeBoolean(true); // compressed (record compression)
      out.writeBoolean(false); // not block-compressed
      writeString(out, CODEC);
      out.writeInt(0); // no metadata
      out.write(sync);
      long lastSync = 0;
      List<Object> chunk = new ArrayList<>(CHUNK);
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      Deflater deflater = new Deflater(); // zlib, default level: Hadoop's DefaultCodec without native code
      try {
        while (records.hasNext()) {
          chunk.add(records.next());
          if (chunk.size() == CHUNK || !records.hasNext()) {
            byte[] bytes = serializer.serialize(chunk.toArray());
            chunk.clear();
            value.reset();
            deflater.reset();
            DeflaterOutputStream compressed = new DeflaterOutputStream(value, deflater, 8 * 1024);
            compressed.write(new byte[] { // BytesWritable: length, then the bytes
                (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16), (byte) (bytes.length >>> 8), (byte) bytes.length});
            compressed.write(bytes);
            compressed.finish();
            if (counting.count >= lastSync + SYNC_INTERVAL) {
              out.writeInt(SYNC_ESCAPE);
              out.write(sync);
              lastSync = counting.count;
            }
            out.writeInt(value.size()); // record length: key (none) + value
            out.writeInt(0); // key length: NullWritable
            value.writeTo(out);
          }
        }
      } finally {
        deflater.end();
      }
    }
  }

  /** Reads back what {@link #write} (or Hadoop's SequenceFile writer, for such values) wrote. */
  public static <T> Iterator<T> read(FileSystem fs, String file, Serializer serializer) throws IOException {
    List<T> records = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(fs.open(file), 64 * 1024))) {
      byte[] magic = in.readNBytes(4);
      if (!Arrays.equals(Arrays.copyOf(magic, 3), Arrays.copyOf(MAGIC, 3)) || magic.length < 4 || magic[3] != 6) {
        throw new IOException("'" + file + "' is not a version-6 SequenceFile (an object file)");
      }
      String keyClass = readString(in);
      String valueClass = readString(in);
      if (!keyClass.equals(KEY_CLASS) || !valueClass.equals(VALUE_CLASS)) {
        throw new IOException("'" + file + "' holds " + keyClass + "/" + valueClass + " records, not the "
            + "NullWritable/BytesWritable of an object file");
      }
      boolean compressed = in.readBoolean();
      boolean blockCompressed = in.readBoolean();
      if (compressed) {
        String codec = readString(in);
        if (blockCompressed || !codec.equals(CODEC)) {
          throw new IOException("'" + file + "' is " + (blockCompressed ? "block-" : "record-") + "compressed with "
              + codec + ": tributary-core reads uncompressed and DefaultCodec record-compressed object files");
        }
      }
      for (int n = in.readInt(); n > 0; n--) { // metadata: pairs of strings
        readString(in);
        readString(in);
      }
      byte[] sync = in.readNBytes(SYNC_HASH_SIZE);
      byte[] check = new byte[SYNC_HASH_SIZE];
      Inflater inflater = new Inflater();
      try {
        while (true) {
          int length;
          try {
            length = in.readInt();
          } catch (EOFException end) {
            break;
          }
          if (length == SYNC_ESCAPE) {
            in.readFully(check);
            if (!Arrays.equals(sync, check)) {
              throw new IOException("'" + file + "' is corrupt: a sync marker does not match the header's");
            }
            continue;
          }
          int keyLength = in.readInt();
          if (length < keyLength || keyLength < 0) {
            throw new IOException("'" + file + "' is corrupt: record length " + length + ", key length " + keyLength);
          }
          in.skipNBytes(keyLength);
          byte[] raw = in.readNBytes(length - keyLength);
          if (raw.length < length - keyLength) {
            throw new EOFException("'" + file + "' ends inside a record");
          }
          InputStream valueIn = new java.io.ByteArrayInputStream(raw);
          if (compressed) {
            inflater.reset();
            valueIn = new InflaterInputStream(valueIn, inflater);
          }
          DataInputStream value = new DataInputStream(valueIn);
          byte[] bytes = new byte[value.readInt()];
          value.readFully(bytes);
          Object[] chunk = serializer.deserialize(bytes);
          for (Object o : chunk) {
            @SuppressWarnings("unchecked")
            T t = (T) o;
            records.add(t);
          }
        }
      } finally {
        inflater.end();
      }
    }
    return records.iterator();
  }

  /** Hadoop's {@code Text.writeString}: a variable-length int (one byte below 128), then UTF-8. */
  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 127) {
      throw new IllegalArgumentException("name too long for this writer: " + s);
    }
    out.writeByte(bytes.length);
    out.write(bytes);
  }

  /** Hadoop's {@code Text.readString}, with {@code WritableUtils.readVInt}. */
  private static String readString(DataInputStream in) throws IOException {
    int length = readVInt(in);
    if (length < 0 || length > 1 << 20) {
      throw new IOException("impossible string length " + length);
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  private static int readVInt(DataInputStream in) throws IOException {
    byte first = in.readByte();
    if (first >= -112) {
      return first;
    }
    boolean negative = first < -120;
    int size = negative ? -(first + 120) : -(first + 112);
    long value = 0;
    for (int i = 0; i < size; i++) {
      value = (value << 8) | (in.readByte() & 0xff);
    }
    return (int) (negative ? ~value : value);
  }

  private static final class CountingOutput extends java.io.FilterOutputStream {
    long count;

    CountingOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
