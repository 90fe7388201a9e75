package io.tributary.streaming.internal.state;

import io.tributary.State;
import java.util.NoSuchElementException;

/** The {@link State} handed to a mapping function, reused from record to record in a task. */
public final class StateImpl<S> extends State<S> {
  private S state;
  private boolean defined;
  private boolean timingOut;
  private boolean updated;
  private boolean removed;

  /** Wraps the state of a key with new data; {@code existing} null means none. */
  public void wrap(S existing) {
    reset(existing, false);
  }

  /** Wraps the state of a key that is timing out. */
  public void wrapTimingOut(S existing) {
    reset(existing, true);
  }

  private void reset(S existing, boolean timingOut) {
    this.state = existing;
    this.defined = existing != null;
    this.timingOut = timingOut;
    this.updated = false;
    this.removed = false;
  }

  @Override
  public boolean exists() {
    return defined;
  }

  @Override
  public S get() {
    if (!defined) {
      throw new NoSuchElementException(
          "State is not set" + (removed ? " (it was removed in this call)" : "")
              + ": check exists() or use getOption() before get()");
    }
    return state;
  }

  @Override
  public void update(S newState) {
    if (newState == null) {
      throw new IllegalArgumentException("State must not be null: call remove() to drop a key's state");
    }
    if (timingOut) {
      throw new IllegalStateException(
          "Cannot update the state that is timing out: a timed-out key's state is dropped; "
              + "check isTimingOut() before update()");
    }
    if (removed) {
      throw new IllegalStateException("Cannot update the state after it has been removed in the same call");
    }
    state = newState;
    defined = true;
    updated = true;
  }

  @Override
  public void remove() {
    if (timingOut) {
      throw new IllegalStateException(
          "Cannot remove the state that is timing out: it is dropped anyway; check isTimingOut() before remove()");
    }
    if (removed) {
      throw new IllegalStateException("Cannot remove the state that has already been removed");
    }
    state = null;
    defined = false;
    updated = false;
    removed = true;
  }

  @Override
  public boolean isTimingOut() {
    return timingOut;
  }

  /** Whether the function called {@link #update} (and not {@link #remove()} after it). */
  public boolean isUpdated() {
    return updated;
  }

  /** Whether the function called {@link #remove()}. */
  public boolean isRemoved() {
    return removed;
  }
}
