package io.tributary.rdd;

import io.tributary.StorageLevel;
import io.tributary.TaskContext;
import io.tributary.engine.Engine;
import io.tributary.engine.EngineFactory;
import io.tributary.engine.StageTask;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A {@link LineageEngine} for tests, for master {@code serializing}: runs every job the way a
 * cluster engine does (segments, shuffle writers and result tasks are Java-serialized and read
 * back before they run, persisted datasets are served from the engine's own store, shuffle
 * buckets cross as bytes), but in this JVM, one task after another.
 */
final class SerializingEngine implements Engine, LineageEngine {
  private final Map<Integer, List<List<Object>>> served = new HashMap<>();
  private final Map<Integer, List<byte[][]>> shuffles = new HashMap<>();
  private long nextTask;

  /** Claims {@code serializing}. */
  public static final class Factory implements EngineFactory {
    @Override
    public boolean accepts(String master) {
      return master.equals("serializing");
    }

    @Override
    public String masters() {
      return "serializing (core tests)";
    }

    @Override
    public Engine create(String master, Map<String, String> settings) {
      return new SerializingEngine();
    }
  }

  @Override
  public synchronized <U> List<U> runJob(LineageJob<U> job) {
    LineageSegment root = prepare(job.rdd());
    ResultTask task = travel(job.resultTask());
    List<U> results = new ArrayList<>();
    for (int p : job.partitions()) {
      TaskContext engineTask = new TaskContext(0, p, 0, nextTask++);
      try {
        results.add(job.result(task.run(engineTask, job.localProperties(), root.compute(p, engineTask, job.localProperties(), inputs()))));
      } catch (Exception e) {
        throw new io.tributary.JobFailedException("task " + p + " failed", e);
      } finally {
        TaskContext.set(null);
      }
    }
    return results;
  }

  /** The segment of {@code rdd}, after everything it reads was computed. */
  private LineageSegment prepare(Rdd<?> rdd) {
    LineageSegment segment = LineageSegment.of(rdd, r -> r.getStorageLevel() != StorageLevel.NONE);
    for (Rdd<?> input : segment.servedInputs()) {
      if (!served.containsKey(input.id())) {
        LineageSegment inputSegment = prepare(input);
        List<List<Object>> partitions = new ArrayList<>();
        for (int p = 0; p < inputSegment.numPartitions(); p++) {
          partitions.add(drain(inputSegment, p));
        }
        served.put(input.id(), partitions);
      }
    }
    for (Dependency.Shuffle shuffle : segment.shuffles()) {
      if (!shuffles.containsKey(shuffle.shuffleId())) {
        LineageSegment parent = prepare(shuffle.parent());
        LineageSegment.ShuffleWriter writer = travel(LineageSegment.shuffleWriter(shuffle));
        List<byte[][]> maps = new ArrayList<>();
        for (int m = 0; m < parent.numPartitions(); m++) {
          maps.add(writer.write(drain(parent, m).iterator()));
        }
        shuffles.put(shuffle.shuffleId(), maps);
      }
    }
    return travel(segment);
  }

  private List<Object> drain(LineageSegment segment, int partition) {
    TaskContext engineTask = new TaskContext(0, partition, 0, nextTask++);
    try {
      List<Object> records = new ArrayList<>();
      segment.compute(partition, engineTask, Map.of(), inputs()).forEachRemaining(records::add);
      return records;
    } finally {
      TaskContext.set(null);
    }
  }

  private LineageSegment.Inputs inputs() {
    return new LineageSegment.Inputs() {
      @Override
      public Iterator<?> partition(int rddId, int partition) {
        List<List<Object>> partitions = served.get(rddId);
        return partitions == null ? null : partitions.get(partition).iterator();
      }

      @Override
      public List<byte[]> shuffleBuckets(int shuffleId, int reducePartition) {
        List<byte[]> buckets = new ArrayList<>();
        for (byte[][] map : shuffles.get(shuffleId)) {
          if (map[reducePartition] != null) {
            buckets.add(map[reducePartition]);
          }
        }
        return buckets;
      }
    };
  }

  /** {@code value} after a trip through Java serialization, as it would reach another JVM. */
  @SuppressWarnings("unchecked")
  private static <T> T travel(T value) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
        out.writeObject(value);
      }
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
        return (T) in.readObject();
      }
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalStateException("Cannot serialize " + value, e);
    }
  }

  @Override
  public <U> List<U> runStage(int[] partitions, StageTask<U> task) {
    throw new UnsupportedOperationException("runs whole jobs");
  }

  @Override
  public int parallelism() {
    return 2;
  }

  @Override
  public void close() {}
}
