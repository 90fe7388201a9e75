package io.tributary.streaming.internal.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.HashPartitioner;
import io.tributary.Tuple2;
import io.tributary.rdd.Rdd;
import io.tributary.rdd.RddContext;
import io.tributary.StreamingConf;
import io.tributary.Time;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StateRdd}: a batch's state from the previous one, through checkpoints. */
class StateRddTest {
  @TempDir Path dir;
  private RddContext sc;
  private final HashPartitioner two = new HashPartitioner(2);

  @BeforeEach
  void context() {
    sc = new RddContext(new StreamingConf().setMaster("local[2]"));
    sc.setCheckpointDir(dir.toString());
  }

  @AfterEach
  void close() {
    sc.close();
  }

  private static Map<String, Integer> stateOf(Rdd<StateRecord<String, Integer, Object>> rdd) {
    Map<String, Integer> all = new HashMap<>();
    for (StateRecord<String, Integer, Object> record : rdd.collect()) {
      record.stateMap().entries().forEachRemaining(e -> all.put(e.getKey(), e.getValue().state()));
    }
    return all;
  }

  private Rdd<StateRecord<String, Integer, Object>> sumOver(
      Rdd<StateRecord<String, Integer, Object>> previous, long time, List<Tuple2<String, Integer>> batch) {
    return StateRdd.of(
        sc, previous, sc.parallelizePairs(batch).partitionBy(two), two, new Time(time),
        StateUpdaters.<String, Integer, Integer>updateStateByKey(
            (values, old) -> Optional.of(old.orElse(0) + values.stream().mapToInt(Integer::intValue).sum())),
        20);
  }

  @Test
  void aCheckpointedStateIsReadBackFromItsFilesAndTheNextBatchBuildsOnIt() {
    Rdd<StateRecord<String, Integer, Integer>> initial =
        StateRdd.of(sc, null, sc.parallelizePairs(List.of(Tuple2.of("a", 1), Tuple2.of("b", 2))).partitionBy(two),
            two, new Time(1000), StateUpdaters.load(), 20);
    @SuppressWarnings({"unchecked", "rawtypes"})
    Rdd<StateRecord<String, Integer, Object>> start = (Rdd) initial;
    Rdd<StateRecord<String, Integer, Object>> second = sumOver(start, 2000, List.of(Tuple2.of("a", 10), Tuple2.of("c", 3)));
    second.checkpoint();
    assertThat(stateOf(second)).isEqualTo(Map.of("a", 11, "b", 2, "c", 3));
    assertThat(second.isCheckpointed()).isTrue();
    assertThat(second.dependencies()).isEmpty();
    assertThat(second.partitioner()).contains(two);
    // not persisted: read from the checkpoint files (Kryo), one compact map per partition
    List<StateRecord<String, Integer, Object>> read = second.collect();
    assertThat(read).hasSize(2).allMatch(r -> r.stateMap().chainLength() == 0);
    assertThat(stateOf(second)).isEqualTo(Map.of("a", 11, "b", 2, "c", 3));
    Rdd<StateRecord<String, Integer, Object>> third = sumOver(second, 3000, List.of(Tuple2.of("b", 5)));
    assertThat(stateOf(third)).isEqualTo(Map.of("a", 11, "b", 7, "c", 3));
  }

  @Test
  void updateStateByKeyWritesOnlyChangedKeysToTheNewLayer() {
    List<Tuple2<String, Integer>> many = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(Tuple2.of("k" + i, 1));
    }
    Rdd<StateRecord<String, Integer, Object>> first = sumOver(null, 1000, many);
    first.persist();
    Rdd<StateRecord<String, Integer, Object>> second = sumOver(first, 2000, List.of(Tuple2.of("k1", 1)));
    // summing nothing leaves the 99 other keys equal: only k1 is in the new layer
    int changed = second.collect().stream().mapToInt(r -> r.stateMap().deltaSize()).sum();
    assertThat(changed).isEqualTo(1);
    assertThat(stateOf(second)).hasSize(100).containsEntry("k1", 2).containsEntry("k2", 1);
  }
}
