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
 * union, joins, ...): applies a function to the same batch's datasets of its parents. A batch
 * exists when every parent has one.
 */
final class TransformedDStream<U> extends DStream<U> {
  private final List<DStreamLike<?, ?, ?>> parents;
  private final Function2<List<Rdd<?>>, Time, Rdd<U>> f;

  public TransformedDStream(
      StreamingContext ssc, List<? extends DStreamLike<?, ?, ?>> parents, Function2<List<Rdd<?>>, Time, Rdd<U>> f) {
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
        return Optional.empty();
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
