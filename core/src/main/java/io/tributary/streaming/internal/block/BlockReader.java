package io.tributary.streaming.internal.block;

import io.tributary.internal.serializer.SerializerSpec;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.rdd.SplitReader;
import io.tributary.streaming.internal.wal.FileWriteAheadLog;
import io.tributary.streaming.internal.wal.UnreadableRecordException;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The received blocks of one batch of one input stream, one partition per block: a source dataset
 * whose splits are the blocks. After a recovery a block is read back from the write-ahead log; a
 * block whose logged copy is damaged or gone is reported and left out, and the rest of the batch
 * goes on.
 */
public final class BlockReader<T> implements SplitReader<ReceivedBlockInfo, T> {
  private static final Logger LOG = LoggerFactory.getLogger(BlockReader.class);

  private final BlockStore store;
  private final java.util.Map<String, String> fileSystemSettings;
  private final SerializerSpec serializer;

  private BlockReader(RddContext context, BlockStore store) {
    this.store = store;
    this.fileSystemSettings = context.fileSystemSettings();
    this.serializer = SerializerSpec.of(context.conf().getAll());
  }

  /** The dataset of {@code blocks}, read from {@code store} (or the write-ahead log after a recovery). */
  public static <T> Rdd<T> of(RddContext context, BlockStore store, List<ReceivedBlockInfo> blocks) {
    return context.fromSplits(blocks, new BlockReader<T>(context, store));
  }

  @Override
  public Iterator<T> read(ReceivedBlockInfo block) {
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
    return Block.decode(serializer.get().deserialize(bytes)).records();
  }
}
