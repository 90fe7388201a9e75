package io.tributary.mqtt;

import io.tributary.Tuple2;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns a message (topic, payload) into a record; throws for payloads it cannot decode. */
@FunctionalInterface
interface MessageDecoder<T> extends Serializable {
  T decode(String topic, byte[] payload) throws CharacterCodingException;

  /** The payload as UTF-8 text; malformed UTF-8 is an error, never replaced silently. */
  static MessageDecoder<String> text() {
    return (topic, payload) -> utf8(payload);
  }

  static MessageDecoder<Tuple2<String, String>> pairedText() {
    return (topic, payload) -> new Tuple2<>(topic, utf8(payload));
  }

  static MessageDecoder<Tuple2<String, byte[]>> pairedBytes() {
    return (topic, payload) -> new Tuple2<>(topic, payload);
  }

  static String utf8(byte[] payload) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(payload))
        .toString();
  }
}
