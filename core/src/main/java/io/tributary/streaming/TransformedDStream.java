package io.tributary.streaming;

import io.tributary.function.Function2;
import io.tributary.internal.Sneaky;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one stream kind behind every per-batch operation (map, filter, reduceByKey, transform,
 * union, joins, ...): applies a function to the same batch's datasets of its parents. For the
 * element-wise operations a batch exists when the parent has one (a parent without a dataset for a
 * batch makes none here either). The operations Spark implements with its {@code UnionDStream} and
 * {@code TransformedDStream} (union, transform, transformWith, joins) are {@code strict}: a parent
 * without a dataset fails the batch, as silently skipping it would drop the other parents' data.
 */
final class TransformedDStream<U> extends DStream<U> {
  private final List<DStreamLike<?, ?, ?>> parents;
  private final Function2<List<Rdd<?>>, Time, Rdd<U>> f;
  private final String strictOperation;

  /** A lenient stream: no dataset for a batch when a parent has none. */
  public TransformedDStream(
      StreamingContext ssc, List<? extends DStreamLike<?, ?, ?>> parents, Function2<List<Rdd<?>>, Time, Rdd<U>> f) {
    this(ssc, parents, f, null);
  }

  /**
   * @param strictOperation the operation's name ({@code union}, {@code transform}, ...) when a
   *     parent without a dataset must fail the batch; null for a lenient stream
   */
  public TransformedDStream(
      StreamingContext ssc, List<? extends DStreamLike<?, ?, ?>> parents, Function2<List<Rdd<?>>, Time, Rdd<U>> f,
      String strictOperation) {
    super(ssc);
    if (parents.isEmpty()) {
      throw new IllegalArgumentException("A transformed stream needs at least one parent stream");
    }
    Duration slide = parents.get(0).slideDuration();
    for (DStreamLike<?, ?, ?> parent : parents) {
      if (parent.context() != ssc) {
        throw new IllegalArgumentException(
            "Cannot combine streams of different StreamingContexts: " + parent + " belongs to another one");
      }
      if (!parent.slideDuration().equals(slide)) {
        throw new IllegalArgumentException(
            "Cannot combine streams with different slide durations: " + parents.get(0) + " slides every "
                + slide + " but " + parent + " every " + parent.slideDuration());
      }
    }
    this.parents = List.copyOf(parents);
    this.f = f;
    this.strictOperation = strictOperation;
  }

  @Override
  public Duration slideDuration() {
    return parents.get(0).slideDuration();
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return parents;
  }

  @Override
  public Optional<Rdd<U>> compute(Time validTime) {
    List<Rdd<?>> rdds = new ArrayList<>(parents.size());
    for (DStreamLike<?, ?, ?> parent : parents) {
      Optional<? extends Rdd<?>> rdd = parent.getOrCompute(validTime);
      if (rdd.isEmpty()) {
        if (strictOperation == null) {
          return Optional.empty();
        }
        throw new IllegalStateException(
            "Cannot compute " + strictOperation + " " + this + ": its parent " + parent + " has no dataset for "
                + "batch " + validTime + " (as in Spark, every parent of " + strictOperation + " must have one; "
                + "an input stream should return an empty dataset for a batch without data)");
      }
      rdds.add(rdd.get());
    }
    Rdd<U> result;
    try {
      result = f.call(rdds, validTime);
    } catch (Exception e) {
      throw Sneaky.rethrow(e);
    }
    if (result == null) {
      throw new IllegalStateException(
          "The transform function of " + this + " returned null for batch " + validTime
              + ": return a dataset (rddContext().emptyRdd() for none)");
    }
    return Optional.of(result);
  }
}
