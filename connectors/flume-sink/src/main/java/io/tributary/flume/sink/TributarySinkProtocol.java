package io.tributary.flume.sink;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro RPC protocol between {@link TributarySink} (server, inside the Flume agent) and
 * Tributary's polling receiver (client), with generic records so that no generated code is needed.
 *
 * <ul>
 *   <li>{@code getEventBatch(n)}: the sink opens a channel transaction, takes up to {@code n}
 *       events and answers an {@code EventBatch} (a sequence number and the events; an empty
 *       batch when the channel stayed empty, an {@code error} text when it could not take any).
 *   <li>{@code ack(sequenceNumber)}: commit that batch's transaction; answers whether it was
 *       committed ({@code false}: it was already rolled back, e.g. after the sink's timeout).
 *   <li>{@code nack(sequenceNumber)}: roll it back; its events are delivered again.
 * </ul>
 */
public final class TributarySinkProtocol {
  /** The protocol, as sent in the Avro handshake. */
  public static final Protocol PROTOCOL = Protocol.parse("""
      {"protocol": "TributarySinkProtocol", "namespace": "io.tributary.flume.sink",
       "types": [
         {"type": "record", "name": "SinkEvent", "fields": [
           {"name": "headers", "type": {"type": "map", "values": {"type": "string", "avro.java.string": "String"}}},
           {"name": "body", "type": "bytes"}]},
         {"type": "record", "name": "EventBatch", "fields": [
           {"name": "error", "type": {"type": "string", "avro.java.string": "String"}},
           {"name": "sequenceNumber", "type": {"type": "string", "avro.java.string": "String"}},
           {"name": "events", "type": {"type": "array", "items": "SinkEvent"}}]}],
       "messages": {
         "getEventBatch": {"request": [{"name": "n", "type": "int"}], "response": "EventBatch"},
         "ack": {"request": [{"name": "sequenceNumber", "type": "string"}], "response": "boolean"},
         "nack": {"request": [{"name": "sequenceNumber", "type": "string"}], "response": "boolean"}}}
      """);

  public static final String GET_EVENT_BATCH = "getEventBatch";
  public static final String ACK = "ack";
  public static final String NACK = "nack";

  static final Schema EVENT = PROTOCOL.getType("io.tributary.flume.sink.SinkEvent");
  static final Schema BATCH = PROTOCOL.getType("io.tributary.flume.sink.EventBatch");

  private TributarySinkProtocol() {}

  /** The request record of {@code message} with its one field set. */
  public static GenericRecord request(String message, Object argument) {
    Schema schema = PROTOCOL.getMessages().get(message).getRequest();
    GenericData.Record record = new GenericData.Record(schema);
    record.put(0, argument);
    return record;
  }

  /** A batch answer: {@code error} empty on success. */
  static GenericRecord batch(String error, String sequenceNumber, List<GenericRecord> events) {
    GenericData.Record record = new GenericData.Record(BATCH);
    record.put("error", error);
    record.put("sequenceNumber", sequenceNumber);
    record.put("events", events);
    return record;
  }

  static GenericRecord event(Map<String, String> headers, byte[] body) {
    GenericData.Record record = new GenericData.Record(EVENT);
    record.put("headers", headers);
    record.put("body", ByteBuffer.wrap(body));
    return record;
  }

  /** The error text of a batch answer; empty when the sink took events (or found none). */
  public static String error(GenericRecord batch) {
    return String.valueOf(batch.get("error"));
  }

  public static String sequenceNumber(GenericRecord batch) {
    return String.valueOf(batch.get("sequenceNumber"));
  }

  /** The events of a batch answer, as generic {@code SinkEvent} records. */
  @SuppressWarnings("unchecked")
  public static List<GenericRecord> events(GenericRecord batch) {
    return (List<GenericRecord>) batch.get("events");
  }

  /** An event's headers, as strings. */
  public static Map<String, String> headers(GenericRecord event) {
    Map<?, ?> raw = (Map<?, ?>) event.get("headers");
    Map<String, String> headers = new HashMap<>(raw.size() * 2);
    raw.forEach((k, v) -> headers.put(k.toString(), v.toString()));
    return headers;
  }

  /** An event's body (the buffer as decoded: read it, do not keep it). */
  public static ByteBuffer body(GenericRecord event) {
    return (ByteBuffer) event.get("body");
  }
}
