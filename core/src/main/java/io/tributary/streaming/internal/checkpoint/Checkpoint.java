package io.tributary.streaming.internal.checkpoint;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * What a metadata checkpoint holds: enough to rebuild a running application from its code. The
 * stream graph itself is not stored: the application's factory rebuilds it, and each stream's
 * progress and state are restored by the stream's stable key.
 *
 * @param checkpointTime the latest batch time generated when the checkpoint was taken
 * @param zeroTime the time before the first batch (batch times are zeroTime + k * batch)
 * @param batchMillis the batch duration
 * @param conf the configuration of the application
 * @param pendingTimes batch times generated but not completed: they run again on recovery
 * @param streams per stream key, what the stream needs to resume
 */
public record Checkpoint(
    long checkpointTime,
    long zeroTime,
    long batchMillis,
    Map<String, String> conf,
    List<Long> pendingTimes,
    Map<String, StreamData> streams) {

  /**
   * One stream's checkpointed progress.
   *
   * @param kind the stream's kind (class name), to detect a stream retyped between versions
   * @param stateful whether the stream keeps state across batches (it must then still exist)
   * @param entries per batch time, the stream's serializable data (e.g. checkpoint files, file lists)
   */
  public record StreamData(String kind, boolean stateful, SortedMap<Long, Serializable> entries) {}

  /** A dataset written by a data checkpoint: its directory, partition count and partitioner. */
  public record CheckpointedRdd(String directory, int partitions, io.tributary.Partitioner partitioner)
      implements Serializable {}
}
