package io.tributary.rdd;

import io.tributary.Partitioner;
import io.tributary.TaskContext;
import io.tributary.Tuple2;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Groups the pairs of several parents by key: for each key, one list of values per parent (empty
 * where a parent has none). The basis of cogroup and of the join family. A parent already
 * partitioned by an equal partitioner is read in place (narrow); the others are shuffled.
 */
final class CoGroupedRdd<K> extends Rdd<Tuple2<K, List<List<Object>>>> {
  private List<Dependency> dependencies;
  private final Partitioner partitioner;

  CoGroupedRdd(List<? extends Rdd<? extends Tuple2<K, ?>>> parents, Partitioner partitioner) {
    super(parents.get(0).context());
    this.partitioner = partitioner;
    List<Dependency> deps = new ArrayList<>();
    for (Rdd<?> parent : parents) {
      deps.add(
          partitioner.equals(parent.partitioner().orElse(null))
              ? new Dependency.OneToOne(parent)
              : new Dependency.Shuffle(parent, partitioner, null, false));
    }
    this.dependencies = List.copyOf(deps);
  }

  @Override
  int getNumPartitions() {
    return partitioner.numPartitions();
  }

  @Override
  void clearDependencies() {
    dependencies = null;
  }

  @Override
  List<Dependency> getDependencies() {
    return List.copyOf(dependencies);
  }

  @Override
  Optional<Partitioner> getPartitioner() {
    return Optional.of(partitioner);
  }

  @Override
  @SuppressWarnings("unchecked")
  Iterator<Tuple2<K, List<List<Object>>>> compute(int partition, TaskContext task) {
    int n = dependencies.size();
    Map<K, List<Object>[]> groups = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Iterator<Tuple2<Object, Object>> records =
          dependencies.get(i) instanceof Dependency.Shuffle shuffle
              ? Shuffles.<Object, Object>concat(shuffle, partition).iterator()
              : ((Rdd<Tuple2<Object, Object>>) dependencies.get(i).parent()).iterator(partition, task);
      while (records.hasNext()) {
        Tuple2<Object, Object> kv = records.next();
        List<Object>[] lists = groups.get((K) kv._1());
        if (lists == null) {
          lists = new List[n];
          for (int j = 0; j < n; j++) {
            lists[j] = new ArrayList<>();
          }
          groups.put((K) kv._1(), lists);
        }
        lists[i].add(kv._2());
      }
    }
    List<Tuple2<K, List<List<Object>>>> out = new ArrayList<>(groups.size());
    for (Map.Entry<K, List<Object>[]> e : groups.entrySet()) {
      out.add(new Tuple2<>(e.getKey(), Arrays.asList(e.getValue())));
    }
    return out.iterator();
  }
}
