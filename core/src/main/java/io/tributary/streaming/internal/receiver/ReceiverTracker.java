package io.tributary.streaming.internal.receiver;

import io.tributary.streaming.ReceiverInputDStream;
import io.tributary.streaming.Time;
import io.tributary.streaming.internal.StreamingRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Iterator;
import java.io.Serializable;
import io.tributary.internal.serializer.JavaSerializer;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a supervisor per receiver, collects the blocks they store, assigns all blocks received
 * so far to a batch at its batch time, and forgets (and frees) them once the batch is no longer
 * remembered.
 *
 * <p>With the write-ahead log on ({@code streaming.receiver.writeAheadLog.enable}), each receiver
 * logs its blocks under {@code <checkpoint>/receivedData/<stream>}, and this tracker logs every
 * block added, batch allocated and cleanup under {@code <checkpoint>/receivedBlockMetadata}, each
 * before it takes effect. Recovery replays that log: blocks received but not yet in a batch go
 * to the next batch, and the batches pending at the crash get the same blocks again, read back
 * from the receivers' logs.
 */
public final class ReceiverTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ReceiverTracker.class);

  /** What the tracker's own log records. */
  private sealed interface Event extends Serializable {}

  private record BlockAdded(ReceivedBlockInfo block) implements Event {}

  private record BatchAllocated(long time, Map<Integer, List<ReceivedBlockInfo>> blocks) implements Event {}

  private record BatchCleanup(long threshold) implements Event {}

  private final StreamingRuntime runtime;
  private static final JavaSerializer JAVA = new JavaSerializer();
  private FileWriteAheadLog metadataLog;
  private final List<ReceiverSupervisor<?>> supervisors = new ArrayList<>();
  private final Map<Integer, List<ReceivedBlockInfo>> unallocated = new HashMap<>();
  private final TreeMap<Time, Map<Integer, List<ReceivedBlockInfo>>> allocated = new TreeMap<>();
  private Time lastAllocated;

  public ReceiverTracker(StreamingRuntime runtime) {
    this.runtime = runtime;
  }

  /** Whether received data goes through the write-ahead log. */
  public boolean writeAheadLogEnabled() {
    return runtime.conf().getBoolean("streaming.receiver.writeAheadLog.enable", false);
  }

  /** Opens the write-ahead log of receiver {@code streamId}, or returns null when the log is off. */
  FileWriteAheadLog receiverLog(int streamId) {
    return writeAheadLogEnabled() ? openLog("receivedData/" + streamId) : null;
  }

  private FileWriteAheadLog openLog(String subdirectory) {
    return new FileWriteAheadLog(
        runtime.rddContext().fileSystemSettings(),
        runtime.checkpointDirectory() + "/" + subdirectory,
        runtime.conf().getDuration("streaming.receiver.writeAheadLog.rollingInterval",
            new io.tributary.streaming.Duration(60_000)).milliseconds(),
        runtime.conf().getBoolean("streaming.receiver.writeAheadLog.fsync", false));
  }

  public void start() {
    if (writeAheadLogEnabled()) {
      if (runtime.checkpointDirectory() == null) {
        throw new IllegalStateException(
            "streaming.receiver.writeAheadLog.enable is true but no checkpoint directory is set: the "
                + "log lives there, call ssc.checkpoint(directory) before start()");
      }
      String metadataDir = runtime.checkpointDirectory() + "/receivedBlockMetadata";
      if (runtime.isRecovering()) {
        replay(metadataDir);
      } else {
        FileWriteAheadLog.deleteAll(runtime.rddContext().fileSystemSettings(), metadataDir);
      }
      metadataLog = openLog("receivedBlockMetadata");
    }
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
    try {
      stopReceivers(graceful);
    } finally {
      if (metadataLog != null) {
        metadataLog.close();
      }
    }
  }

  private void stopReceivers(boolean graceful) {
    for (ReceiverSupervisor<?> supervisor : supervisors()) {
      supervisor.stopFromContext(graceful);
    }
  }

  void addBlock(ReceivedBlockInfo block) {
    log(new BlockAdded(block));
    synchronized (this) {
      unallocated.computeIfAbsent(block.streamId(), id -> new ArrayList<>()).add(block);
    }
  }

  /**
   * Assigns every block received so far to batch {@code time} (once per time). Receivers first
   * cut what they buffered into blocks (waiting at most one batch interval for them to be stored),
   * so a record waits for the next batch, not for the next block interval and then the batch.
   */
  public void allocateBlocksToBatch(Time time) {
    if (allocated(time)) {
      return;
    }
    long deadline = System.nanoTime() + runtime.batchDuration().milliseconds() * 1_000_000L;
    for (ReceiverSupervisor<?> supervisor : supervisors()) {
      supervisor.flush(deadline);
    }
    allocate(time);
  }

  private synchronized List<ReceiverSupervisor<?>> supervisors() {
    return new ArrayList<>(supervisors);
  }

  private synchronized boolean allocated(Time time) {
    return lastAllocated != null && !time.greater(lastAllocated);
  }

  private synchronized void allocate(Time time) {
    if (allocated(time)) { // by a caller that got here first
      return;
    }
    Map<Integer, List<ReceivedBlockInfo>> batch = new HashMap<>();
    for (Map.Entry<Integer, List<ReceivedBlockInfo>> e : unallocated.entrySet()) {
      if (!e.getValue().isEmpty()) {
        batch.put(e.getKey(), List.copyOf(e.getValue()));
        e.getValue().clear();
      }
    }
    log(new BatchAllocated(time.milliseconds(), batch));
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
    log(new BatchCleanup(threshold.milliseconds()));
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
    if (metadataLog != null) {
      metadataLog.clean(threshold.milliseconds());
      supervisors().forEach(supervisor -> supervisor.cleanLog(threshold.milliseconds()));
    }
  }

  private void log(Event event) {
    if (metadataLog != null) {
      metadataLog.write(JAVA.serialize(event), runtime.clock().getTimeMillis());
    }
  }

  /** Rebuilds blocks and allocations from the tracker's log, as they were at the crash. */
  private synchronized void replay(String directory) {
    int events = 0;
    for (Iterator<byte[]> it = FileWriteAheadLog.readAll(runtime.rddContext().fileSystemSettings(), directory);
        it.hasNext(); events++) {
      Event event = JAVA.deserialize(it.next());
      if (event instanceof BlockAdded added) {
        unallocated.computeIfAbsent(added.block().streamId(), id -> new ArrayList<>()).add(added.block());
      } else if (event instanceof BatchAllocated batch) {
        Time time = new Time(batch.time());
        for (Map.Entry<Integer, List<ReceivedBlockInfo>> e : batch.blocks().entrySet()) {
          List<ReceivedBlockInfo> waiting = unallocated.get(e.getKey());
          if (waiting != null) {
            waiting.removeAll(e.getValue());
          }
        }
        allocated.put(time, batch.blocks());
        if (lastAllocated == null || time.greater(lastAllocated)) {
          lastAllocated = time;
        }
      } else if (event instanceof BatchCleanup cleanup) {
        allocated.headMap(new Time(cleanup.threshold()), false).clear();
      }
    }
    long waiting = unallocated.values().stream().mapToLong(List::size).sum();
    LOG.info("Replayed {} event(s) of the received-block log: {} batch(es) allocated, {} block(s) waiting "
        + "for a batch; their data is read back from the write-ahead log", events, allocated.size(), waiting);
  }

  /** Batches whose block assignments are still kept. */
  public synchronized int allocatedBatchCount() {
    return allocated.size();
  }
}
