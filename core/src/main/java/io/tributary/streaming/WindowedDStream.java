package io.tributary.streaming;

import io.tributary.StorageLevel;
import io.tributary.internal.Checks;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A sliding window over a parent stream: every {@code slide}, the union of the parent's datasets
 * of the batch times in {@code (t - window, t]}. The parent keeps its datasets for the window (and
 * is persisted at {@code MEMORY_ONLY_SER} unless it has a level already, as each of its datasets
 * is read by several windows).
 */
final class WindowedDStream<T> extends DStream<T> {
  private final DStreamLike<T, ?, ?> parent;
  private final Duration windowDuration;
  private final Duration slideDuration;

  public WindowedDStream(DStreamLike<T, ?, ?> parent, Duration windowDuration, Duration slideDuration) {
    super(checkWindow(parent, windowDuration, slideDuration, "window"));
    this.parent = parent;
    this.windowDuration = windowDuration;
    this.slideDuration = slideDuration;
    if (parent.storageLevel() == StorageLevel.NONE) {
      parent.persist(StorageLevel.MEMORY_ONLY_SER); // as Spark: each parent batch is read by several windows
    }
  }

  /**
   * Persists the parent at {@code level}, not this stream: a window is a union of the parent's
   * datasets, so persisting each window would keep a copy of every batch per window it is in (as
   * in Spark). The window's own level stays {@code NONE}.
   */
  @Override
  public DStream<T> persist(StorageLevel level) {
    Checks.notNull(level, "storage level");
    parent.persist(level);
    return this;
  }

  /**
   * Checks, at definition time, that {@code window} and {@code slide} are positive multiples of
   * {@code parent}'s slide duration, failing with a message naming all three; returns the
   * parent's context.
   */
  public static StreamingContext checkWindow(
      DStreamLike<?, ?, ?> parent, Duration window, Duration slide, String operation) {
    Checks.notNull(parent, "parent stream");
    Checks.notNull(window, "window duration");
    Checks.notNull(slide, "slide duration");
    Duration batch = parent.slideDuration();
    String problem = null;
    if (window.isZero() || !window.isMultipleOf(batch)) {
      problem = "the window duration " + window;
    } else if (slide.isZero() || !slide.isMultipleOf(batch)) {
      problem = "the slide duration " + slide;
    }
    if (problem != null) {
      throw new IllegalArgumentException(
          "Invalid " + operation + " of " + parent + " with window duration " + window
              + " and slide duration " + slide + ": both must be positive multiples of the parent's "
              + "slide duration " + batch + ", and " + problem + " is not");
    }
    return parent.context();
  }

  /** The length of each window. */
  public Duration windowDuration() {
    return windowDuration;
  }

  @Override
  public Duration slideDuration() {
    return slideDuration;
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of(parent);
  }

  @Override
  protected Duration parentRememberDuration() {
    return rememberDuration().plus(windowDuration);
  }

  @Override
  public Optional<Rdd<T>> compute(Time validTime) {
    return Optional.of(ssc.rddContext().union(
        datasetsIn(parent, validTime.minus(windowDuration), validTime, slideDuration)));
  }

  /**
   * The datasets of {@code stream} for its batch times in {@code (from, to]}. Every batch time of
   * the last {@code slide} is asked for too, in ascending order, so a window shorter than its
   * slide still computes each parent batch once, in order (a source reads each batch's data).
   */
  static <T> List<Rdd<T>> datasetsIn(DStreamLike<T, ?, ?> stream, Time from, Time to, Duration slide) {
    List<Rdd<T>> rdds = new ArrayList<>();
    Duration step = stream.slideDuration();
    Time first = to.minus(slide).less(from) ? to.minus(slide) : from;
    for (Time t = first.plus(step); t.lessEq(to); t = t.plus(step)) {
      if (t.greater(stream.zeroTime())) {
        Optional<Rdd<T>> rdd = stream.getOrCompute(t);
        if (t.greater(from)) {
          rdd.ifPresent(rdds::add);
        }
      }
    }
    return rdds;
  }
}
