package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.Time;
import io.tributary.streaming.internal.StreamingRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Starts a supervisor per receiver, collects the blocks they store, assigns all blocks received
 * so far to a batch at its batch time, and forgets (and frees) them once the batch is no longer
 * remembered.
 */
public final class ReceiverTracker {
  private final StreamingRuntime runtime;
  private final List<ReceiverSupervisor<?>> supervisors = new ArrayList<>();
  private final Map<Integer, List<ReceivedBlockInfo>> unallocated = new HashMap<>();
  private final TreeMap<Time, Map<Integer, List<ReceivedBlockInfo>>> allocated = new TreeMap<>();
  private Time lastAllocated;

  public ReceiverTracker(StreamingRuntime runtime) {
    this.runtime = runtime;
  }

  public void start() {
    for (ReceiverInputDStream<?> input : runtime.graph().receiverInputs()) {
      ReceiverSupervisor<?> supervisor = new ReceiverSupervisor<>(input.getReceiver(), input.inputId(), runtime, this);
      synchronized (this) {
        supervisors.add(supervisor);
      }
      supervisor.start();
    }
  }

  /** Stops every receiver; their buffered records are still made into blocks. */
  public void stop(boolean graceful) {
    List<ReceiverSupervisor<?>> all;
    synchronized (this) {
      all = new ArrayList<>(supervisors);
    }
    for (ReceiverSupervisor<?> supervisor : all) {
      supervisor.stopFromContext(graceful);
    }
  }

  synchronized void addBlock(ReceivedBlockInfo block) {
    unallocated.computeIfAbsent(block.streamId(), id -> new ArrayList<>()).add(block);
  }

  /** Assigns every block received so far to batch {@code time} (once per time). */
  public synchronized void allocateBlocksToBatch(Time time) {
    if (lastAllocated != null && !time.greater(lastAllocated)) {
      return;
    }
    Map<Integer, List<ReceivedBlockInfo>> batch = new HashMap<>();
    for (Map.Entry<Integer, List<ReceivedBlockInfo>> e : unallocated.entrySet()) {
      if (!e.getValue().isEmpty()) {
        batch.put(e.getKey(), List.copyOf(e.getValue()));
        e.getValue().clear();
      }
    }
    allocated.put(time, batch);
    lastAllocated = time;
  }

  /** The blocks of stream {@code streamId} assigned to batch {@code time}. */
  public synchronized List<ReceivedBlockInfo> blocksOfBatch(Time time, int streamId) {
    Map<Integer, List<ReceivedBlockInfo>> batch = allocated.get(time);
    return batch == null ? List.of() : batch.getOrDefault(streamId, List.of());
  }

  public synchronized boolean hasUnallocatedBlocks() {
    return unallocated.values().stream().anyMatch(list -> !list.isEmpty());
  }

  /** Frees the blocks of batches before {@code threshold}. */
  public void cleanupOldBatches(Time threshold) {
    List<StreamBlockId> ids = new ArrayList<>();
    synchronized (this) {
      Map<Time, Map<Integer, List<ReceivedBlockInfo>>> old = allocated.headMap(threshold, false);
      for (Map<Integer, List<ReceivedBlockInfo>> batch : old.values()) {
        for (List<ReceivedBlockInfo> blocks : batch.values()) {
          for (ReceivedBlockInfo block : blocks) {
            ids.add(block.blockId());
          }
        }
      }
      old.clear();
    }
    runtime.blockStore().remove(ids);
  }

  /** Batches whose block assignments are still kept. */
  public synchronized int allocatedBatchCount() {
    return allocated.size();
  }
}
