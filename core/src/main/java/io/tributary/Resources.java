package io.tributary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long-lived objects shared by the tasks of one context (client pools, producers, connections):
 * each made on first use under its key and closed, newest first, when its owner closes. The owner
 * is a dataset context ({@code RddContext.resource(...)}, and {@link TaskContext#resources()} in
 * its tasks): what a connector keeps open between batches lives as long as the context that uses
 * it, not as long as the JVM.
 *
 * <p>The local engine runs tasks in the context's JVM, so its tasks and the driver share the
 * context's resources. An engine that runs tasks on other machines gives each executor resources
 * of its own (closed when the executor stops): what a task finds here is local to where it runs.
 *
 * <p>Thread-safe. Factories run while the registry is locked: keep them cheap (make the object,
 * let it open connections lazily).
 */
public final class Resources implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Resources.class);

  private final String owner;
  private final Map<String, AutoCloseable> made = new LinkedHashMap<>();
  private boolean closed;

  /** An empty registry; {@code owner} names it in error messages (e.g. "RddContext 3"). */
  public Resources(String owner) {
    this.owner = Objects.requireNonNull(owner, "owner");
  }

  /**
   * The resource of {@code key}, made with {@code factory} when there is none yet.
   *
   * @throws IllegalArgumentException when the resource of {@code key} is not a {@code type}
   *     (two libraries use the same key), or the factory returns null
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized <R extends AutoCloseable> R get(String key, Class<R> type, Supplier<? extends R> factory) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(factory, "factory");
    if (closed) {
      throw new IllegalStateException("Cannot use resource '" + key + "': the resources of " + owner
          + " are closed (its context was stopped). Use a context that is still running");
    }
    AutoCloseable resource = made.get(key);
    if (resource == null) {
      resource = factory.get();
      if (resource == null) {
        throw new IllegalArgumentException("The factory of resource '" + key + "' returned null");
      }
      made.put(key, resource);
    }
    if (!type.isInstance(resource)) {
      throw new IllegalArgumentException("Resource '" + key + "' of " + owner + " is a " + resource.getClass().getName()
          + ", not a " + type.getName() + ": two users share the key, give one of them another");
    }
    return type.cast(resource);
  }

  /** Whether {@link #close()} was called. */
  public synchronized boolean isClosed() {
    return closed;
  }

  /**
   * Closes every resource made, newest first (a failure is logged and the others are still
   * closed); later {@link #get} calls fail. Closing again does nothing.
   */
  @Override
  public void close() {
    List<Map.Entry<String, AutoCloseable>> closing;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closing = new ArrayList<>(made.entrySet());
      made.clear();
    }
    for (int i = closing.size() - 1; i >= 0; i--) {
      Map.Entry<String, AutoCloseable> entry = closing.get(i);
      try {
        entry.getValue().close();
      } catch (Exception | LinkageError e) {
        LOG.warn("Closing resource '{}' of {} failed", entry.getKey(), owner, e);
      }
    }
  }

  @Override
  public String toString() {
    return "Resources(" + owner + ")";
  }
}
