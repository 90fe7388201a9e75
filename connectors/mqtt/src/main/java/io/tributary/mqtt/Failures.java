package io.tributary.mqtt;

import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/** Turns Paho's exceptions into messages that say what happened and what to check. */
final class Failures {
  private Failures() {}

  /** The reason code of a Paho (3 or 5) exception, or -1. */
  public static int reasonCode(Throwable t) {
    if (t instanceof org.eclipse.paho.client.mqttv3.MqttException e) {
      return e.getReasonCode();
    }
    if (t instanceof org.eclipse.paho.mqttv5.common.MqttException e) {
      return e.getReasonCode();
    }
    return -1;
  }

  /** Whether the broker refused the credentials or the client (MQTT 3 return codes 4, 5; MQTT 5 0x86, 0x87). */
  public static boolean isAuthFailure(Throwable t) {
    int code = reasonCode(t);
    return code == 4 || code == 5 || code == 0x86 || code == 0x87;
  }

  /** "what failed: cause; hint" for a failed connect, subscribe or lost connection. */
  public static String describe(String what, Throwable t) {
    StringBuilder sb = new StringBuilder(what);
    if (t == null) {
      return sb.toString();
    }
    int code = reasonCode(t);
    String top = t.getMessage();
    // Paho wraps other exceptions in "MqttException (0)": say what is inside instead
    boolean wrapper = code == 0 && t.getCause() != null;
    if (!wrapper) {
      sb.append(": ").append(top == null ? t.getClass().getSimpleName() : top);
      if (code >= 0) {
        sb.append(" (reason ").append(code).append(')');
      }
    }
    String said = sb.toString();
    boolean first = wrapper;
    for (Throwable c = t.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      String m = c.getMessage();
      if (m == null || said.contains(m)) {
        continue;
      }
      sb.append(first ? ": " : "; ").append(c.getClass().getSimpleName()).append(": ").append(m);
      said = sb.toString();
      first = false;
    }
    String hint = hint(code, t);
    if (hint != null) {
      sb.append(" -- ").append(hint);
    }
    return sb.toString();
  }

  private static String hint(int code, Throwable t) {
    if (has(t, SSLException.class)) {
      return "the TLS handshake failed: check that the trust store holds the broker's CA, the broker's "
          + "certificate names the URL's host (or turn hostnameVerification off), and the key store if "
          + "the broker wants client certificates";
    }
    if (has(t, UnknownHostException.class)) {
      return "the broker's host name is unknown";
    }
    return switch (code) {
      case 1, 0x84 -> "the broker does not speak this MQTT version: try another MQTTOptions.version";
      case 2, 0x85 -> "the broker rejected the client id: give a shorter one of 0-9a-zA-Z with MQTTOptions.clientId";
      case 3, 0x88, 0x89 -> "the broker is unavailable or busy";
      case 4, 0x86 -> "the broker rejected the user name or password: check MQTTOptions.credentials";
      case 5, 0x87 -> "the broker does not allow this client: give credentials (MQTTOptions.credentials) that its ACL allows";
      case 32103 -> has(t, ConnectException.class)
          ? "nothing listens there: is the broker running, and are host and port right?"
          : "is the broker running and reachable?";
      case 32000 -> "no answer within the connection timeout";
      case 32109 -> "the broker closed the connection (another client with the same client id, a keep-alive "
          + "timeout, or the broker stopped)";
      default -> null;
    };
  }

  private static boolean has(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
