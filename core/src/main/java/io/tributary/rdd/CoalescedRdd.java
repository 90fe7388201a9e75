package io.tributary.rdd;

import io.tributary.TaskContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** Fewer partitions without a shuffle: partition i reads a contiguous range of the parent's. */
final class CoalescedRdd<T> extends Rdd<T> {
  private Rdd<T> parent;
  private final int partitions;

  CoalescedRdd(Rdd<T> parent, int partitions) {
    super(parent.context());
    this.parent = parent;
    this.partitions = Math.max(1, Math.min(partitions, parent.numPartitions()));
  }

  @Override
  int getNumPartitions() {
    return parent.numPartitions() == 0 ? 0 : partitions;
  }

  @Override
  void clearDependencies() {
    parent = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.of(new Dependency.Narrow(parent));
  }

  @Override
  Iterator<T> compute(int partition, TaskContext task) {
    int total = parent.numPartitions();
    int from = (int) ((long) partition * total / partitions);
    int to = (int) ((long) (partition + 1) * total / partitions);
    List<Integer> range = new ArrayList<>();
    for (int i = from; i < to; i++) {
      range.add(i);
    }
    Iterator<Integer> parts = range.iterator();
    return new Iterator<>() {
      private Iterator<T> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && parts.hasNext()) {
          current = parent.iterator(parts.next(), task);
        }
        return current.hasNext();
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }
}
