package io.tributary.internal.serializer;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy;
import com.esotericsoftware.kryo.util.Pool;
import org.objenesis.strategy.StdInstantiatorStrategy;

/**
 * Kryo with class registration optional (unregistered classes are written by name), pooled so
 * that any thread can use it. Objects without a no-arg constructor are created through Objenesis.
 */
public final class KryoSerializer implements Serializer {
  private final Pool<Kryo> kryos =
      new Pool<>(true, false, 64) {
        @Override
        protected Kryo create() {
          Kryo kryo = new Kryo();
          kryo.setRegistrationRequired(false);
          kryo.setReferences(true);
          kryo.setInstantiatorStrategy(
              new DefaultInstantiatorStrategy(new StdInstantiatorStrategy()));
          kryo.setClassLoader(Thread.currentThread().getContextClassLoader());
          return kryo;
        }
      };

  @Override
  public byte[] serialize(Object value) {
    Kryo kryo = kryos.obtain();
    try (Output out = new Output(256, -1)) {
      kryo.writeClassAndObject(out, value);
      return out.toBytes();
    } finally {
      kryos.free(kryo);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> T deserialize(byte[] bytes) {
    Kryo kryo = kryos.obtain();
    try (Input in = new Input(bytes)) {
      return (T) kryo.readClassAndObject(in);
    } finally {
      kryos.free(kryo);
    }
  }
}
