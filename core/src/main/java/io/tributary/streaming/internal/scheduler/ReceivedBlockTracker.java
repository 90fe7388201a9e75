package io.tributary.streaming.internal.scheduler;

import io.tributary.Time;
import io.tributary.internal.serializer.JavaSerializer;
import io.tributary.streaming.internal.block.ReceivedBlockInfo;
import io.tributary.streaming.internal.block.StreamBlockId;
import io.tributary.streaming.internal.receiver.ReceiverEnvironment;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.fs.FileStatus;
import io.tributary.fs.FileSystem;
import io.tributary.fs.FileSystems;
import io.tributary.streaming.internal.block.Block;
import io.tributary.streaming.internal.wal.WalHandle;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
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
    FileWriteAheadLog.Contents log = FileWriteAheadLog.contents(env.fileSystemSettings(), directory);
    Set<String> referenced = new HashSet<>(); // every data record a replayed event names
    for (byte[] record : log.records()) {
      Event event = JAVA.deserialize(record);
      if (event instanceof BlockAdded added) {
        unallocated.computeIfAbsent(added.block().streamId(), id -> new ArrayList<>()).add(added.block());
        referenced.add(where(added.block()));
      } else if (event instanceof BatchAllocated batch) {
        Time time = new Time(batch.time());
        for (Map.Entry<Integer, List<ReceivedBlockInfo>> e : batch.blocks().entrySet()) {
          List<ReceivedBlockInfo> waiting = unallocated.get(e.getKey());
          if (waiting != null) {
            waiting.removeAll(e.getValue());
          }
          e.getValue().forEach(block -> referenced.add(where(block)));
        }
        allocated.put(time, batch.blocks());
        if (lastAllocated == null || time.greater(lastAllocated)) {
          lastAllocated = time;
        }
      } else if (event instanceof BatchCleanup cleanup) {
        allocated.headMap(new Time(cleanup.threshold()), false).clear();
      }
    }
    if (log.damagedBytes() > 0) {
      recoverUnnamedBlocks(referenced);
    }
    long waiting = unallocated.values().stream().mapToLong(List::size).sum();
    LOG.info("Replayed {} event(s) of the received-block log: {} batch(es) allocated, {} block(s) waiting "
        + "for a batch; their data is read back from the write-ahead log", log.records().size(),
        allocated.size(), waiting);
  }

  /**
   * After damage in the tracker's own log: finds the blocks the receivers' logs hold that no intact
   * event names (their "block added" event was in the damaged bytes) and gives them to the next
   * batch, so the damage costs those events, not the blocks. Their receiver metadata was in the
   * lost event and stays lost. Every block whose batch was cleaned up has its allocation event in
   * the log as long as its data is (both logs roll and are cleaned on the same times), so a block
   * found this way was not processed before, unless the damage also took its batch's allocation:
   * then it is processed again (at least once), never lost.
   */
  private void recoverUnnamedBlocks(Set<String> referenced) {
    String dataDir = env.checkpointDirectory().get() + "/receivedData";
    FileSystem fs = FileSystems.forPath(dataDir, env.fileSystemSettings());
    List<FileStatus> streams;
    try {
      streams = fs.exists(dataDir) ? fs.list(dataDir) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the receivers' write-ahead logs in " + dataDir, e);
    }
    long recovered = 0;
    for (FileStatus stream : streams) {
      if (stream.isFile() || !stream.name().matches("\\d{1,9}")) {
        continue;
      }
      int streamId = Integer.parseInt(stream.name());
      List<WalHandle> logged = FileWriteAheadLog.handles(env.fileSystemSettings(), stream.path());
      Map<String, Integer> position = new HashMap<>();
      for (WalHandle handle : logged) {
        String place = where(handle);
        position.put(place, position.size());
        if (referenced.contains(place)) {
          continue;
        }
        int records = Block.decode(env.serializer().deserialize(FileWriteAheadLog.read(env.fileSystemSettings(), handle))).count();
        ReceivedBlockInfo block = new ReceivedBlockInfo(
            streamId, new StreamBlockId(streamId, -1 - recovered++), records, null, handle);
        unallocated.computeIfAbsent(streamId, id -> new ArrayList<>()).add(block);
        LOG.warn("Recovered block {} of input stream {} ({} record(s)) from {} at offset {}: the received-block "
            + "log's record of it was damaged. It goes to the next batch; the receiver's metadata for it is "
            + "lost", block.blockId(), streamId, records, handle.segment(), handle.offset());
      }
      List<ReceivedBlockInfo> waiting = unallocated.get(streamId);
      if (waiting != null) { // in the order they were received
        waiting.sort(Comparator.comparingInt(block -> position.getOrDefault(where(block), Integer.MAX_VALUE)));
      }
    }
  }

  /** A data record's place, by segment file name and offset (the directory may be named differently). */
  private static String where(ReceivedBlockInfo block) {
    return block.walHandle() == null ? "" : where(block.walHandle());
  }

  private static String where(WalHandle handle) {
    String segment = handle.segment();
    return segment.substring(segment.lastIndexOf('/') + 1) + "@" + handle.offset();
  }
}
