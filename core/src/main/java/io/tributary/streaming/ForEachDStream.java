package io.tributary.streaming;

import io.tributary.function.VoidFunction2;
import io.tributary.rdd.Rdd;
import io.tributary.Duration;
import io.tributary.Time;
import io.tributary.streaming.internal.scheduler.Job;
import java.util.List;
import java.util.Optional;

/** An output operation: for each batch, a job that runs a function on the parent's dataset. */
final class ForEachDStream<T> extends DStream<Void> {
  private final DStreamLike<T, ?, ?> parent;
  private final VoidFunction2<Rdd<T>, Time> f;
  private final String operation;
  private final int outputId;
  private final boolean dependsOnState;

  public ForEachDStream(
      StreamingContext ssc, DStreamLike<T, ?, ?> parent, VoidFunction2<Rdd<T>, Time> f, String operation) {
    super(ssc);
    this.parent = parent;
    this.f = f;
    this.operation = operation;
    this.dependsOnState = dependsOnState(parent);
    this.outputId = ssc.runtime().graph().registerOutput(this);
  }

  @Override
  public Duration slideDuration() {
    return parent.slideDuration();
  }

  @Override
  public List<DStreamLike<?, ?, ?>> dependencies() {
    return List.of(parent);
  }

  @Override
  public Optional<Rdd<Void>> compute(Time validTime) {
    return Optional.empty();
  }

  public int outputId() {
    return outputId;
  }

  /** The job of batch {@code time}, or empty when the parent has no dataset then. */
  public Optional<Job> generateJob(Time time) {
    return parent
        .getOrCompute(time)
        .map(rdd -> new Job(time, outputId, operation, description(), dependsOnState, () -> f.call(rdd, time)));
  }

  /**
   * The job of batch {@code time} whose dataset could not be computed ({@code error}): its first
   * attempt fails with {@code error}, a retry computes the dataset again and runs the output.
   */
  public Job failedJob(Time time, Throwable error) {
    boolean[] first = {true};
    return new Job(time, outputId, operation, description(), dependsOnState, () -> {
      if (first[0]) {
        first[0] = false;
        throw error;
      }
      Optional<Job> job = generateJob(time);
      if (job.isEmpty()) {
        throw new IllegalStateException("The dataset of " + parent + " for batch " + time + " cannot be computed "
            + "again: its inputs no longer hold that batch", error);
      }
      job.get().body().run();
    });
  }

  /** Whether {@code parent} or a stream upstream of it keeps state across batches. */
  private static boolean dependsOnState(DStreamLike<?, ?, ?> parent) {
    java.util.ArrayDeque<DStreamLike<?, ?, ?>> todo = new java.util.ArrayDeque<>(List.of(parent));
    java.util.Set<DStreamLike<?, ?, ?>> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    while (!todo.isEmpty()) {
      DStreamLike<?, ?, ?> stream = todo.pop();
      if (seen.add(stream)) {
        if (stream.isStateful()) {
          return true;
        }
        todo.addAll(stream.dependencies());
      }
    }
    return false;
  }

  private String description() {
    return operation + " of " + parent + (name() == null ? "" : " (" + name() + ")");
  }
}
