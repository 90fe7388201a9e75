package io.tributary.spark;

import io.tributary.rdd.LineageSegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.Dependency;
import org.apache.spark.Partition;
import org.apache.spark.TaskContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A Spark RDD computing one {@link LineageSegment} of a Tributary dataset: partition {@code i}
 * is partition {@code i} of the dataset. It reads the persisted datasets the segment stops at from
 * their own (persisted) Spark RDDs and each shuffle it stops at from the Spark shuffle that
 * {@link SparkEngine} made of it; both are narrow Spark dependencies, so a segment and everything
 * it reads without a shuffle run in one Spark task.
 */
final class SegmentRDD extends RDD<Object> {
  private static final long serialVersionUID = 1L;
  private final LineageSegment segment;
  private final int[] servedIds;
  private final RDD<Object>[] served;
  private final int[] shuffleIds;
  private final RDD<Tuple2<Object, Object>>[] shuffled;

  SegmentRDD(org.apache.spark.SparkContext sc, LineageSegment segment, int[] servedIds, RDD<Object>[] served,
      int[] shuffleIds, RDD<Tuple2<Object, Object>>[] shuffled) {
    super(sc, dependencies(served, shuffled), SparkEngine.OBJECT);
    this.segment = segment;
    this.servedIds = servedIds;
    this.served = served;
    this.shuffleIds = shuffleIds;
    this.shuffled = shuffled;
  }

  private static scala.collection.immutable.Seq<Dependency<?>> dependencies(
      RDD<Object>[] served, RDD<Tuple2<Object, Object>>[] shuffled) {
    List<Dependency<?>> deps = new ArrayList<>();
    for (RDD<Object> rdd : served) {
      deps.add(new ReadsParent<>(rdd));
    }
    for (RDD<Tuple2<Object, Object>> rdd : shuffled) {
      deps.add(new ReadsParent<>(rdd));
    }
    return CollectionConverters.asScala(deps).toList();
  }

  @Override
  public Partition[] getPartitions() {
    Partition[] partitions = new Partition[segment.numPartitions()];
    for (int i = 0; i < partitions.length; i++) {
      partitions[i] = new SegmentPartition(i);
    }
    return partitions;
  }

  @Override
  public scala.collection.Iterator<Object> compute(Partition split, TaskContext context) {
    io.tributary.TaskContext engineTask = SparkEngine.engineTask(context);
    Map<String, String> properties = JobProperties.of(context);
    @SuppressWarnings("unchecked")
    Iterator<Object> records =
        (Iterator<Object>) segment.compute(split.index(), engineTask, properties, new Inputs(context));
    return CollectionConverters.asScala(records);
  }

  /** What the segment stops at, read from the parent Spark RDDs in this task. */
  private final class Inputs implements LineageSegment.Inputs {
    private final TaskContext context;

    Inputs(TaskContext context) {
      this.context = context;
    }

    @Override
    public Iterator<?> partition(int rddId, int partition) {
      for (int i = 0; i < servedIds.length; i++) {
        if (servedIds[i] == rddId) {
          return CollectionConverters.asJava(served[i].iterator(new SegmentPartition(partition), context));
        }
      }
      return null;
    }

    @Override
    public List<byte[]> shuffleBuckets(int shuffleId, int reducePartition) {
      for (int i = 0; i < shuffleIds.length; i++) {
        if (shuffleIds[i] == shuffleId) {
          List<MapBucket> buckets = new ArrayList<>();
          scala.collection.Iterator<Tuple2<Object, Object>> it =
              shuffled[i].iterator(new SegmentPartition(reducePartition), context);
          while (it.hasNext()) {
            buckets.add((MapBucket) it.next()._2());
          }
          buckets.sort(Comparator.comparingInt(MapBucket::mapPartition));
          List<byte[]> out = new ArrayList<>(buckets.size());
          for (MapBucket bucket : buckets) {
            out.add(bucket.pairs());
          }
          return out;
        }
      }
      throw new IllegalStateException("Shuffle " + shuffleId + " is not an input of " + segment);
    }
  }
}
