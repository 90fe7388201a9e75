package io.tributary;

import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The state of one key, as the mapping function of {@link io.tributary.streaming.PairDStream#mapWithState} sees it:
 * read it with {@link #exists()}/{@link #get()}, change it with {@link #update} or drop it with
 * {@link #remove()}. Changes take effect when the function returns; a key whose state is neither
 * updated nor removed keeps its state.
 *
 * <p>When a {@link io.tributary.streaming.StateSpec#timeout timeout} is set, a key that received no data for longer than
 * the timeout is passed to the function once more, with no value and {@link #isTimingOut()} true;
 * its state is then dropped and may not be updated or removed.
 *
 * <p>State objects are shared with earlier batches' snapshots: treat them as immutable and
 * {@link #update} with a new object instead of changing the old one in place.
 */
public abstract class State<S> {

  /** For the engine and for tests of mapping functions. */
  protected State() {}

  /** Whether the key has a state (set in an earlier batch or by {@link #update} in this call). */
  public abstract boolean exists();

  /**
   * The key's state.
   *
   * @throws NoSuchElementException when the key has none ({@link #exists()} is false)
   */
  public abstract S get();

  /**
   * Sets the key's state to {@code newState} (not null).
   *
   * @throws IllegalStateException when the state is timing out or was removed in this call
   */
  public abstract void update(S newState);

  /**
   * Drops the key's state.
   *
   * @throws IllegalStateException when the state is timing out or was already removed
   */
  public abstract void remove();

  /**
   * True when the function is called because the key timed out: no value, and the state will be
   * dropped whatever the function does.
   */
  public abstract boolean isTimingOut();

  /** The key's state, or empty when it has none. */
  public final Optional<S> getOption() {
    return exists() ? Optional.of(get()) : Optional.empty();
  }

  @Override
  public String toString() {
    return "State[" + (exists() ? String.valueOf(get()) : "<none>") + "]";
  }
}
