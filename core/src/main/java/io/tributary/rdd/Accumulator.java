package io.tributary.rdd;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A value that tasks add to and the driver reads, as Spark's {@code AccumulatorV2}: made by {@link
 * RddContext#longAccumulator} or {@link RddContext#collectionAccumulator}. Typical use: counting what a job dropped or found odd, beside
 * its real output.
 *
 * <p>The contract, for every engine:
 *
 * <ul>
 *   <li>Inside a task, {@code add} goes to that task attempt's own update; the task's value cannot
 *       be read there ({@link #value()} fails). Outside tasks (the driver: {@code foreachRDD},
 *       {@code transform} bodies, listeners) {@code add} changes the value at once.
 *   <li>A task's update reaches the driver with the task's result and is merged into the
 *       accumulator once the task's stage has succeeded. The updates of a failed attempt (retried
 *       by the engine) and of a stage that failed are dropped, so in an action each task counts
 *       once. In a transformation, work that runs again (a dataset read by two jobs without being
 *       persisted, a checkpoint write, a retried batch) counts again, as in Spark.
 *   <li>An accumulator is {@link Serializable}: an engine running tasks elsewhere ships it with
 *       the task's functions; the copy's updates come back keyed by {@link #id()} and are merged
 *       into the driver's instance. Deserialized in the driver's JVM, it is the driver's instance.
 * </ul>
 *
 * <p>An accumulator is not part of checkpoints: after a restart from a checkpoint, create it
 * again (lazily, e.g. in a holder that {@code foreachRDD} asks for it, as Spark's {@code
 * JavaRecoverableNetworkWordCount} does).
 *
 * @param <IN> what {@code add} takes
 * @param <OUT> what {@link #value()} gives
 */
public abstract sealed class Accumulator<IN, OUT> implements Serializable
    permits LongAccumulator, CollectionAccumulator {
  private static final long serialVersionUID = 1L;
  private static final AtomicLong IDS = new AtomicLong();
  /** The driver's accumulators of this JVM, by id, held weakly: where task updates are merged. */
  private static final Map<Long, Registered> DRIVER = new ConcurrentHashMap<>();
  private static final ReferenceQueue<Accumulator<?, ?>> COLLECTED = new ReferenceQueue<>();

  private final long id;
  private final String name;
  private transient boolean remote; // a copy deserialized in a JVM without the driver's instance

  Accumulator(String name) {
    this.id = IDS.incrementAndGet();
    this.name = name;
    for (Object gone; (gone = COLLECTED.poll()) != null; ) {
      DRIVER.remove(((Registered) gone).id, gone);
    }
    DRIVER.put(id, new Registered(this));
  }

  /** Unique in the driver's JVM: what task updates are keyed by. */
  public final long id() {
    return id;
  }

  /** The name given at creation, or null. */
  public final String name() {
    return name;
  }

  /** Adds {@code value}: to the running task's update inside a task, else to this accumulator. */
  public abstract void add(IN value);

  /**
   * The value merged so far on the driver.
   *
   * @throws IllegalStateException inside a task: tasks only add
   */
  public abstract OUT value();

  /** Whether nothing was added (or merged) since creation or {@link #reset()}. */
  public abstract boolean isZero();

  /** Sets the value back to zero (on the driver). */
  public abstract void reset();

  @Override
  public String toString() {
    return getClass().getSimpleName() + "(id: " + id + (name != null ? ", name: " + name : "") + ")";
  }

  // ---------------------------------------------------------------- task updates (package-private)

  /** A new, zero update of a task. */
  abstract Serializable zeroUpdate();

  /** Merges the update of a finished task into this (the driver's) accumulator. */
  abstract void merge(Serializable update);

  /**
   * The running task's update of this accumulator (created on first use), or null outside tasks.
   * Fails for a copy in another JVM than the driver's outside a task that returns its updates:
   * what it added would never reach the driver.
   */
  final Serializable taskUpdate() {
    TaskAccumulators task = TaskAccumulators.current();
    if (task == null && remote) {
      throw new IllegalStateException("Accumulator " + (name == null ? "#" + id : "'" + name + "'")
          + " was added to where its updates cannot reach the driver: on a cluster engine only the tasks of "
          + "an action (foreach, count, collect, ...) bring accumulator updates back, not those of a shuffle's "
          + "map side. Add to it in the action's function, e.g. inside foreachRDD's rdd.foreach(...)");
    }
    return task == null ? null : task.updateOf(this);
  }

  /** Fails inside a task: its value is the driver's to read. */
  final void checkOnDriver() {
    if (TaskAccumulators.current() != null) {
      throw new IllegalStateException(
          "The value of " + this + " was read inside a task: tasks can only add to an accumulator; "
              + "read its value on the driver, e.g. in foreachRDD after the action that adds to it");
    }
  }

  /** Merges task updates (by accumulator id) into the driver's accumulators of this JVM. */
  static void mergeAll(Map<Long, Serializable> updates) {
    for (Map.Entry<Long, Serializable> e : updates.entrySet()) {
      Registered registered = DRIVER.get(e.getKey());
      Accumulator<?, ?> target = registered == null ? null : registered.get();
      if (target != null) { // else nobody can read it any more
        target.merge(e.getValue());
      }
    }
  }

  /**
   * In the driver's JVM a deserialized accumulator is the driver's instance; elsewhere it is a
   * copy whose adds must happen inside a task that returns them.
   */
  protected final Object readResolve() throws ObjectStreamException {
    Registered registered = DRIVER.get(id);
    Accumulator<?, ?> driver = registered == null ? null : registered.get();
    if (driver != null) {
      return driver;
    }
    remote = true;
    return this;
  }

  private static final class Registered extends WeakReference<Accumulator<?, ?>> {
    final long id;

    Registered(Accumulator<?, ?> accumulator) {
      super(accumulator, COLLECTED);
      this.id = accumulator.id;
    }
  }
}
