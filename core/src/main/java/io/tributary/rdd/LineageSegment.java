package io.tributary.rdd;

import io.tributary.TaskContext;
import io.tributary.Tuple2;
import io.tributary.internal.Checks;
import io.tributary.internal.serializer.Serializer;
import io.tributary.internal.serializer.SerializerSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * SPI for engines that run tasks in other JVMs ({@link LineageEngine}): the part of a dataset's
 * lineage that one task computes, as data that travels. A segment starts at a dataset and goes
 * down its {@link Dependency.OneToOne} and {@link Dependency.Narrow} edges; it stops at every
 * {@link Dependency.Shuffle} edge (the task reads the shuffle) and at every dataset the engine
 * chooses to serve itself (e.g. a persisted one, from the engine's own store). The engine maps
 * each segment to a task of its own and gives the task the {@link Inputs} it stopped at.
 *
 * <p>On the driver, {@link #of} cuts the segment and says what it reads ({@link #servedInputs()},
 * {@link #shuffles()}); in a task, {@link #compute} computes one partition. The lineage travels
 * with Java serialization, user functions as they are (they are {@code Serializable}); shuffle
 * buckets and results travel with the context's serializer ({@code serializer}: Kryo by default).
 */
public final class LineageSegment implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] lineage;
  private final int rddId;
  private final int partitions;
  private final String description;
  private final transient List<Rdd<?>> servedInputs;
  private final transient List<Dependency.Shuffle> shuffles;

  private LineageSegment(byte[] lineage, Rdd<?> root, List<Rdd<?>> servedInputs, List<Dependency.Shuffle> shuffles) {
    this.lineage = lineage;
    this.rddId = root.id();
    this.partitions = root.numPartitions();
    this.description = root.toString();
    this.servedInputs = servedInputs;
    this.shuffles = shuffles;
  }

  /**
   * The segment of {@code root}: its lineage down to the shuffles and to the datasets for which
   * {@code served} is true (never {@code root} itself, which the segment always computes).
   *
   * @throws IllegalArgumentException naming the class when a function or a value it captures is
   *     not serializable
   */
  public static LineageSegment of(Rdd<?> root, Predicate<Rdd<?>> served) {
    Checks.notNull(root, "dataset");
    Checks.notNull(served, "served");
    Set<Rdd<?>> computed = Collections.newSetFromMap(new IdentityHashMap<>());
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Rdd<?>> inputs = new ArrayList<>();
    List<Dependency.Shuffle> shuffles = new ArrayList<>();
    List<Rdd<?>> todo = new ArrayList<>(List.of(root));
    computed.add(root);
    while (!todo.isEmpty()) {
      Rdd<?> rdd = todo.remove(todo.size() - 1);
      for (Dependency dep : rdd.dependencies()) {
        if (dep instanceof Dependency.Shuffle shuffle) {
          if (seen.add(shuffle)) {
            shuffles.add(shuffle);
          }
        } else if (served.test(dep.parent())) {
          if (seen.add(dep.parent())) {
            inputs.add(dep.parent());
          }
        } else if (computed.add(dep.parent())) {
          todo.add(dep.parent());
        }
      }
    }
    byte[] bytes = LineageStreams.write(root, computed, "dataset " + root);
    return new LineageSegment(bytes, root, List.copyOf(inputs), List.copyOf(shuffles));
  }

  /** The id of the dataset this segment computes. */
  public int rddId() {
    return rddId;
  }

  /** Its number of partitions. */
  public int numPartitions() {
    return partitions;
  }

  /** On the driver: the datasets the engine serves that this segment reads (in first-use order). */
  public List<Rdd<?>> servedInputs() {
    return servedInputs == null ? List.of() : servedInputs;
  }

  /** On the driver: the shuffles this segment reads. */
  public List<Dependency.Shuffle> shuffles() {
    return shuffles == null ? List.of() : shuffles;
  }

  /**
   * In a task: the records of {@code partition} of this segment's dataset. Makes a task context
   * like {@code engineTask} (the task's partition, stage and attempt) with {@code localProperties}
   * and the {@linkplain io.tributary.Resources resources} of this JVM current on this thread
   * ({@link TaskContext#get()}), unless this task's is already; it stays current until the engine
   * unbinds it when the task ends ({@code TaskContext.set(null)}).
   */
  public Iterator<?> compute(int partition, TaskContext engineTask, Map<String, String> localProperties, Inputs inputs) {
    Checks.notNull(inputs, "inputs");
    List<Object> read = new ArrayList<>();
    Rdd<?> root = (Rdd<?>) LineageStreams.read(lineage, read::add);
    Serializer serializer = root.context().serializer();
    for (Object o : read) {
      if (o instanceof ExternalRdd<?> external) {
        external.bind(inputs);
      } else if (o instanceof Dependency.Shuffle shuffle) {
        shuffle.mapOutput(new FetchedOutput(shuffle.shuffleId(), inputs, serializer));
      }
    }
    TaskContext task = jobTask(engineTask, localProperties, root.context());
    return root.iterator(partition, task);
  }

  /** The task context of a job's task, made current on this thread. */
  static TaskContext jobTask(TaskContext engineTask, Map<String, String> localProperties, RddContext context) {
    TaskContext current = TaskContext.get();
    if (current != null && current.taskAttemptId() == engineTask.taskAttemptId()
        && current.resources() == context.resources()) {
      return current; // another segment of the same task (the engine reads a served input)
    }
    TaskContext task = new TaskContext(engineTask.stageId(), engineTask.partitionId(),
        engineTask.attemptNumber(), engineTask.taskAttemptId(), localProperties, context.resources());
    TaskContext.set(task);
    return task;
  }

  /**
   * The map side of {@code shuffle} as data that travels: splits the records of one partition of
   * its parent into one bucket per reduce partition (combined per key first when the shuffle
   * combines on the map side), exactly as the local engine does.
   */
  public static ShuffleWriter shuffleWriter(Dependency.Shuffle shuffle) {
    Checks.notNull(shuffle, "shuffle");
    return new ShuffleWriter(shuffle);
  }

  @Override
  public String toString() {
    return "LineageSegment of " + description + " (" + partitions + " partitions)";
  }

  /** What a task of a segment reads that the segment does not compute; the engine implements it. */
  public interface Inputs {
    /**
     * The records of {@code partition} of served dataset {@code rddId} (one of {@link
     * #servedInputs()}), or null when the engine does not serve that dataset.
     */
    Iterator<?> partition(int rddId, int partition);

    /**
     * The buckets that the map tasks of shuffle {@code shuffleId} wrote for {@code
     * reducePartition} ({@link ShuffleWriter#write}), in map-partition order; a map task that
     * wrote nothing for it may be left out.
     */
    List<byte[]> shuffleBuckets(int shuffleId, int reducePartition);
  }

  /** The map side of one shuffle, for the tasks of another JVM ({@link #shuffleWriter}). */
  public static final class ShuffleWriter implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] dependency;
    private final int shuffleId;
    private final int reducePartitions;
    private final SerializerSpec serializer;

    private ShuffleWriter(Dependency.Shuffle shuffle) {
      // the parent is computed by the map task's own segment: only partitioner and aggregator travel
      this.dependency = LineageStreams.write(shuffle, Collections.emptySet(), "shuffle " + shuffle.shuffleId());
      this.shuffleId = shuffle.shuffleId();
      this.reducePartitions = shuffle.partitioner().numPartitions();
      this.serializer = SerializerSpec.of(shuffle.parent().context().conf().getAll());
    }

    public int shuffleId() {
      return shuffleId;
    }

    /** The number of reduce partitions. */
    public int reducePartitions() {
      return reducePartitions;
    }

    /**
     * The buckets of one map partition: entry {@code r} holds the pairs for reduce partition
     * {@code r}, encoded with the context's serializer, or null when there are none.
     */
    public byte[][] write(Iterator<?> records) {
      Dependency.Shuffle shuffle = (Dependency.Shuffle) LineageStreams.read(dependency, o -> {});
      Object[] buckets = Shuffles.writeBuckets(shuffle, records);
      Serializer s = serializer.get();
      byte[][] out = new byte[buckets.length][];
      for (int r = 0; r < buckets.length; r++) {
        List<?> bucket = (List<?>) buckets[r];
        out[r] = bucket.isEmpty() ? null : s.serialize(new ArrayList<>(bucket));
      }
      return out;
    }
  }

  /** A shuffle's buckets for one task, fetched by the engine. */
  private record FetchedOutput(int shuffleId, Inputs inputs, Serializer serializer) implements Shuffles.Output {
    @Override
    public List<List<Tuple2<Object, Object>>> buckets(int reducePartition) {
      List<List<Tuple2<Object, Object>>> out = new ArrayList<>();
      for (byte[] bucket : inputs.shuffleBuckets(shuffleId, reducePartition)) {
        out.add(serializer.deserialize(bucket));
      }
      return out;
    }

    @Override
    public void release(int reducePartition) {}
  }
}
