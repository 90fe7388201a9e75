package io.tributary.zeromq;

import io.tributary.StorageLevel;
import io.tributary.function.FlatMapFunction;
import io.tributary.streaming.StreamingContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Streams from ZeroMQ publishers: a SUB socket (pure-Java JeroMQ, no native library) that
 * subscribes to topic prefixes and turns each multipart message into records.
 *
 * <pre>{@code
 * DStream<String> lines = ZeroMQUtils.createTextStream(
 *     ssc, "tcp://127.0.0.1:5555", true, List.of("words".getBytes(UTF_8)), StorageLevel.MEMORY_ONLY);
 * }</pre>
 *
 * <h2>Guarantees: unreliable by nature</h2>
 *
 * ZeroMQ PUB/SUB has no acknowledgements and no replay: a publisher sends to whoever is connected
 * and forgets. Messages published while the receiver is not connected (before it starts, during a
 * reconnect, while it restarts), messages dropped at a high-water mark (the publisher's {@code
 * SNDHWM} and {@code streaming.zeromq.receiveHighWaterMark}; ZeroMQ drops silently), and records
 * still buffered when the process dies are lost. The write-ahead log cannot help: there is
 * nothing to acknowledge and nothing to replay. Records are stored one by one ({@code
 * store(record)}), the right path for such a source. Use Kafka or MQTT at QoS 1 when every
 * message matters.
 *
 * <h2>Behaviour</h2>
 *
 * <ul>
 *   <li>{@code connect = true}: the socket connects to {@code publisherUrl} (e.g. {@code
 *       tcp://host:5555}); ZeroMQ connects in the background and reconnects by itself whenever the
 *       publisher goes away and comes back ({@code streaming.zeromq.reconnectInterval}, backing off
 *       up to {@code streaming.zeromq.reconnectIntervalMax}). {@code connect = false}: the socket
 *       binds {@code publisherUrl} (e.g. {@code tcp://*:5555}) and publishers connect to it; a bind
 *       that fails restarts the receiver after the usual delay.
 *   <li>Topics are prefixes matched against the first frame; an empty array subscribes to every
 *       message. Multipart messages arrive whole, frames in order, one {@code byte[][]} per message.
 *   <li>Bad input never stops the stream: a message larger than {@code
 *       streaming.zeromq.maxMessageBytes} or one the converter throws on is dropped, counted in
 *       {@link ZeroMQInputDStream#stats()} and reported to the listeners (at most one report per
 *       {@code streaming.zeromq.errorReportInterval}, with the number left out).
 *   <li>Stopping the context ends the receiving thread and the ZeroMQ context within about 100 ms.
 * </ul>
 */
public final class ZeroMQUtils {
  private static final List<String> SCHEMES = List.of("tcp", "ipc", "pgm", "epgm");

  private ZeroMQUtils() {}

  /**
   * A stream of what {@code messageConverter} makes of each multipart message (all frames, the
   * topic frame first), stored at {@code MEMORY_AND_DISK_SER_2} (as in Spark).
   */
  public static <T> ZeroMQInputDStream<T> createStream(
      StreamingContext ssc,
      String publisherUrl,
      boolean connect,
      List<byte[]> topics,
      FlatMapFunction<byte[][], T> messageConverter) {
    requireClient();
    return createStream(ssc, publisherUrl, connect, topics, messageConverter, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /**
   * A stream of what {@code messageConverter} makes of each multipart message.
   *
   * @param publisherUrl {@code tcp://host:port} to connect to, or to bind (e.g. {@code tcp://*:5555})
   * @param connect true to connect to a publisher that binds, false to bind and let publishers connect
   * @param topics topic prefixes to subscribe to; {@code new byte[0]} subscribes to everything
   * @param messageConverter the frames of one message (topic frame first) to zero or more records;
   *     an exception drops that message only (counted and reported)
   */
  public static <T> ZeroMQInputDStream<T> createStream(
      StreamingContext ssc,
      String publisherUrl,
      boolean connect,
      List<byte[]> topics,
      FlatMapFunction<byte[][], T> messageConverter,
      StorageLevel storageLevel) {
    requireClient();
    notNull(ssc, "ssc");
    checkUrl(publisherUrl);
    checkTopics(topics);
    notNull(messageConverter, "messageConverter");
    notNull(storageLevel, "storageLevel");
    ZeroMQSettings settings = ZeroMQSettings.from(ssc.conf());
    return new ZeroMQInputDStream<>(
        ssc, new ZeroMQReceiver<>(publisherUrl, connect, topics, messageConverter, settings, storageLevel));
  }

  /**
   * A stream of text: the first frame (the topic) is dropped and every other frame becomes one
   * record, decoded as UTF-8. A message with bytes that are not valid UTF-8 is dropped whole,
   * counted in {@link ZeroMQStats#failedConversions()} and reported. Stored at {@code
   * MEMORY_AND_DISK_SER_2}.
   */
  public static ZeroMQInputDStream<String> createTextStream(
      StreamingContext ssc, String publisherUrl, boolean connect, List<byte[]> topics) {
    requireClient();
    return createTextStream(ssc, publisherUrl, connect, topics, StorageLevel.MEMORY_AND_DISK_SER_2);
  }

  /** {@link #createTextStream(StreamingContext, String, boolean, List)} at the given storage level. */
  public static ZeroMQInputDStream<String> createTextStream(
      StreamingContext ssc, String publisherUrl, boolean connect, List<byte[]> topics, StorageLevel storageLevel) {
    requireClient();
    return createStream(ssc, publisherUrl, connect, topics, new Utf8Frames(), storageLevel);
  }

  /** Every frame after the first, decoded strictly as UTF-8. */
  private static final class Utf8Frames implements FlatMapFunction<byte[][], String> {
    private static final long serialVersionUID = 1L;

    @Override
    public Iterator<String> call(byte[][] frames) {
      List<String> out = new ArrayList<>(Math.max(0, frames.length - 1));
      for (int i = 1; i < frames.length; i++) {
        try {
          out.add(StandardCharsets.UTF_8.newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(frames[i]))
              .toString());
        } catch (CharacterCodingException e) {
          throw new IllegalArgumentException(
              "frame " + i + " (counting the topic frame as 0) is not valid UTF-8: " + e, e);
        }
      }
      return out.iterator();
    }
  }

  private static void checkUrl(String url) {
    notNull(url, "publisherUrl");
    int sep = url.indexOf("://");
    String scheme = sep < 0 ? "" : url.substring(0, sep).toLowerCase(Locale.ROOT);
    if (!SCHEMES.contains(scheme) || url.length() == sep + 3) {
      throw new IllegalArgumentException(
          "publisherUrl must look like tcp://host:port (connect) or tcp://*:port (bind); "
              + "supported transports: " + SCHEMES + ", got '" + url + "'");
    }
  }

  private static void checkTopics(List<byte[]> topics) {
    notNull(topics, "topics");
    if (topics.isEmpty()) {
      throw new IllegalArgumentException(
          "topics must not be empty: with no subscription a SUB socket receives nothing. "
              + "Pass List.of(new byte[0]) to receive every message");
    }
    for (byte[] t : topics) {
      if (t == null) {
        throw new IllegalArgumentException("topics must not contain null; use new byte[0] for every message");
      }
    }
  }

  private static <T> T notNull(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }

  /** A missing client jar fails here, naming it, instead of with a NoClassDefFoundError later. */
  private static void requireClient() {
    io.tributary.ClassPath.require(ZeroMQUtils.class, "org.zeromq.ZMQ", "org.zeromq:jeromq (0.6.0)", "tributary-zeromq");
  }
}
