package io.tributary.spark;

import io.tributary.JobFailedException;
import io.tributary.StorageLevel;
import io.tributary.engine.Engine;
import io.tributary.engine.StageTask;
import io.tributary.rdd.Dependency;
import io.tributary.rdd.LineageEngine;
import io.tributary.rdd.LineageJob;
import io.tributary.rdd.LineageSegment;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.ResultTask;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.rdd.RDD;
import scala.Tuple2;
import scala.reflect.ClassTag;

/**
 * Runs Tributary jobs as Spark jobs on a Spark cluster: each job's lineage becomes Spark RDDs,
 * one {@link SegmentRDD} per part between shuffles and persisted datasets, each Tributary shuffle
 * a Spark shuffle of the buckets Tributary's own partitioner and combiner made, each persisted
 * dataset a persisted Spark RDD kept for the later jobs that read it; then one Spark job runs the
 * result tasks. The driver keeps everything else (the stream graph, the clock, checkpoints,
 * listeners).
 */
final class SparkEngine implements Engine, LineageEngine {
  static final ClassTag<Object> OBJECT = scala.reflect.ClassTag$.MODULE$.apply(Object.class);

  private final JavaSparkContext spark;
  private final String master;
  /** Persisted datasets and their persisted Spark RDDs, while the dataset stays persisted. */
  private final WeakHashMap<Rdd<?>, Persisted> persisted = new WeakHashMap<>();
  /** Shuffles that ran or will run, so later jobs on the same lineage reuse their map outputs. */
  private final WeakHashMap<Dependency.Shuffle, RDD<Tuple2<Object, Object>>> shuffles = new WeakHashMap<>();

  private record Persisted(RDD<Object> rdd, boolean checkpointed) {}

  SparkEngine(String master, Map<String, String> settings) {
    this.master = master;
    this.spark = new JavaSparkContext(sparkConf(master, settings));
  }

  /**
   * The Spark configuration: {@code spark.*} system properties (as {@code spark-submit} sets
   * them), then the context's settings with their {@code spark.} prefix back, except Tributary's
   * own ({@code serializer*}, {@code streaming.*}).
   */
  static SparkConf sparkConf(String master, Map<String, String> settings) {
    SparkConf conf = new SparkConf();
    conf.setMaster(master);
    conf.setAppName(settings.getOrDefault("app.name", "tributary"));
    for (Map.Entry<String, String> e : settings.entrySet()) {
      String key = e.getKey();
      if (!key.equals("master") && !key.equals("app.name") && !key.startsWith("serializer")
          && !key.startsWith("streaming.")) {
        conf.set("spark." + key, e.getValue());
      }
    }
    return conf;
  }

  /** The Spark context the jobs run on. */
  SparkContext sparkContext() {
    return spark.sc();
  }

  @Override
  public <U> List<U> runStage(int[] partitions, StageTask<U> task) {
    throw new UnsupportedOperationException("The Spark engine runs whole jobs (LineageEngine.runJob), not stages");
  }

  @Override
  public <U> List<U> runJob(LineageJob<U> job) {
    int[] partitions = job.partitions();
    if (partitions.length == 0) {
      return List.of();
    }
    RDD<Object> root;
    synchronized (this) {
      releaseUnpersisted();
      root = sparkRdd(job.rdd());
    }
    ResultTask task = job.resultTask();
    JavaRDD<byte[]> results = JavaRDD.fromRDD(root, OBJECT).mapPartitions(records -> {
      org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
      return List.of(task.run(engineTask(context), JobProperties.of(context), records)).iterator();
    });
    List<byte[]>[] parts;
    SparkContext sc = spark.sc();
    sc.setLocalProperty(JobProperties.KEY, JobProperties.encode(job.localProperties()));
    sc.setJobDescription("Tributary job on " + job.rdd());
    try {
      parts = results.collectPartitions(partitions);
    } catch (Exception e) { // SparkException is checked, but thrown from Scala undeclared
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new JobFailedException("Job on " + job.rdd() + " failed on Spark master " + master + ": " + e.getMessage(), cause);
    } finally {
      sc.setLocalProperty(JobProperties.KEY, null);
      sc.setJobDescription(null);
    }
    List<U> out = new ArrayList<>(parts.length);
    for (List<byte[]> part : parts) {
      out.add(job.result(part.get(0)));
    }
    return out;
  }

