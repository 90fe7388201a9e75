package io.tributary.mqtt;

import io.tributary.StorageLevel;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How an MQTT stream connects, subscribes and stores: everything but the broker URL and the
 * topics. Immutable and serializable; make one with {@link #builder()}.
 *
 * <pre>{@code
 * MQTTOptions options = MQTTOptions.builder()
 *     .clientId("sensor-counts")          // a fixed id: the broker keeps the session across restarts
 *     .credentials("app", "secret")
 *     .qos(1)
 *     .version(MQTTVersion.V5)
 *     .trustStore("/etc/app/broker-ca.pem", null)
 *     .build();
 * }</pre>
 *
 * <p>Defaults: QoS 1, persistent session ({@code cleanSession=false}), MQTT 3.1.1, connection
 * timeout 30 s, keep-alive 60 s, reconnect after a lost connection or a failed connect (after the
 * context's {@code streaming.receiverRestartDelay}, doubling while it keeps failing), session
 * state in memory, blocks of at most 10,000 messages cut every {@code streaming.blockInterval}
 * or 10 ms after the last message, payloads up to 1 MiB, storage level {@code
 * MEMORY_AND_DISK_SER_2}.
 */
public final class MQTTOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Largest payload kept by default: 1 MiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 1 << 20;

  private final String clientId;
  private final String username;
  private final String password;
  private final boolean cleanSession;
  private final int qos;
  private final Map<String, Integer> topicQos;
  private final Duration connectionTimeout;
  private final Duration keepAlive;
  private final MQTTVersion version;
  private final Duration sessionExpiry;
  private final Integer receiveMaximum;
  private final String trustStore;
  private final String trustStorePassword;
  private final String keyStore;
  private final String keyStorePassword;
  private final boolean hostnameVerification;
  private final boolean automaticReconnect;
  private final Duration reconnectDelay;
  private final String persistenceDirectory;
  private final StorageLevel storageLevel;
  private final Duration blockInterval;
  private final int maxMessagesPerBlock;
  private final Duration idleFlush;
  private final int maxPayloadBytes;

  private MQTTOptions(Builder b) {
    clientId = b.clientId;
    username = b.username;
    password = b.password;
    cleanSession = b.cleanSession;
    qos = b.qos;
    topicQos = Map.copyOf(b.topicQos);
    connectionTimeout = b.connectionTimeout;
    keepAlive = b.keepAlive;
    version = b.version;
    sessionExpiry = b.sessionExpiry;
    receiveMaximum = b.receiveMaximum;
    trustStore = b.trustStore;
    trustStorePassword = b.trustStorePassword;
    keyStore = b.keyStore;
    keyStorePassword = b.keyStorePassword;
    hostnameVerification = b.hostnameVerification;
    automaticReconnect = b.automaticReconnect;
    reconnectDelay = b.reconnectDelay;
    persistenceDirectory = b.persistenceDirectory;
    storageLevel = b.storageLevel;
    blockInterval = b.blockInterval;
    maxMessagesPerBlock = b.maxMessagesPerBlock;
    idleFlush = b.idleFlush;
    maxPayloadBytes = b.maxPayloadBytes;
  }

  /** The defaults (see the class comment). */
  public static MQTTOptions defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clientId = clientId;
    b.username = username;
    b.password = password;
    b.cleanSession = cleanSession;
    b.qos = qos;
    b.topicQos.putAll(topicQos);
    b.connectionTimeout = connectionTimeout;
    b.keepAlive = keepAlive;
    b.version = version;
    b.sessionExpiry = sessionExpiry;
    b.receiveMaximum = receiveMaximum;
    b.trustStore = trustStore;
    b.trustStorePassword = trustStorePassword;
    b.keyStore = keyStore;
    b.keyStorePassword = keyStorePassword;
    b.hostnameVerification = hostnameVerification;
    b.automaticReconnect = automaticReconnect;
    b.reconnectDelay = reconnectDelay;
    b.persistenceDirectory = persistenceDirectory;
    b.storageLevel = storageLevel;
    b.blockInterval = blockInterval;
    b.maxMessagesPerBlock = maxMessagesPerBlock;
    b.idleFlush = idleFlush;
    b.maxPayloadBytes = maxPayloadBytes;
    return b;
  }

  /** The client id given, or empty when the receiver makes one up (see {@link Builder#clientId}). */
  public Optional<String> clientId() {
    return Optional.ofNullable(clientId);
  }

  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  public boolean cleanSession() {
    return cleanSession;
  }

  /** The QoS of every subscription without one of its own. */
  public int qos() {
    return qos;
  }

  /** The QoS the subscription to {@code topicFilter} asks for. */
  public int qos(String topicFilter) {
    return topicQos.getOrDefault(topicFilter, qos);
  }

  /** The topic filters given a QoS of their own with {@link Builder#qos(String, int)}. */
  public Set<String> topicQosFilters() {
    return topicQos.keySet();
  }

  public Duration connectionTimeout() {
    return connectionTimeout;
  }

  public Duration keepAlive() {
    return keepAlive;
  }

  public MQTTVersion version() {
    return version;
  }

  /** MQTT 5: how long the broker keeps the session after a disconnect (with {@code cleanSession=false}). */
  public Duration sessionExpiry() {
    return sessionExpiry;
  }

  /** MQTT 5: the most unacknowledged QoS 1/2 messages the broker may send at once; empty = 65,535. */
  public Optional<Integer> receiveMaximum() {
    return Optional.ofNullable(receiveMaximum);
  }

  public Optional<String> trustStore() {
    return Optional.ofNullable(trustStore);
  }

  public Optional<String> trustStorePassword() {
    return Optional.ofNullable(trustStorePassword);
  }

  public Optional<String> keyStore() {
    return Optional.ofNullable(keyStore);
  }

  public Optional<String> keyStorePassword() {
    return Optional.ofNullable(keyStorePassword);
  }

  public boolean hostnameVerification() {
    return hostnameVerification;
  }

  /** Whether a trust store or key store was given (the broker URL must then be {@code ssl://} or {@code wss://}). */
  public boolean usesTls() {
    return trustStore != null || keyStore != null;
  }

  public boolean automaticReconnect() {
    return automaticReconnect;
  }

  /** The delay before reconnecting; empty = the context's {@code streaming.receiverRestartDelay}. */
  public Optional<Duration> reconnectDelay() {
    return Optional.ofNullable(reconnectDelay);
  }

  /** Where the client keeps its session state; empty = in memory. */
  public Optional<String> persistenceDirectory() {
    return Optional.ofNullable(persistenceDirectory);
  }

  public StorageLevel storageLevel() {
    return storageLevel;
  }

  /** The longest a QoS 1/2 message waits before its block is stored; empty = {@code streaming.blockInterval}. */
  public Optional<Duration> blockInterval() {
    return Optional.ofNullable(blockInterval);
  }

  public int maxMessagesPerBlock() {
    return maxMessagesPerBlock;
  }

  /** A block of QoS 1/2 messages is stored once no message arrived for this long (zero = never). */
  public Duration idleFlush() {
    return idleFlush;
  }

  public int maxPayloadBytes() {
    return maxPayloadBytes;
  }

  @Override
  public String toString() {
    return "MQTTOptions{clientId=" + clientId + ", username=" + username
        + ", password=" + (password == null ? "none" : "***") + ", cleanSession=" + cleanSession
        + ", qos=" + qos + (topicQos.isEmpty() ? "" : ", topicQos=" + topicQos)
        + ", version=" + version + ", connectionTimeout=" + connectionTimeout + ", keepAlive=" + keepAlive
        + (version == MQTTVersion.V5 ? ", sessionExpiry=" + sessionExpiry + ", receiveMaximum=" + receiveMaximum : "")
        + (trustStore == null ? "" : ", trustStore=" + trustStore)
        + (keyStore == null ? "" : ", keyStore=" + keyStore)
        + ", automaticReconnect=" + automaticReconnect
        + ", persistence=" + (persistenceDirectory == null ? "memory" : persistenceDirectory)
        + ", storageLevel=" + storageLevel + ", maxMessagesPerBlock=" + maxMessagesPerBlock
        + ", maxPayloadBytes=" + maxPayloadBytes + "}";
  }

  /** Builds {@link MQTTOptions}; every setter checks its argument and says what is wrong. */
  public static final class Builder {
    private String clientId;
    private String username;
    private String password;
    private boolean cleanSession = false;
    private int qos = 1;
    private final Map<String, Integer> topicQos = new LinkedHashMap<>();
    private Duration connectionTimeout = Duration.ofSeconds(30);
    private Duration keepAlive = Duration.ofSeconds(60);
    private MQTTVersion version = MQTTVersion.V3_1_1;
    private Duration sessionExpiry = Duration.ofDays(1);
    private Integer receiveMaximum;
    private String trustStore;
    private String trustStorePassword;
    private String keyStore;
    private String keyStorePassword;
    private boolean hostnameVerification = true;
    private boolean automaticReconnect = true;
    private Duration reconnectDelay;
    private String persistenceDirectory;
    private StorageLevel storageLevel = StorageLevel.MEMORY_AND_DISK_SER_2;
    private Duration blockInterval;
    private int maxMessagesPerBlock = 10_000;
    private Duration idleFlush = Duration.ofMillis(10);
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;

    private Builder() {}

    /**
     * The client id (at most 23 characters of {@code 0-9a-zA-Z} are accepted by every broker;
     * most take longer ones). The broker keeps a persistent session per client id: give a fixed
     * one so that messages published while the application was down are delivered when it is
     * back. Without one, the receiver makes up {@code tributary-<12 random hex digits>} once per
     * stream definition: kept across receiver restarts, new each time the application starts.
     * Two connections with the same id take the session from each other: give each stream its own.
     */
    public Builder clientId(String clientId) {
      Objects.requireNonNull(clientId, "clientId");
      if (clientId.isEmpty()) {
        throw new IllegalArgumentException("clientId must not be empty (leave it unset to have one made up)");
      }
      if (clientId.getBytes(StandardCharsets.UTF_8).length > 65535) {
        throw new IllegalArgumentException("clientId is longer than MQTT allows (65535 bytes of UTF-8)");
      }
      this.clientId = clientId;
      return this;
    }

    /** User name and password for the broker; {@code password} may be null. */
    public Builder credentials(String username, String password) {
      Objects.requireNonNull(username, "username (MQTT 3.1.1 allows no password without a user name)");
      this.username = username;
      this.password = password;
      return this;
    }

    /**
     * With {@code false} (the default) the broker keeps the session (subscriptions, and QoS 1/2
     * messages not yet acknowledged or published while the receiver was away) across
     * disconnects: nothing acknowledged is lost and nothing unacknowledged is forgotten. With
     * {@code true} each connection starts from nothing: messages published while the receiver
     * is disconnected are lost, and unacknowledged ones are not delivered again.
     */
    public Builder cleanSession(boolean cleanSession) {
      this.cleanSession = cleanSession;
      return this;
    }

    /**
     * The QoS of the subscriptions (default 1). 1 and 2 are reliable (acknowledged only once
     * stored); 0 is not (the broker sends once and forgets; what the receiver held when it
     * stopped is lost). A message is delivered at the lower of its publish QoS and this one.
     * With {@link MQTTVersion#V5}, QoS 2 is subscribed as QoS 1 (see {@link MQTTReceiver}).
     */
    public Builder qos(int qos) {
      this.qos = checkQos(qos);
      return this;
    }

    /** The QoS of the subscription to one topic filter, overriding {@link #qos(int)} for it. */
    public Builder qos(String topicFilter, int qos) {
      Objects.requireNonNull(topicFilter, "topicFilter");
      topicQos.put(topicFilter, checkQos(qos));
      return this;
    }

    /** How long a connect may take (default 30 s; zero = wait for ever); whole seconds. */
    public Builder connectionTimeout(Duration timeout) {
      this.connectionTimeout = seconds(timeout, "connectionTimeout", Integer.MAX_VALUE);
      return this;
    }

    /** The keep-alive interval (default 60 s; zero = none); whole seconds, at most 65535. */
    public Builder keepAlive(Duration keepAlive) {
      this.keepAlive = seconds(keepAlive, "keepAlive", 65535);
      return this;
    }

    /** The protocol version (default {@link MQTTVersion#V3_1_1}). */
    public Builder version(MQTTVersion version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /**
     * MQTT 5 only: how long the broker keeps a persistent session after the receiver
     * disconnected (default 1 day). MQTT 3.1.1 sessions last until the broker's own limit.
     */
    public Builder sessionExpiry(Duration expiry) {
      this.sessionExpiry = seconds(expiry, "sessionExpiry", 0xFFFFFFFFL);
      return this;
    }

    /**
     * MQTT 5 only: the most QoS 1/2 messages the broker may send without acknowledgement (1 to
     * 65535; default 65535). Acknowledgements come once a block is stored, so this bounds the
     * messages held unacknowledged. MQTT 3.1.1 brokers have their own setting (mosquitto's
     * {@code max_inflight_messages}, default 20).
     */
    public Builder receiveMaximum(int receiveMaximum) {
      if (receiveMaximum < 1 || receiveMaximum > 65535) {
        throw new IllegalArgumentException("receiveMaximum must be between 1 and 65535, got " + receiveMaximum);
      }
      this.receiveMaximum = receiveMaximum;
      return this;
    }

    /**
     * The certificates to trust for TLS ({@code ssl://} and {@code wss://} URLs): a key store
     * file (PKCS12 or JKS) or a PEM file of one or more certificates, such as the broker's CA
     * file ({@code password} may then be null). Without it, the JVM's default trust store is used.
     */
    public Builder trustStore(String path, String password) {
      this.trustStore = Objects.requireNonNull(path, "trust store path");
      this.trustStorePassword = password;
      return this;
    }

    /** The client's certificate and key for TLS client authentication: a PKCS12 or JKS key store. */
    public Builder keyStore(String path, String password) {
      this.keyStore = Objects.requireNonNull(path, "key store path");
      this.keyStorePassword = password;
      return this;
    }

    /** Whether the broker's certificate must name the host of the URL (default true). */
    public Builder hostnameVerification(boolean verify) {
      this.hostnameVerification = verify;
      return this;
    }

    /**
     * With {@code true} (the default) a failed connect or a lost connection is reported and
     * retried after {@link #reconnectDelay(Duration)}, doubling while it keeps failing (up to 32
     * times); with {@code false} the receiver stops for good on the first one (the application goes on).
     */
    public Builder automaticReconnect(boolean reconnect) {
      this.automaticReconnect = reconnect;
      return this;
    }

    /** The first delay before reconnecting (default: the context's {@code streaming.receiverRestartDelay}, 2 s). */
    public Builder reconnectDelay(Duration delay) {
      Objects.requireNonNull(delay, "reconnectDelay");
      if (delay.isNegative() || delay.toMillis() > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("reconnectDelay must be between 0 and 24 days, got " + delay);
      }
      this.reconnectDelay = delay;
      return this;
    }

    /**
     * Keep the client's session state in files under this directory instead of in memory. It
     * matters for QoS 2: a QoS 2 message the broker considers delivered but that was not yet
     * stored is redelivered from this state, so only a directory lets it survive a process
     * restart. (Memory state survives receiver restarts within the process.)
     */
    public Builder persistenceDirectory(String directory) {
      this.persistenceDirectory = Objects.requireNonNull(directory, "persistenceDirectory");
      return this;
    }

    /** Keep the client's session state in memory (the default). */
    public Builder memoryPersistence() {
      this.persistenceDirectory = null;
      return this;
    }

    /** How received blocks are kept (default {@code MEMORY_AND_DISK_SER_2}). */
    public Builder storageLevel(StorageLevel level) {
      this.storageLevel = Objects.requireNonNull(level, "storageLevel");
      return this;
    }

    /**
     * The longest a QoS 1/2 message waits before the block holding it is stored and acknowledged
     * (default: the context's {@code streaming.blockInterval}, 200 ms).
     */
    public Builder blockInterval(Duration interval) {
      Objects.requireNonNull(interval, "blockInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("blockInterval must be positive, got " + interval);
      }
      this.blockInterval = interval;
      return this;
    }

    /** The most QoS 1/2 messages in one block (default 10,000). */
    public Builder maxMessagesPerBlock(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxMessagesPerBlock must be at least 1, got " + max);
      }
      this.maxMessagesPerBlock = max;
      return this;
    }

    /**
     * Store the block of QoS 1/2 messages once none arrived for this long (default 10 ms; zero =
     * only by size and block interval). Brokers stop sending when too many messages are
     * unacknowledged (mosquitto: 20 by default): this keeps that pause short.
     */
    public Builder idleFlush(Duration idle) {
      Objects.requireNonNull(idle, "idleFlush");
      if (idle.isNegative()) {
        throw new IllegalArgumentException("idleFlush must not be negative, got " + idle);
      }
      this.idleFlush = idle;
      return this;
    }

    /**
     * Larger payloads are not stored: they are acknowledged (so they are not delivered again),
     * counted ({@link MQTTReceiverStats#oversized()}) and reported to the streaming listeners.
     * Default 1 MiB.
     */
    public Builder maxPayloadBytes(int max) {
      if (max < 0) {
        throw new IllegalArgumentException("maxPayloadBytes must not be negative, got " + max);
      }
      this.maxPayloadBytes = max;
      return this;
    }

    /**
     * The options; fails naming the problem when options contradict each other (a password
     * without user name, MQTT 5 settings with another version).
     */
    public MQTTOptions build() {
      if (version != MQTTVersion.V5 && receiveMaximum != null) {
        throw new IllegalArgumentException("receiveMaximum is an MQTT 5 setting but version is " + version
            + ": set version(MQTTVersion.V5), or set max_inflight_messages on the broker");
      }
      return new MQTTOptions(this);
    }

    private static int checkQos(int qos) {
      if (qos < 0 || qos > 2) {
        throw new IllegalArgumentException("QoS must be 0, 1 or 2, got " + qos);
      }
      return qos;
    }

    private static Duration seconds(Duration d, String name, long maxSeconds) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.getSeconds() > maxSeconds) {
        throw new IllegalArgumentException(name + " must be between 0 and " + maxSeconds + " s, got " + d);
      }
      if (d.getNano() != 0) {
        throw new IllegalArgumentException(name + " is sent in whole seconds, got " + d);
      }
      return d;
    }
  }
}
