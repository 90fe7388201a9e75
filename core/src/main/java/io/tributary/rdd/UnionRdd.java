package io.tributary.rdd;

import io.tributary.TaskContext;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The partitions of all parents, one after another (narrow; one-to-one for a single parent). */
final class UnionRdd<T> extends Rdd<T> {
  private List<Rdd<T>> parents;
  private final int[] parentOf;
  private final int[] indexIn;

  UnionRdd(RddContext context, List<? extends Rdd<T>> parents) {
    super(context);
    this.parents = List.copyOf(parents);
    int total = 0;
    for (Rdd<T> p : this.parents) {
      total += p.numPartitions();
    }
    parentOf = new int[total];
    indexIn = new int[total];
    int next = 0;
    for (int i = 0; i < this.parents.size(); i++) {
      for (int j = 0; j < this.parents.get(i).numPartitions(); j++) {
        parentOf[next] = i;
        indexIn[next++] = j;
      }
    }
  }

  @Override
  int getNumPartitions() {
    return parentOf.length;
  }

  @Override
  void clearDependencies() {
    parents = null;
  }

  @Override
  List<Dependency> getDependencies() {
    if (parents.size() == 1) { // the union of one dataset is that dataset, partition for partition
      return List.of(new Dependency.OneToOne(parents.get(0)));
    }
    List<Dependency> deps = new ArrayList<>(parents.size());
    for (Rdd<T> p : parents) {
      deps.add(new Dependency.Narrow(p));
    }
    return deps;
  }

  @Override
  Iterator<T> compute(int partition, TaskContext task) {
    return parents.get(parentOf[partition]).iterator(indexIn[partition], task);
  }
}
