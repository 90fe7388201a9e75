package io.tributary.internal.serializer;

import io.tributary.StreamingConf;
import java.io.Serializable;

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

  public static SerializerSpec of(StreamingConf conf) {
    return new SerializerSpec(conf.get("serializer", "kryo"), conf.get("serializer.kryo.classesToRegister", ""));
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
