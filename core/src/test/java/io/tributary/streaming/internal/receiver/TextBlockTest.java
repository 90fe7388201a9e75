package io.tributary.streaming.internal.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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

  /** Feeds {@code bytes} in reads of the given sizes, as the socket receiver does, and decodes every block. */
  private static List<String> cutAndDecode(byte[] bytes, int[] readSizes) {
    List<String> lines = new ArrayList<>();
    byte[] buffer = new byte[bytes.length + 1];
    int filled = 0;
    int offered = 0;
    int counted = 0;
    for (int r = 0; offered < bytes.length; r++) {
      int n = Math.min(readSizes[r % readSizes.length], bytes.length - offered);
      System.arraycopy(bytes, offered, buffer, filled, n);
      offered += n;
      filled += n;
      int end = TextBlock.wholeLinesEnd(buffer, 0, filled);
      if (end > 0) {
        int count = TextBlock.countLines(buffer, 0, end);
        counted += count;
        new TextBlock(java.util.Arrays.copyOf(buffer, end), count).iterator().forEachRemaining(lines::add);
        System.arraycopy(buffer, end, buffer, 0, filled - end);
        filled -= end;
      }
    }
    if (filled > 0) {
      buffer[filled] = '\n';
      int count = TextBlock.countLines(buffer, 0, filled + 1);
      counted += count;
      new TextBlock(java.util.Arrays.copyOf(buffer, filled + 1), count).iterator().forEachRemaining(lines::add);
    }
    assertThat(counted).as("counted lines").isEqualTo(lines.size());
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
    BlockStore.records(back).forEachRemaining(line -> lines.add((String) line));
    assertThat(lines).containsExactly("one", "two", "three");
    assertThat(BlockStore.count(back)).isEqualTo(3);
  }

  @Test
  void malformedUtf8DecodesToReplacementCharacters() {
    byte[] b = {'o', 'k', (byte) 0xC3, '\n'};
    assertThat(new TextBlock(b, 1).iterator().next()).isEqualTo("ok\uFFFD");
  }
}
