package io.tributary.mqtt;

/** The MQTT protocol version a receiver speaks to its broker. */
public enum MQTTVersion {
  /** MQTT 3.1 (protocol level 3), for old brokers only. */
  V3_1(3),
  /** MQTT 3.1.1 (protocol level 4): the default, spoken by every broker. */
  V3_1_1(4),
  /**
   * MQTT 5 (protocol level 5): session expiry, receive maximum (flow control), reason codes in
   * errors, and shared subscriptions ({@code $share/group/filter}) by specification.
   */
  V5(5);

  private final int level;

  MQTTVersion(int level) {
    this.level = level;
  }

  /** The protocol level sent in CONNECT (3, 4 or 5), the number Bahir's {@code mqttVersion} took. */
  public int protocolLevel() {
    return level;
  }

  /** The version of a protocol level: 3 (3.1), 4 (3.1.1) or 5. */
  public static MQTTVersion ofProtocolLevel(int level) {
    for (MQTTVersion v : values()) {
      if (v.level == level) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "MQTT protocol level " + level + " is unknown: use 3 (MQTT 3.1), 4 (MQTT 3.1.1) or 5 (MQTT 5)");
  }
}
