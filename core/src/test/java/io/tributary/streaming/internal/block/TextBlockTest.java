package io.tributary.streaming.internal.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import io.tributary.internal.serializer.JavaSerializer;
import io.tributary.internal.serializer.KryoSerializer;
import io.tributary.internal.serializer.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text blocks cut lines exactly where BufferedReader.readLine would, however the bytes arrive. */
class TextBlockTest {

  private static List<String> readLines(String text) throws IOException {
    List<String> lines = new ArrayList<>();
    BufferedReader reader = new BufferedReader(new StringReader(text));
    for (String line; (line = reader.readLine()) != null; ) {
      lines.add(line);
    }
    return lines;
  }

  /**
   * Reads {@code bytes} through {@link TextBlock#readLines}, the socket receiver's loop, in reads of
   * the given sizes, and decodes every block it hands over.
   */
  private static List<String> cutAndDecode(byte[] bytes, int[] readSizes) throws IOException {
    InputStream chunked = new ByteArrayInputStream(bytes) {
      private int reads;

      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, readSizes[reads++ % readSizes.length]));
      }
    };
    List<String> lines = new ArrayList<>();
    int[] counted = {0};
    TextBlock.readLines(chunked, () -> false, 1 << 20, (b, from, to, count) -> {
      counted[0] += count;
      new TextBlock(Arrays.copyOfRange(b, from, to), count).iterator().forEachRemaining(lines::add);
    }, held -> { throw new AssertionError("no line is over the maximum"); });
    assertThat(counted[0]).as("counted lines").isEqualTo(lines.size());
    return lines;
  }

  @Test
  void everyTerminatorAndSplitPointGivesReadLinesLines() throws IOException {
    String text = "plain\nwindows\r\nold mac\rempty next\n\n\r\n\rünïcødé ✓ 𝄞\nlast, unterminated";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> expected = readLines(text);
    for (int size = 1; size <= bytes.length; size++) {
      assertThat(cutAndDecode(bytes, new int[] {size})).as("reads of %d bytes", size).isEqualTo(expected);
    }
  }

  @Test
  void randomTextInRandomReads() throws IOException {
    SplittableRandom random = new SplittableRandom(7);
    String alphabet = "ab \n\r\r\né";
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      text.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    int[] sizes = random.ints(64, 1, 200).toArray();
    assertThat(cutAndDecode(text.toString().getBytes(StandardCharsets.UTF_8), sizes))
        .isEqualTo(readLines(text.toString()));
  }

  @Test
  void endOfLinesStepsOverWholeLines() {
    byte[] b = "a\r\nbb\rc\n\nd\n".getBytes(StandardCharsets.UTF_8);
    assertThat(TextBlock.endOfLines(b, 0, 1)).isEqualTo(3);
    assertThat(TextBlock.endOfLines(b, 0, 2)).isEqualTo(6);
    assertThat(TextBlock.endOfLines(b, 3, 3)).isEqualTo(9);
    assertThat(TextBlock.endOfLines(b, 0, 5)).isEqualTo(b.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"kryo", "java"})
  void aBlockWrittenWithTheLogsSerializerReadsBackTheSameLines(String serializer) {
    Serializer s = serializer.equals("kryo") ? new KryoSerializer() : new JavaSerializer();
    byte[] bytes = "one\ntwo\r\nthree\r".getBytes(StandardCharsets.UTF_8);
    Object back = s.deserialize(s.serialize(new TextBlock(bytes, 3)));
    List<String> lines = new ArrayList<>();
    Block.decode(back).records().forEachRemaining(line -> lines.add((String) line));
    assertThat(lines).containsExactly("one", "two", "three");
    assertThat(Block.decode(back).count()).isEqualTo(3);
  }

  @Test
  void malformedUtf8DecodesToReplacementCharacters() {
    byte[] b = {'o', 'k', (byte) 0xC3, '\n'};
    assertThat(new TextBlock(b, 1).iterator().next()).isEqualTo("ok\uFFFD");
  }

  /** Reads {@code bytes} in reads of {@code readSize} with a maximum line of {@code max}; collects lines and drops. */
  private static long read(byte[] bytes, int readSize, int max, List<String> lines, List<Long> drops) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, readSize));
      }
    };
    return TextBlock.readLines(in, () -> false, max, (b, from, to, count) ->
        new TextBlock(Arrays.copyOfRange(b, from, to), count).iterator().forEachRemaining(lines::add), drops::add);
  }

  @Test
  void aLineOverTheMaximumIsDroppedAndReadingResumesAtTheNextLine() throws IOException {
    for (String end : List.of("\n", "\r\n", "\r")) {
      for (int readSize : new int[] {1, 3, 7, 64, 1 << 16}) {
        String text = "ok" + end + "x".repeat(50) + end + "exactly10!" + end + "y".repeat(11) + end + "after" + end
            + "z".repeat(30);
        List<String> lines = new ArrayList<>();
        List<Long> drops = new ArrayList<>();
        read(text.getBytes(StandardCharsets.UTF_8), readSize, 10, lines, drops);
        assertThat(lines).as("end %s, reads of %d", end.replace("\r", "CR").replace("\n", "LF"), readSize)
            .containsExactly("ok", "exactly10!", "after");
        assertThat(drops).hasSize(3);
      }
    }
  }

  @Test
  void scanningALongLineIsLinear() throws IOException {
    int size = 8 << 20;
    byte[] bytes = ("a".repeat(size) + "\nnext\n").getBytes(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    List<Long> drops = new ArrayList<>();
    long scanned = read(bytes, 1000, 16 << 20, lines, drops); // 8,389 reads: a rescan of the buffer each read would be ~35 G bytes
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).hasSize(size);
    assertThat(scanned).isLessThanOrEqualTo(3L * bytes.length);
    lines.clear();
    scanned = read(bytes, 1000, 1 << 20, lines, drops); // over the maximum: dropped, and skipped linearly
    assertThat(lines).containsExactly("next");
    assertThat(drops).containsExactly((long) (1 << 20) + 1);
    assertThat(scanned).isLessThanOrEqualTo(3L * bytes.length);
  }
}
