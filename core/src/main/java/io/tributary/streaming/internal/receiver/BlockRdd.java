package io.tributary.streaming.internal.receiver;

import io.tributary.TaskContext;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import java.util.Iterator;
import io.tributary.internal.serializer.SerializerSpec;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.internal.wal.UnreadableRecordException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The received blocks of one batch of one input stream, one partition per block. After a recovery
 * a block is read back from the write-ahead log; a block whose logged copy is damaged or gone is
 * reported and left out, and the rest of the batch goes on.
 */
public final class BlockRdd<T> extends Rdd<T> {
  private static final Logger LOG = LoggerFactory.getLogger(BlockRdd.class);

  private final BlockStore store;
  private final List<ReceivedBlockInfo> blocks;
  private final java.util.Map<String, String> fileSystemSettings;
  private final SerializerSpec serializer;

  public BlockRdd(RddContext context, BlockStore store, List<ReceivedBlockInfo> blocks) {
    super(context);
    this.store = store;
    this.blocks = List.copyOf(blocks);
    this.fileSystemSettings = context.fileSystemSettings();
    this.serializer = SerializerSpec.of(context.conf());
  }

  public List<ReceivedBlockInfo> blocks() {
    return blocks;
  }

  @Override
  protected int getNumPartitions() {
    return blocks.size();
  }

  @Override
  protected List<Dependency> getDependencies() {
    return List.of();
  }

  @Override
  public Iterator<T> compute(int partition, TaskContext task) {
    ReceivedBlockInfo block = blocks.get(partition);
    StreamBlockId id = block.blockId();
    Iterator<T> records = store.get(id);
    if (records == null && block.walHandle() != null) { // after a recovery: read the logged copy
      return readLogged(block);
    }
    if (records == null) {
      throw new IllegalStateException(
          "Block " + id + " is no longer available: it was removed after its batch left the "
              + "remember duration. Use ssc.remember(...) to keep received data longer");
    }
    return records;
  }

  private Iterator<T> readLogged(ReceivedBlockInfo block) {
    byte[] bytes;
    try {
      bytes = FileWriteAheadLog.read(fileSystemSettings, block.walHandle());
    } catch (UnreadableRecordException e) {
      LOG.warn("Block {} of input stream {} ({} record(s)) is lost: {}. The batch goes on without it. "
          + "Check the storage of the checkpoint directory, and replay those records from the source "
          + "if it can", block.blockId(), block.streamId(), block.numRecords(), e.getMessage());
      return java.util.Collections.emptyIterator();
    }
    return BlockStore.records(serializer.get().deserialize(bytes));
  }
}