  /** The Tributary task context of a Spark task (its partition, stage and attempt). */
  static io.tributary.TaskContext engineTask(org.apache.spark.TaskContext context) {
    if (io.tributary.TaskContext.get() == null) {
      context.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) c -> io.tributary.TaskContext.set(null));
    }
    return new io.tributary.TaskContext(
        context.stageId(), context.partitionId(), context.attemptNumber(), context.taskAttemptId());
  }

  /** Unpersists the Spark RDDs of datasets that are no longer persisted (a stream released them). */
  private void releaseUnpersisted() {
    for (Iterator<Map.Entry<Rdd<?>, Persisted>> it = persisted.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Rdd<?>, Persisted> e = it.next();
      if (e.getKey().getStorageLevel() == StorageLevel.NONE) {
        e.getValue().rdd().unpersist(false);
        it.remove();
      }
    }
  }

  /** The Spark RDD of {@code rdd}: persisted ones once (until checkpointed), others afresh. */
  private RDD<Object> sparkRdd(Rdd<?> rdd) {
    StorageLevel level = rdd.getStorageLevel();
    if (level == StorageLevel.NONE) {
      return segmentRdd(rdd);
    }
    Persisted known = persisted.get(rdd);
    if (known != null && known.checkpointed() == rdd.isCheckpointed()) {
      return known.rdd();
    }
    if (known != null) { // checkpointed since: read from the files, and let the old lineage go
      known.rdd().unpersist(false);
    }
    RDD<Object> made = segmentRdd(rdd).persist(org.apache.spark.storage.StorageLevel.fromString(level.name()));
    persisted.put(rdd, new Persisted(made, rdd.isCheckpointed()));
    return made;
  }

  @SuppressWarnings("unchecked")
  private RDD<Object> segmentRdd(Rdd<?> rdd) {
    LineageSegment segment = LineageSegment.of(rdd, r -> r.getStorageLevel() != StorageLevel.NONE);
    List<Rdd<?>> inputs = segment.servedInputs();
    int[] servedIds = new int[inputs.size()];
    RDD<Object>[] served = new RDD[inputs.size()];
    for (int i = 0; i < served.length; i++) {
      servedIds[i] = inputs.get(i).id();
      served[i] = sparkRdd(inputs.get(i));
    }
    List<Dependency.Shuffle> deps = segment.shuffles();
    int[] shuffleIds = new int[deps.size()];
    RDD<Tuple2<Object, Object>>[] shuffled = new RDD[deps.size()];
    for (int i = 0; i < shuffled.length; i++) {
      shuffleIds[i] = deps.get(i).shuffleId();
      shuffled[i] = shuffledRdd(deps.get(i));
    }
    SegmentRDD made = new SegmentRDD(spark.sc(), segment, servedIds, served, shuffleIds, shuffled);
    made.setName(rdd.toString());
    return made;
  }

  /** The Spark shuffle of {@code dep}: its parent's buckets (Tributary's partitioner and combiner) by reduce partition. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private RDD<Tuple2<Object, Object>> shuffledRdd(Dependency.Shuffle dep) {
    RDD<Tuple2<Object, Object>> known = shuffles.get(dep);
    if (known != null) {
      return known;
    }
    LineageSegment.ShuffleWriter writer = LineageSegment.shuffleWriter(dep);
    JavaRDD<Tuple2<Object, Object>> buckets =
        JavaRDD.fromRDD(sparkRdd(dep.parent()), OBJECT).mapPartitionsWithIndex((map, records) -> {
          byte[][] written = writer.write(records);
          List<Tuple2<Object, Object>> out = new ArrayList<>();
          for (int r = 0; r < written.length; r++) {
            if (written[r] != null) {
              out.add(new Tuple2<>(r, new MapBucket(map, written[r])));
            }
          }
          return out.iterator();
        }, false);
    RDD<Tuple2<Object, Object>> made =
        (RDD) JavaPairRDD.fromJavaRDD(buckets).partitionBy(new ReducePartitioner(writer.reducePartitions())).rdd();
    made.setName("shuffle " + dep.shuffleId() + " of " + dep.parent());
    shuffles.put(dep, made);
    return made;
  }

  @Override
  public int parallelism() {
    return spark.sc().defaultParallelism();
  }

  @Override
  public void close() {
    spark.stop();
  }
}
