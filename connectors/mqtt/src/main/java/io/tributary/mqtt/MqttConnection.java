package io.tributary.mqtt;

import javax.net.ssl.SSLSocketFactory;

/**
 * One connection of a receiver to its broker, over Paho's MQTT 3 or MQTT 5 client: connects,
 * subscribes, hands over messages (with manual acknowledgements) and disconnects. Not reused:
 * a reconnect makes a new one.
 */
interface MqttConnection {
  /** What the connection reports; called on Paho's threads. */
  interface Events {
    void connected(boolean sessionPresent);

    /** The broker's answer to the subscriptions: per filter, the granted QoS, or 128 and above for a refusal. */
    void subscribed(String[] filters, int[] granted);

    /** The connect or the subscribe failed. */
    void failed(String what, Throwable cause);

    /** A message; acknowledge it with {@link #ack} (QoS 1 and 2). Must not throw. */
    void message(String topic, byte[] payload, int id, int qos, boolean duplicate);

    /** The connection broke (not called for {@link #close()}). */
    void lost(Throwable cause);

    /** Something went wrong that does not end the connection. */
    void error(String what, Throwable cause);
  }

  /** What a connection needs; {@code socketFactory} is null without TLS stores. */
  record Spec(
      String brokerUrl, String clientId, String[] filters, int[] qos, MQTTOptions options,
      SSLSocketFactory socketFactory, KeptMemoryPersistence memory) {}

  /** Starts connecting and, once connected, subscribing; returns at once. */
  void start() throws Exception;

  /** Acknowledges a QoS 1 or 2 message to the broker. */
  void ack(int id, int qos) throws Exception;

  boolean isConnected();

  /** Disconnects (a clean DISCONNECT when connected, within about a second) and releases the client. */
  void close();

  static MqttConnection open(Spec spec, Events events) throws Exception {
    return spec.options().version() == MQTTVersion.V5
        ? new Paho5Connection(spec, events)
        : new Paho3Connection(spec, events);
  }
}
