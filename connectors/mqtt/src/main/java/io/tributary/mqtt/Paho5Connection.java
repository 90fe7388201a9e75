package io.tributary.mqtt;

import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientPersistence;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MqttDefaultFilePersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** MQTT 5 over Paho's {@code mqttv5} asynchronous client. */
final class Paho5Connection implements MqttConnection {
  private final Spec spec;
  private final Events events;
  private final MqttAsyncClient client;

  Paho5Connection(Spec spec, Events events) throws MqttException {
    this.spec = spec;
    this.events = events;
    MqttClientPersistence persistence = spec.options().persistenceDirectory().isPresent()
        ? new MqttDefaultFilePersistence(spec.options().persistenceDirectory().get())
        : spec.memory().forV5(spec.brokerUrl());
    this.client = new MqttAsyncClient(spec.brokerUrl(), spec.clientId(), persistence);
    client.setManualAcks(true);
    client.setCallback(new MqttCallback() {
      @Override
      public void disconnected(MqttDisconnectResponse response) {
        MqttException e = response.getException();
        events.lost(e != null ? e : new MqttException(response.getReturnCode(),
            new IllegalStateException("the broker disconnected: reason " + response.getReturnCode()
                + (response.getReasonString() == null ? "" : " " + response.getReasonString()))));
      }

      @Override
      public void mqttErrorOccurred(MqttException exception) {
        events.error("MQTT protocol error", exception);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        events.message(topic, message.getPayload(), message.getId(), message.getQos(), message.isDuplicate());
      }

      @Override
      public void deliveryComplete(IMqttToken token) {}

      @Override
      public void connectComplete(boolean reconnect, String serverURI) {}

      @Override
      public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    });
  }

  @Override
  public void start() throws MqttException {
    MQTTOptions o = spec.options();
    MqttConnectionOptions c = new MqttConnectionOptions();
    c.setCleanStart(o.cleanSession());
    c.setSessionExpiryInterval(o.cleanSession() ? 0L : o.sessionExpiry().getSeconds());
    c.setConnectionTimeout((int) o.connectionTimeout().getSeconds());
    c.setKeepAliveInterval((int) o.keepAlive().getSeconds());
    c.setAutomaticReconnect(false);
    o.receiveMaximum().ifPresent(c::setReceiveMaximum);
    o.username().ifPresent(c::setUserName);
    o.password().ifPresent(p -> c.setPassword(p.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    if (spec.socketFactory() != null) {
      c.setSocketFactory(spec.socketFactory());
    }
    c.setHttpsHostnameVerificationEnabled(o.hostnameVerification());
    client.connect(c, null, new MqttActionListener() {
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
    MqttSubscription[] subs = new MqttSubscription[spec.filters().length];
    for (int i = 0; i < subs.length; i++) {
      subs[i] = new MqttSubscription(spec.filters()[i], spec.qos()[i]);
    }
    try {
      client.subscribe(subs, null, new MqttActionListener() {
        @Override
        public void onSuccess(IMqttToken token) {
          events.subscribed(spec.filters(), token.getReasonCodes());
        }

        @Override
        public void onFailure(IMqttToken token, Throwable e) {
          events.failed("subscribe", e);
        }
      }, new MqttProperties());
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
