package io.tributary.streaming;

import io.tributary.streaming.internal.scheduler.Job;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.SortedMap;
import java.io.Serializable;
import io.tributary.streaming.internal.checkpoint.Checkpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The streams of an application: every stream in definition order, its inputs and its outputs. */
final class DStreamGraph {
  private static final Logger LOG = LoggerFactory.getLogger(DStreamGraph.class);

  private final List<DStreamLike<?, ?, ?>> streams = new ArrayList<>();
  private final List<InputDStream<?>> inputs = new ArrayList<>();
  private final List<ForEachDStream<?>> outputs = new ArrayList<>();
  private Duration rememberDuration;
  private Time zeroTime;

  public synchronized int register(DStreamLike<?, ?, ?> stream) {
    streams.add(stream);
    return streams.size() - 1;
  }

  public synchronized int registerInput(InputDStream<?> input) {
    inputs.add(input);
    return inputs.size() - 1;
  }

  public synchronized int registerOutput(ForEachDStream<?> output) {
    outputs.add(output);
    return outputs.size() - 1;
  }

  public synchronized void remember(Duration duration) {
    rememberDuration = duration;
  }

  public synchronized List<DStreamLike<?, ?, ?>> streams() {
    return List.copyOf(streams);
  }

  public synchronized List<InputDStream<?>> inputs() {
    return List.copyOf(inputs);
  }

  public synchronized List<ReceiverInputDStream<?>> receiverInputs() {
    List<ReceiverInputDStream<?>> receivers = new ArrayList<>();
    for (InputDStream<?> input : inputs) {
      if (input instanceof ReceiverInputDStream<?> r) {
        receivers.add(r);
      }
    }
    return receivers;
  }

  public synchronized List<ForEachDStream<?>> outputs() {
    return List.copyOf(outputs);
  }

  /** Checks the graph and prepares every stream for batches after {@code zero}. */
  public synchronized void start(Time zero) {
    if (outputs.isEmpty()) {
      throw new IllegalStateException(
          "No output operations registered, so nothing to execute: add print(), foreachRDD(...) "
              + "or a save operation to a stream before start()");
    }
    zeroTime = zero;
    for (ForEachDStream<?> output : outputs) {
      output.initialize(zero);
    }
    for (ForEachDStream<?> output : outputs) {
      output.remember(rememberDuration);
    }
    for (ForEachDStream<?> output : outputs) {
      output.validateAtStart();
    }
  }

  public synchronized Time zeroTime() {
    return zeroTime;
  }

  /** The jobs of batch {@code time}, one per output with data; a failure becomes a failing job. */
  public List<Job> generateJobs(Time time) {
    List<Job> jobs = new ArrayList<>();
    for (ForEachDStream<?> output : outputs()) {
      try {
        Optional<Job> job = output.generateJob(time);
        job.ifPresent(jobs::add);
      } catch (Throwable t) {
        LOG.error("Error generating the job of output {} for batch {}", output.outputId(), time, t);
        jobs.add(output.failedJob(time, t));
      }
    }
    return jobs;
  }

  /** Drops what no stream needs any more after batch {@code time}. */
  public void clearMetadata(Time time, boolean unpersist) {
    for (ForEachDStream<?> output : outputs()) {
      output.clearMetadata(time, unpersist);
    }
  }

  /** Every stream's checkpoint data, by checkpoint key (stateful streams even when empty). */
  public Map<String, Checkpoint.StreamData> checkpointData() {
    Map<String, Checkpoint.StreamData> data = new LinkedHashMap<>();
    for (DStreamLike<?, ?, ?> stream : streams()) {
      SortedMap<Long, Serializable> entries = stream.checkpointData();
      if (!entries.isEmpty() || stream.isStateful()) {
        data.put(stream.checkpointKey(), new Checkpoint.StreamData(kind(stream), stream.isStateful(), entries));
      }
    }
    return data;
  }

  /**
   * Gives each stream its data from {@code checkpoint}. Fails naming the stream when a stateful
   * stream of the checkpoint is missing from this graph, or is now of another kind.
   */
  public void restore(Checkpoint checkpoint) {
    Map<String, DStreamLike<?, ?, ?>> byKey = new HashMap<>();
    for (DStreamLike<?, ?, ?> stream : streams()) {
      DStreamLike<?, ?, ?> twin = byKey.put(stream.checkpointKey(), stream);
      if (twin != null) {
        throw new IllegalStateException(
            "Two streams are named '" + stream.checkpointKey() + "' (" + twin + " and " + stream
                + "): checkpoint keys must be unique, give them different names");
      }
    }
    for (Map.Entry<String, Checkpoint.StreamData> e : checkpoint.streams().entrySet()) {
      DStreamLike<?, ?, ?> stream = byKey.get(e.getKey());
      Checkpoint.StreamData data = e.getValue();
      if (stream == null || !kind(stream).equals(data.kind())) {
        if (!data.stateful()) {
          LOG.warn("Checkpointed progress of stream '{}' ({}) is not used: the application no longer has it",
              e.getKey(), data.kind());
          continue;
        }
        throw new IllegalStateException(
            "The checkpoint holds state of stream '" + e.getKey() + "' (" + data.kind() + "), but the "
                + "application " + (stream == null ? "has no stream with that key"
                    : "defines it as " + kind(stream) + " now")
                + ". Restore the stream as it was (name stateful streams with .name(...) so adding "
                + "other streams does not move them), or delete the checkpoint directory to start afresh");
      }
      stream.restoreCheckpointData(data.entries());
    }
  }

  private static String kind(DStreamLike<?, ?, ?> stream) {
    return stream.checkpointKind();
  }

  /** The longest remember duration of any stream: older batch data is no longer needed. */
  public synchronized Duration maxRememberDuration() {
    Duration max = new Duration(0);
    for (DStreamLike<?, ?, ?> stream : streams) {
      if (stream.rememberDuration() != null) {
        max = max.max(stream.rememberDuration());
      }
    }
    return max;
  }
}
