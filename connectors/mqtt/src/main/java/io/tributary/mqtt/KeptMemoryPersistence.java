package io.tributary.mqtt;

import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory session state of a Paho client that outlives the client: Paho's own {@code
 * MemoryPersistence} empties itself on open and close, so a receiver restarted in the same
 * process would forget QoS 2 messages the broker considers delivered (it only sends PUBREL
 * again). One instance per receiver, handed to each new client; {@code clear()} (clean session)
 * still empties it.
 */
final class KeptMemoryPersistence {
  private final Map<String, Map<String, Object>> stores = new ConcurrentHashMap<>();

  private Map<String, Object> store(String name) {
    return stores.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
  }

  /** Number of entries kept over all clients, for tests and logs. */
  public int size() {
    return stores.values().stream().mapToInt(Map::size).sum();
  }

  /** The store for a Paho MQTT 3 client. */
  public org.eclipse.paho.client.mqttv3.MqttClientPersistence forV3() {
    return new org.eclipse.paho.client.mqttv3.MqttClientPersistence() {
      private Map<String, Object> data;

      @Override
      public void open(String clientId, String serverURI) {
        data = store("v3|" + clientId + "|" + serverURI);
      }

      @Override
      public void close() {}

      @Override
      public void put(String key, org.eclipse.paho.client.mqttv3.MqttPersistable persistable) {
        data.put(key, persistable);
      }

      @Override
      public org.eclipse.paho.client.mqttv3.MqttPersistable get(String key) {
        return (org.eclipse.paho.client.mqttv3.MqttPersistable) data.get(key);
      }

      @Override
      public void remove(String key) {
        data.remove(key);
      }

      @Override
      public Enumeration<String> keys() {
        return Collections.enumeration(data.keySet());
      }

      @Override
      public void clear() {
        data.clear();
      }

      @Override
      public boolean containsKey(String key) {
        return data.containsKey(key);
      }
    };
  }

  /** The store for a Paho MQTT 5 client. */
  public org.eclipse.paho.mqttv5.client.MqttClientPersistence forV5(String serverURI) {
    return new org.eclipse.paho.mqttv5.client.MqttClientPersistence() {
      private Map<String, Object> data;

      @Override
      public void open(String clientId) {
        data = store("v5|" + clientId + "|" + serverURI);
      }

      @Override
      public void close() {}

      @Override
      public void put(String key, org.eclipse.paho.mqttv5.common.MqttPersistable persistable) {
        data.put(key, persistable);
      }

      @Override
      public org.eclipse.paho.mqttv5.common.MqttPersistable get(String key) {
        return (org.eclipse.paho.mqttv5.common.MqttPersistable) data.get(key);
      }

      @Override
      public void remove(String key) {
        data.remove(key);
      }

      @Override
      public Enumeration<String> keys() {
        return Collections.enumeration(data.keySet());
      }

      @Override
      public void clear() {
        data.clear();
      }

      @Override
      public boolean containsKey(String key) {
        return data.containsKey(key);
      }
    };
  }
}
