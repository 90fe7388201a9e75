package io.tributary;

/**
 * Spark's Java constants class {@code org.apache.spark.api.java.StorageLevels}, for ported code:
 * each constant is the {@link StorageLevel} of the same name (the same object), and {@link
 * #create} picks a level from Spark's flags. See {@link StorageLevel} for what each level keeps.
 */
public final class StorageLevels {
  public static final StorageLevel NONE = StorageLevel.NONE;
  public static final StorageLevel MEMORY_ONLY = StorageLevel.MEMORY_ONLY;
  public static final StorageLevel MEMORY_ONLY_2 = StorageLevel.MEMORY_ONLY_2;
  public static final StorageLevel MEMORY_ONLY_SER = StorageLevel.MEMORY_ONLY_SER;
  public static final StorageLevel MEMORY_ONLY_SER_2 = StorageLevel.MEMORY_ONLY_SER_2;
  public static final StorageLevel MEMORY_AND_DISK = StorageLevel.MEMORY_AND_DISK;
  public static final StorageLevel MEMORY_AND_DISK_2 = StorageLevel.MEMORY_AND_DISK_2;
  public static final StorageLevel MEMORY_AND_DISK_SER = StorageLevel.MEMORY_AND_DISK_SER;
  public static final StorageLevel MEMORY_AND_DISK_SER_2 = StorageLevel.MEMORY_AND_DISK_SER_2;

  private StorageLevels() {}

  /**
   * The level with Spark's flags, as {@code StorageLevels.create} takes them. Levels that keep
   * nothing in memory ({@code DISK_ONLY}) and off-heap levels do not exist here.
   *
   * @param replication 1 or 2 (a {@code _2} level)
   * @throws IllegalArgumentException for disk only, off-heap, or another replication, naming the
   *     level to use instead
   */
  public static StorageLevel create(
      boolean useDisk, boolean useMemory, boolean useOffHeap, boolean deserialized, int replication) {
    if (useOffHeap) {
      throw new IllegalArgumentException(
          "Off-heap storage levels do not exist here: use MEMORY_ONLY_SER (serialized, in memory)");
    }
    if (!useMemory) {
      if (!useDisk) {
        return NONE;
      }
      throw new IllegalArgumentException(
          "A disk only storage level (useMemory=false) does not exist here: use MEMORY_AND_DISK_SER");
    }
    if (replication != 1 && replication != 2) {
      throw new IllegalArgumentException("Replication must be 1 or 2, got " + replication);
    }
    boolean two = replication == 2;
    if (useDisk) {
      return deserialized
          ? (two ? MEMORY_AND_DISK_2 : MEMORY_AND_DISK)
          : (two ? MEMORY_AND_DISK_SER_2 : MEMORY_AND_DISK_SER);
    }
    return deserialized ? (two ? MEMORY_ONLY_2 : MEMORY_ONLY) : (two ? MEMORY_ONLY_SER_2 : MEMORY_ONLY_SER);
  }
}
