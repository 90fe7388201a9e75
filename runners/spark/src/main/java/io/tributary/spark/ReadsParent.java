package io.tributary.spark;

import org.apache.spark.NarrowDependency;
import org.apache.spark.rdd.RDD;
import scala.collection.immutable.Seq;

/**
 * A segment reads partitions of a parent Spark RDD (a persisted dataset, a shuffle) in its own
 * task; which ones depends on the Tributary lineage between them (a union, a coalesce), so none
 * is named: Spark uses the list only to prefer where tasks run.
 */
final class ReadsParent<T> extends NarrowDependency<T> {
  private static final long serialVersionUID = 1L;

  ReadsParent(RDD<T> parent) {
    super(parent);
  }

  @Override
  public Seq<Object> getParents(int partitionId) {
    return scala.collection.immutable.List$.MODULE$.<Object>empty();
  }
}
