package io.tributary.streaming.internal.receiver;

import io.tributary.StorageLevel;
import io.tributary.internal.serializer.Serializer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Received blocks in memory, until the batches that read them are no longer remembered. A block
 * is an {@code Object[]} of records or a {@link TextBlock}. Record arrays at serialized levels are
 * kept as bytes, others as the record objects themselves (no per-record work); text blocks are
 * already compact bytes and are kept as they are at every level.
 */
public final class BlockStore {
  private final Serializer serializer;
  private final ConcurrentHashMap<StreamBlockId, Object> blocks = new ConcurrentHashMap<>();
  private final AtomicLong bytesStored = new AtomicLong();

  public BlockStore(Serializer serializer) {
    this.serializer = serializer;
  }

  /** The number of records in a block. */
  static int count(Object block) {
    return block instanceof TextBlock text ? text.lines() : ((Object[]) block).length;
  }

  /** The records of a block. */
  @SuppressWarnings("unchecked")
  static <T> Iterator<T> records(Object block) {
    return block instanceof TextBlock text
        ? (Iterator<T>) text.iterator()
        : (Iterator<T>) Arrays.asList((Object[]) block).iterator();
  }

  /** Stores {@code block} (taken over, not copied) at {@code level}. */
  public void put(StreamBlockId id, Object block, StorageLevel level) {
    if (block instanceof TextBlock text) {
      bytesStored.addAndGet(text.byteSize());
      blocks.put(id, text);
    } else if (level.serialized()) {
      byte[] bytes = serializer.serialize(block);
      bytesStored.addAndGet(bytes.length);
      blocks.put(id, bytes);
    } else {
      blocks.put(id, block);
    }
  }

  /** Stores an already serialized array of records; returns the record count. Fails on bytes that are not one. */
  public int putBytes(StreamBlockId id, byte[] bytes, StorageLevel level) {
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
      bytesStored.addAndGet(bytes.length);
      blocks.put(id, bytes);
    } else {
      blocks.put(id, records);
    }
    return records.length;
  }

  /** The records of a block, or null when it is not (or no longer) here. */
  public <T> Iterator<T> get(StreamBlockId id) {
    Object block = blocks.get(id);
    if (block == null) {
      return null;
    }
    return records(block instanceof byte[] bytes ? serializer.deserialize(bytes) : block);
  }

  public boolean contains(StreamBlockId id) {
    return blocks.containsKey(id);
  }

  public void remove(List<StreamBlockId> ids) {
    for (StreamBlockId id : ids) {
      Object removed = blocks.remove(id);
      if (removed instanceof byte[] bytes) {
        bytesStored.addAndGet(-bytes.length);
      } else if (removed instanceof TextBlock text) {
        bytesStored.addAndGet(-text.byteSize());
      }
    }
  }

  /** The number of blocks held now. */
  public int size() {
    return blocks.size();
  }
}
