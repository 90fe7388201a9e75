package io.tributary.streaming.internal.scheduler;

import io.tributary.Time;
import io.tributary.internal.serializer.JavaSerializer;
import io.tributary.streaming.internal.block.ReceivedBlockInfo;
import io.tributary.streaming.internal.block.StreamBlockId;
import io.tributary.streaming.internal.receiver.ReceiverEnvironment;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batch allocation: collects the blocks receivers stored, assigns all blocks received so far to a
 * batch at its batch time, and forgets them once the batch is no longer remembered.
 *
 * <p>With the write-ahead log on ({@code streaming.receiver.writeAheadLog.enable}) this tracker logs
 * every block added, batch allocated and cleanup under {@code <checkpoint>/receivedBlockMetadata},
 * each before it takes effect. Recovery replays that log: blocks received but not yet in a batch go
 * to the next batch, and the batches pending at the crash get the same blocks again, read back
 * from the receivers' logs.
 */
public final class ReceivedBlockTracker {
  private static final Logger LOG = LoggerFactory.getLogger(ReceivedBlockTracker.class);
  private static final JavaSerializer JAVA = new JavaSerializer();

  /** What the tracker's own log records. */
  private sealed interface Event extends Serializable {}

  private record BlockAdded(ReceivedBlockInfo block) implements Event {}

  private record BatchAllocated(long time, Map<Integer, List<ReceivedBlockInfo>> blocks) implements Event {}

  private record BatchCleanup(long threshold) implements Event {}

  private final ReceiverEnvironment env;
  private FileWriteAheadLog metadataLog;
  private final Map<Integer, List<ReceivedBlockInfo>> unallocated = new HashMap<>();
  private final TreeMap<Time, Map<Integer, List<ReceivedBlockInfo>>> allocated = new TreeMap<>();
  private Time lastAllocated;

  public ReceivedBlockTracker(ReceiverEnvironment env) {
    this.env = env;
  }

  /** Opens (or, on recovery, first replays) the allocation log when the write-ahead log is on. */
  public void start() {
    if (env.writeAheadLogEnabled()) {
      if (env.checkpointDirectory().get() == null) {
        throw new IllegalStateException(
            "streaming.receiver.writeAheadLog.enable is true but no checkpoint directory is set: the "
                + "log lives there, call ssc.checkpoint(directory) before start()");
      }
      String metadataDir = env.checkpointDirectory().get() + "/receivedBlockMetadata";
      if (env.recovering().getAsBoolean()) {
        replay(metadataDir);
      } else {
        FileWriteAheadLog.deleteAll(env.fileSystemSettings(), metadataDir);
      }
      metadataLog = env.openLog("receivedBlockMetadata");
    }
  }

  public void stop() {
    if (metadataLog != null) {
      metadataLog.close();
    }
  }

  /** A receiver stored {@code block}: it joins the next batch. */
  public void addBlock(ReceivedBlockInfo block) {
    log(new BlockAdded(block));
    synchronized (this) {
      unallocated.computeIfAbsent(block.streamId(), id -> new ArrayList<>()).add(block);
    }
  }

  /** Assigns every block received so far to batch {@code time}, once per time. */
  public synchronized void allocate(Time time) {
    if (isAllocated(time)) {
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

  /** True once batch {@code time} (or a later one) has its blocks. */
  public synchronized boolean isAllocated(Time time) {
    return lastAllocated != null && !time.greater(lastAllocated);
  }

  /** The blocks of stream {@code streamId} assigned to batch {@code time}. */
  public synchronized List<ReceivedBlockInfo> blocksOfBatch(Time time, int streamId) {
    Map<Integer, List<ReceivedBlockInfo>> batch = allocated.get(time);
    return batch == null ? List.of() : batch.getOrDefault(streamId, List.of());
  }

  public synchronized boolean hasUnallocatedBlocks() {
    return unallocated.values().stream().anyMatch(list -> !list.isEmpty());
  }

  /** Forgets the batches before {@code threshold}; returns the ids of their blocks, now free. */
  public List<StreamBlockId> cleanupOldBatches(Time threshold) {
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
    if (metadataLog != null) {
      metadataLog.clean(threshold.milliseconds());
    }
    return ids;
  }

  /** Batches whose block assignments are still kept. */
  public synchronized int allocatedBatchCount() {
    return allocated.size();
  }

  private void log(Event event) {
    if (metadataLog != null) {
      metadataLog.write(JAVA.serialize(event), env.clock().getTimeMillis());
    }
  }

  /** Rebuilds blocks and allocations from the tracker's log, as they were at the crash. */
  private synchronized void replay(String directory) {
    int events = 0;
    for (Iterator<byte[]> it = FileWriteAheadLog.readAll(env.fileSystemSettings(), directory);
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
}
