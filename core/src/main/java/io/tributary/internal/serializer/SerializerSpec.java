package io.tributary.internal.serializer;

import java.io.Serializable;
import java.util.Map;

/**
 * Which serializer a context uses ({@code serializer}, {@code serializer.kryo.classesToRegister}),
 * in a form that travels inside task functions; {@link #get()} builds the serializer once per copy.
 */
public final class SerializerSpec implements Serializable {
  private final String name;
  private final String kryoClasses;
  private transient volatile Serializer serializer;

  private SerializerSpec(String name, String kryoClasses) {
    this.name = name;
    this.kryoClasses = kryoClasses;
  }

  /** The serializer {@code settings} name (a configuration's settings, keys without {@code spark.} prefix). */
  public static SerializerSpec of(Map<String, String> settings) {
    return new SerializerSpec(
        settings.getOrDefault("serializer", "kryo"), settings.getOrDefault("serializer.kryo.classesToRegister", ""));
  }

  public Serializer get() {
    Serializer s = serializer;
    if (s == null) {
      s = Serializer.named(name, kryoClasses);
      serializer = s;
    }
    return s;
  }
}
