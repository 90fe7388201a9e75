package io.tributary;

/**
 * How received blocks and persisted datasets are kept.
 *
 * <p>{@code MEMORY_ONLY} keeps objects as they are (no serialization on the hot path).
 * {@code *_SER} levels keep each block or partition as bytes written by the configured serializer
 * (Kryo by default): smaller, but every record is serialized once and read back on use.
 * {@code MEMORY_AND_DISK*} levels are accepted and currently keep data in memory exactly like
 * their memory-only twins: spilling to disk under memory pressure is not implemented yet, so size
 * the heap for what the remember duration keeps. The {@code _2} variants are accepted so ported code compiles; on one machine there
 * is nowhere to put a second copy, so they keep one copy, exactly like the level without {@code
 * _2}. Durability against a crash comes from the write-ahead log, not from replication.
 */
public enum StorageLevel {
  NONE(false, false, false),
  MEMORY_ONLY(true, false, false),
  MEMORY_ONLY_2(true, false, false),
  MEMORY_ONLY_SER(true, false, true),
  MEMORY_ONLY_SER_2(true, false, true),
  MEMORY_AND_DISK(true, true, false),
  MEMORY_AND_DISK_2(true, true, false),
  MEMORY_AND_DISK_SER(true, true, true),
  MEMORY_AND_DISK_SER_2(true, true, true);

  private final boolean useMemory;
  private final boolean useDisk;
  private final boolean serialized;

  StorageLevel(boolean useMemory, boolean useDisk, boolean serialized) {
    this.useMemory = useMemory;
    this.useDisk = useDisk;
    this.serialized = serialized;
  }

  public boolean useMemory() {
    return useMemory;
  }

  public boolean useDisk() {
    return useDisk;
  }

  /** Whether data at this level is kept as serialized bytes rather than as objects. */
  public boolean serialized() {
    return serialized;
  }

  /** Always 1 here: see the class comment on {@code _2} levels. */
  public int replication() {
    return 1;
  }
}
