package io.tributary.internal.serializer;

/**
 * Turns objects into bytes and back, for serialized storage levels, checkpoints and the
 * write-ahead log. Implementations are thread-safe.
 */
public interface Serializer {
  byte[] serialize(Object value);

  <T> T deserialize(byte[] bytes);

  /** Chooses by name: {@code kryo} (the default), {@code java}, or a class with a no-arg constructor. */
  static Serializer named(String name) {
    return named(name, "");
  }

  /** Like {@link #named(String)}, with the Kryo classes to register (comma-separated names). */
  static Serializer named(String name, String kryoClasses) {
    return switch (name) {
      case "kryo" -> new KryoSerializer(KryoSerializer.classesNamed(kryoClasses));
      case "java" -> new JavaSerializer();
      default -> {
        try {
          yield (Serializer) Class.forName(name).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
          throw new IllegalArgumentException(
              "Unknown serializer '" + name + "': use kryo, java, or the name of a class "
                  + "implementing " + Serializer.class.getName() + " with a no-arg constructor", e);
        }
      }
    };
  }
}
