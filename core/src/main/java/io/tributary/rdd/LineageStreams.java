package io.tributary.rdd;

import io.tributary.StreamingConf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Java serialization of lineage for tasks in other JVMs. Writing, every dataset outside the set to
 * compute becomes an {@link ExternalRdd} (so a task carries only its own part of the lineage) and
 * the context becomes a {@link ContextRef}, which reads back as the executor context of this JVM.
 * Reading resolves classes with the thread's context class loader (where engines such as Spark
 * put the application's jars) and hands every object read to a visitor.
 */
final class LineageStreams {
  private LineageStreams() {}

  static byte[] write(Object root, Set<Rdd<?>> computed, String what) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (Out out = new Out(bytes, computed)) {
      out.writeObject(root);
    } catch (NotSerializableException e) {
      throw new IllegalArgumentException(
          "Cannot ship " + what + " to the tasks of the cluster: class " + e.getMessage()
              + " is not serializable. Functions and the values they capture must be Serializable "
              + "(receiver input streams are not supported on a cluster engine yet)", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot ship " + what + " to the tasks of the cluster: " + e, e);
    }
    return bytes.toByteArray();
  }

  static Object read(byte[] data, Consumer<Object> visitor) {
    try (In in = new In(new ByteArrayInputStream(data), visitor)) {
      return in.readObject();
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException(
          "Cannot read the lineage shipped to this task: " + e
              + " (are the application's classes on the executors' class path?)", e);
    }
  }

  /** What a context is written as: its configuration. */
  static final class ContextRef implements Serializable {
    private static final long serialVersionUID = 1L;
    private final StreamingConf conf;

    ContextRef(StreamingConf conf) {
      this.conf = conf;
    }

    private Object readResolve() {
      return RddContext.forExecutor(conf);
    }
  }

  private static final class Out extends ObjectOutputStream {
    private final Set<Rdd<?>> computed;

    Out(OutputStream out, Set<Rdd<?>> computed) throws IOException {
      super(out);
      this.computed = computed;
      enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
      if (obj instanceof RddContext context) {
        return new ContextRef(context.conf());
      }
      if (obj instanceof Rdd<?> rdd && !(obj instanceof ExternalRdd) && !computed.contains(rdd)) {
        return new ExternalRdd<>(rdd);
      }
      return obj;
    }
  }

  private static final class In extends ObjectInputStream {
    private final Consumer<Object> visitor;

    In(InputStream in, Consumer<Object> visitor) throws IOException {
      super(in);
      this.visitor = visitor;
      enableResolveObject(true);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      if (loader != null) {
        try {
          return Class.forName(desc.getName(), false, loader);
        } catch (ClassNotFoundException e) {
          // fall back to the default lookup (primitive types, the caller's loader)
        }
      }
      return super.resolveClass(desc);
    }

    @Override
    protected Object resolveObject(Object obj) {
      visitor.accept(obj);
      return obj;
    }
  }
}
