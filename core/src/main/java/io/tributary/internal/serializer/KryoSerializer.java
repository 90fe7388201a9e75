package io.tributary.internal.serializer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.ClosureSerializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import java.util.Arrays;
import java.util.List;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo, pooled so that any thread can use it. Class registration is optional: unregistered
 * classes are written by name, and classes listed in {@code serializer.kryo.classesToRegister}
 * are registered (smaller output); serializable lambdas are supported. An object Kryo cannot
 * handle (e.g. one with fields of JDK-internal classes that Java 17 does not open to it) is written
 * with Java serialization instead; the first byte of the output says which of the two wrote it.
 */
public final class KryoSerializer implements Serializer {
  private static final byte KRYO = 0;
  private static final byte JAVA = 1;

  private final JavaSerializer fallback = new JavaSerializer();
  private final Pool<Kryo> kryos;

  public KryoSerializer() {
    this(List.of());
  }

  /** A serializer registering {@code classes}, in this order (the order must not change between writer and reader). */
  public KryoSerializer(List<Class<?>> classes) {
    this.kryos =
        new Pool<>(true, false, 64) {
          @Override
          protected Kryo create() {
            Kryo kryo = new Kryo();
            kryo.setRegistrationRequired(false);
            kryo.setReferences(true);
            kryo.setInstantiatorStrategy(new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
            kryo.setClassLoader(Thread.currentThread().getContextClassLoader());
            // lambdas go through Java serialization (their writeReplace/readResolve), which needs
            // no access to JDK internals that Java 17 closes
            kryo.register(ClosureSerializer.Closure.class, new com.esotericsoftware.kryo.serializers.JavaSerializer());
            for (Class<?> c : classes) {
              kryo.register(c);
            }
            return kryo;
          }
        };
  }

  /** Loads the classes named in a comma-separated list; fails naming a class that is not found. */
  public static List<Class<?>> classesNamed(String names) {
    return Arrays.stream(names.split(","))
        .map(String::trim)
        .filter(n -> !n.isEmpty())
        .<Class<?>>map(
            n -> {
              try {
                return Class.forName(n, true, Thread.currentThread().getContextClassLoader());
              } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException(
                    "Class '" + n + "' in serializer.kryo.classesToRegister is not on the classpath", e);
              }
            })
        .toList();
  }

  @Override
  public byte[] serialize(Object value) {
    Kryo kryo = kryos.obtain();
    try (Output out = new Output(256, -1)) {
      out.writeByte(KRYO);
      kryo.writeClassAndObject(out, value);
      return out.toBytes();
    } catch (RuntimeException kryoCannot) {
      byte[] java = fallback.serialize(value);
      byte[] tagged = new byte[java.length + 1];
      tagged[0] = JAVA;
      System.arraycopy(java, 0, tagged, 1, java.length);
      return tagged;
    } finally {
      kryos.free(kryo);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T deserialize(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == JAVA) {
      return fallback.deserialize(Arrays.copyOfRange(bytes, 1, bytes.length));
    }
    Kryo kryo = kryos.obtain();
    try (Input in = new Input(bytes, 1, bytes.length - 1)) {
      return (T) kryo.readClassAndObject(in);
    } finally {
      kryos.free(kryo);
    }
  }
}
