package io.tributary.mqtt;

import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClientPersistence;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;

/** MQTT 3.1 / 3.1.1 over Paho's {@code mqttv3} asynchronous client. */
final class Paho3Connection implements MqttConnection {
  private final Spec spec;
  private final Events events;
  private final MqttAsyncClient client;

  Paho3Connection(Spec spec, Events events) throws MqttException {
    this.spec = spec;
    this.events = events;
    MqttClientPersistence persistence = spec.options().persistenceDirectory().isPresent()
        ? new MqttDefaultFilePersistence(spec.options().persistenceDirectory().get())
        : spec.memory().forV3();
    this.client = new MqttAsyncClient(spec.brokerUrl(), spec.clientId(), persistence);
    client.setManualAcks(true);
    client.setCallback(new MqttCallback() {
      @Override
      public void connectionLost(Throwable cause) {
        events.lost(cause);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        events.message(topic, message.getPayload(), message.getId(), message.getQos(), message.isDuplicate());
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
  }

  @Override
  public void start() throws MqttException {
    MQTTOptions o = spec.options();
    MqttConnectOptions c = new MqttConnectOptions();
    c.setCleanSession(o.cleanSession());
    c.setMqttVersion(o.version() == MQTTVersion.V3_1
        ? MqttConnectOptions.MQTT_VERSION_3_1 : MqttConnectOptions.MQTT_VERSION_3_1_1);
    c.setConnectionTimeout((int) o.connectionTimeout().getSeconds());
    c.setKeepAliveInterval((int) o.keepAlive().getSeconds());
    c.setAutomaticReconnect(false);
    o.username().ifPresent(c::setUserName);
    o.password().ifPresent(p -> c.setPassword(p.toCharArray()));
    if (spec.socketFactory() != null) {
      c.setSocketFactory(spec.socketFactory());
    }
    c.setHttpsHostnameVerificationEnabled(o.hostnameVerification());
    client.connect(c, null, new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        events.connected(token.getSessionPresent());
        subscribe();
      }

      @Override
      public void onFailure(IMqttToken token, Throwable e) {
        events.failed("connect", e);
      }
    });
  }

  private void subscribe() {
    try {
      client.subscribe(spec.filters(), spec.qos(), null, new IMqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          events.subscribed(spec.filters(), token.getGrantedQos());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          events.failed("subscribe", e);
        }
      });
    } catch (MqttException | RuntimeException e) {
      events.failed("subscribe", e);
    }
  }

  @Override
  public void ack(int id, int qos) throws MqttException {
    client.messageArrivedComplete(id, qos);
  }

  @Override
  public boolean isConnected() {
    return client.isConnected();
  }

  @Override
  public void close() {
    try {
      if (client.isConnected()) {
        client.disconnect(500).waitForCompletion(2000);
      } else {
        client.disconnectForcibly(0, 1000, false);
      }
    } catch (MqttException | RuntimeException e) {
      try {
        client.disconnectForcibly(0, 1000, false);
      } catch (MqttException | RuntimeException ignored) {
        // closing below
      }
    }
    try {
      client.close(true);
    } catch (MqttException | RuntimeException ignored) {
      // nothing more to release
    }
  }
}
