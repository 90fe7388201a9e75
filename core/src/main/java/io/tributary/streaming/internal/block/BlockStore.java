package io.tributary.streaming.internal.block;

import io.tributary.StorageLevel;
import io.tributary.internal.serializer.Serializer;
import io.tributary.StreamingConf;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Received blocks in memory, until the batches that read them are no longer remembered. Record
 * blocks at serialized levels are
 * kept as bytes, others as the record objects themselves (no per-record work); text blocks are
 * already compact bytes and are kept as they are at every level.
 *
 * <p>The memory received data holds is bounded ({@code streaming.receiver.maxBufferedBytes}):
 * receivers {@link #reserve} bytes before they take records in (buffered or as a block), a stored
 * block keeps its bytes, settled to its measured size (exact for bytes and text, {@link
 * SizeEstimate sampled} for objects), and {@link #remove} gives them back. A reservation waits
 * while it does not fit, so a source that outpaces the pipeline is slowed down before the heap
 * fills.
 */
public final class BlockStore {
  private static final Logger LOG = LoggerFactory.getLogger(BlockStore.class);
  private static final long WAIT_STEP_MS = 100;

  private final Serializer serializer;
  private final long maxBytes;
  private final ConcurrentHashMap<StreamBlockId, Stored> blocks = new ConcurrentHashMap<>();
  /** Bytes reserved: held by stored blocks, or taken in by receivers and not yet stored. */
  private final AtomicLong reserved = new AtomicLong();
  private final Object room = new Object();
  private volatile int waiting;
  private volatile boolean warned;

  /** A stored block (or, at serialized levels, its bytes) and the bytes it holds reserved. */
  private record Stored(Block block, byte[] serialized, long bytes) {}

  /** A store of blocks that together hold at most about {@code maxBytes} (> 0). */
  public BlockStore(Serializer serializer, long maxBytes) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("The bound of received data must be positive, got " + maxBytes + " bytes");
    }
    this.serializer = serializer;
    this.maxBytes = maxBytes;
  }

  /** {@code streaming.receiver.maxBufferedBytes}, by default a quarter of the heap's maximum. */
  public static long maxBytesOf(StreamingConf conf) {
    String key = "streaming.receiver.maxBufferedBytes";
    long max = conf.getSizeAsBytes(key, Runtime.getRuntime().maxMemory() / 4);
    if (max <= 0) {
      throw new IllegalArgumentException(
          "Configuration key '" + key + "' must be a positive size such as 256m, got '" + conf.get(key) + "'");
    }
    return max;
  }

  /**
   * Reserves {@code bytes} for data a receiver takes in, waiting while they do not fit under the
   * bound (unless nothing is held, so a block larger than the bound still goes through, alone).
   * Waits in steps of 100 ms and fails with an {@link IllegalStateException} once {@code stopped}
   * (the receiver stops). Not interruptible, as the rate limiter; the interrupt status is kept.
   */
  public void reserve(long bytes, BooleanSupplier stopped) {
    if (bytes <= 0) {
      return;
    }
    if (reserved.addAndGet(bytes) <= maxBytes) {
      return;
    }
    reserved.addAndGet(-bytes);
    boolean interrupted = false;
    synchronized (room) {
      waiting++;
      try {
        while (true) {
          long held = reserved.get();
          if (held == 0 || held + bytes <= maxBytes) {
            if (reserved.compareAndSet(held, held + bytes)) {
              break;
            }
            continue;
          }
          if (stopped.getAsBoolean()) {
            throw new IllegalStateException(
                "Cannot store: the receiver was stopped while waiting for room under "
                    + "streaming.receiver.maxBufferedBytes (" + maxBytes + " bytes)");
          }
          if (!warned) {
            warned = true;
            LOG.info("Received data holds {} MB, the bound of streaming.receiver.maxBufferedBytes: receivers "
                + "wait until processed batches free memory (logged once)", held >> 20);
          }
          try {
            room.wait(WAIT_STEP_MS);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      } finally {
        waiting--;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives back {@code bytes} reserved for data that was not stored. */
  public void release(long bytes) {
    if (bytes == 0) {
      return;
    }
    reserved.addAndGet(-bytes);
    if (waiting > 0) {
      synchronized (room) {
        room.notifyAll();
      }
    }
  }

  /**
   * Stores {@code block} (taken over, not copied) at {@code level}, with {@code reservedBytes} of
   * the bound reserved for it, settled now to its measured size (never waiting). Returns that size.
   */
  public long put(StreamBlockId id, Block block, StorageLevel level, long reservedBytes) {
    if (block instanceof RecordBlock records) {
      if (level.serialized()) {
        byte[] serialized = serializer.serialize(records.serializable());
        settle(id, new Stored(null, serialized, serialized.length), reservedBytes);
        return serialized.length;
      }
      long bytes = SizeEstimate.ofRecords(records.values());
      settle(id, new Stored(block, null, bytes), reservedBytes);
      return bytes;
    }
    long bytes = ((TextBlock) block).byteSize(); // compact already: kept as it is at every level
    settle(id, new Stored(block, null, bytes), reservedBytes);
    return bytes;
  }

  /**
   * Stores an already serialized array of records, with {@code reservedBytes} reserved for it;
   * returns the record count. Fails on bytes that are not one. A block that fails to be stored
   * keeps its reservation: the caller gives it back.
   */
  public int putBytes(StreamBlockId id, byte[] bytes, StorageLevel level, long reservedBytes) {
    Object decoded;
    try {
      decoded = serializer.deserialize(bytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Block " + id + " (" + bytes.length + " bytes) is not an array of records written with "
              + "the context's serializer: check the sender's serializer setting", e);
    }
    if (!(decoded instanceof Object[] records)) {
      throw new IllegalArgumentException(
          "Block " + id + " holds a " + (decoded == null ? "null" : decoded.getClass().getName())
              + ", not an array of records: serialize an Object[] of records per block");
    }
    if (level.serialized()) {
      settle(id, new Stored(null, bytes, bytes.length), reservedBytes);
    } else {
      settle(id, new Stored(new RecordBlock(records), null, SizeEstimate.ofRecords(records)), reservedBytes);
    }
    return records.length;
  }

  private void settle(StreamBlockId id, Stored stored, long reservedBytes) {
    reserved.addAndGet(stored.bytes() - reservedBytes);
    Stored previous = blocks.put(id, stored);
    if (previous != null) {
      release(previous.bytes());
    } else if (stored.bytes() < reservedBytes) {
      release(0); // wakes waiters: the measured size freed room
    }
  }

  /** The records of a block, or null when it is not (or no longer) here. */
  public <T> Iterator<T> get(StreamBlockId id) {
    Stored stored = blocks.get(id);
    if (stored == null) {
      return null;
    }
    Block block = stored.serialized() != null ? Block.decode(serializer.deserialize(stored.serialized())) : stored.block();
    return block.records();
  }

  public boolean contains(StreamBlockId id) {
    return blocks.containsKey(id);
  }

  /** Drops the blocks and gives their bytes back to the bound. */
  public void remove(List<StreamBlockId> ids) {
    long freed = 0;
    for (StreamBlockId id : ids) {
      Stored removed = blocks.remove(id);
      if (removed != null) {
        freed += removed.bytes();
      }
    }
    release(freed);
  }

  /** The number of blocks held now. */
  public int size() {
    return blocks.size();
  }

  /** Bytes of received data held now: stored blocks, and what receivers took in and have not stored yet. */
  public long bufferedBytes() {
    return reserved.get();
  }

  /** The bound of {@link #bufferedBytes()}. */
  public long maxBufferedBytes() {
    return maxBytes;
  }
}
