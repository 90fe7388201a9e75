package io.tributary;

/**
 * Checks, for connectors, that a client library they are built on is on the class path, so that a
 * missing jar fails with a message naming the artifact to add instead of a bare {@code
 * NoClassDefFoundError} deep in a stream's start.
 */
public final class ClassPath {
  private ClassPath() {}

  /**
   * Fails unless {@code className} can be loaded (without initializing it) by the class loader of
   * {@code caller}.
   *
   * @param caller the connector class that will use the library
   * @param className a class of the library, e.g. {@code org.apache.kafka.clients.consumer.KafkaConsumer}
   * @param artifact the Maven coordinates that provide it, e.g. {@code org.apache.kafka:kafka-clients:3.9.1}
   * @param neededBy what needs it, e.g. {@code tributary-kafka}
   * @throws IllegalStateException naming the artifact, when the class is missing
   */
  public static void require(Class<?> caller, String className, String artifact, String neededBy) {
    try {
      ClassLoader loader = caller.getClassLoader();
      Class.forName(className, false, loader != null ? loader : ClassLoader.getSystemClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException(neededBy + " needs " + artifact + " on the class path, and it is missing ("
          + className + " cannot be loaded: " + e + "). Add that dependency to your application (and keep it "
          + "in your uber-jar: do not mark it provided or exclude it)", e);
    }
  }
}
