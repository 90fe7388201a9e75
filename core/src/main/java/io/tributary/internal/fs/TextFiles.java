package io.tributary.internal.fs;

import io.tributary.fs.FileSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The lines of UTF-8 text files, ended by {@code \n}, {@code \r} or {@code \r\n} as Hadoop's
 * text format reads them. Files ending in {@code .gz} or {@code .deflate} are decoded; other
 * compressed extensions Hadoop knows fail, naming the artifact that reads them.
 */
public final class TextFiles {
  private static final java.util.List<String> HADOOP_ONLY = java.util.List.of(".bz2", ".lz4", ".snappy", ".zst");

  private TextFiles() {}

  /** Opens {@code path}, decoding it by extension. */
  public static InputStream openDecoded(FileSystem fs, String path) throws IOException {
    String lower = path.toLowerCase(Locale.ROOT);
    for (String ext : HADOOP_ONLY) {
      if (lower.endsWith(ext)) {
        throw new IllegalArgumentException("Cannot read '" + path + "': files ending in " + ext
            + " need a Hadoop codec. Decompress it first, or read it with io.tributary:tributary-hadoop "
            + "(HadoopRdds.hadoopFile, HadoopStreams.fileStream); tributary-core decodes .gz and .deflate");
      }
    }
    InputStream in = fs.open(path);
    try {
      if (lower.endsWith(".gz")) {
        return new GZIPInputStream(in, 64 * 1024);
      }
      if (lower.endsWith(".deflate")) {
        return new InflaterInputStream(in);
      }
      return in;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The lines of {@code path}, read lazily; the file is closed when the last line was taken. */
  public static Iterator<String> lines(FileSystem fs, String path) {
    BufferedReader reader;
    try {
      reader = new BufferedReader(new InputStreamReader(openDecoded(fs, path),
          StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
              .onUnmappableCharacter(CodingErrorAction.REPLACE)), 64 * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read '" + path + "'", e);
    }
    return io.tributary.internal.rdd.Iterators.lines(reader, path);
  }
}
