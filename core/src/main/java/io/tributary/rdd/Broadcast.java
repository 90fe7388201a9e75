package io.tributary.rdd;

import java.io.Serializable;

/**
 * A read-only value shared with every task, as Spark's {@code Broadcast}: made by {@link
 * RddContext#broadcast(Object)}, read with {@link #value()} inside tasks and on the driver.
 * Reference data (a lookup table, an exclude list) is the typical use.
 *
 * <p>The local engine's tasks run in the driver's JVM and read the very object given to {@code
 * broadcast} (do not change it afterwards). An engine running tasks elsewhere ships a broadcast
 * with the task's functions, serialized with its value (which must then be serializable), and may
 * keep one copy per executor by {@link #id()}.
 *
 * <p>A broadcast is not part of checkpoints: after a restart from a checkpoint, create it again
 * (lazily, e.g. in a holder that {@code foreachRDD} asks for it, as Spark's {@code
 * JavaRecoverableNetworkWordCount} does).
 */
public final class Broadcast<T> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private volatile T value;
  private volatile boolean destroyed;

  Broadcast(long id, T value) {
    this.id = id;
    this.value = value;
  }

  /** Unique among the broadcasts of the context that made it. */
  public long id() {
    return id;
  }

  /**
   * The value.
   *
   * @throws IllegalStateException after {@link #destroy()}
   */
  public T value() {
    if (destroyed) {
      throw new IllegalStateException(
          "Broadcast " + id + " was destroyed and cannot be used any more: broadcast the value again");
    }
    return value;
  }

  /**
   * Drops copies kept where tasks run; the value stays readable (an engine ships it again). The
   * local engine keeps no copies, so this does nothing there.
   */
  public void unpersist() {}

  /** Releases the value for good: {@link #value()} fails afterwards. */
  public void destroy() {
    destroyed = true;
    value = null;
  }

  /** Whether {@link #destroy()} was called. */
  public boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "Broadcast(" + id + ")";
  }
}
