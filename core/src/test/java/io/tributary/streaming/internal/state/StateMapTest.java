package io.tributary.streaming.internal.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.internal.serializer.JavaSerializer;
import io.tributary.internal.serializer.KryoSerializer;
import io.tributary.internal.serializer.Serializer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StateMap}: copy-on-write layers, compaction, and serialization as live entries. */
class StateMapTest {

  private static <K, S> Map<K, S> contents(StateMap<K, S> map) {
    Map<K, S> all = new HashMap<>();
    for (Iterator<Map.Entry<K, StateMap.Entry<S>>> it = map.entries(); it.hasNext(); ) {
      Map.Entry<K, StateMap.Entry<S>> e = it.next();
      assertThat(all.put(e.getKey(), e.getValue().state())).as("key %s listed twice", e.getKey()).isNull();
    }
    assertThat(map.size()).as("size of %s", map).isEqualTo(all.size());
    return all;
  }

  @Test
  void aCopyRecordsOnlyItsChangesAndLeavesTheOlderMapAsItWas() {
    StateMap<String, Integer> base = new StateMap<>(20);
    base.put("a", 1, 1000);
    base.put("b", 2, 1000);
    StateMap<String, Integer> next = base.copy();
    next.put("a", 10, 2000);
    next.remove("b");
    next.put("c", 3, 2000);
    assertThat(contents(base)).isEqualTo(Map.of("a", 1, "b", 2));
    assertThat(contents(next)).isEqualTo(Map.of("a", 10, "c", 3));
    assertThat(next.deltaSize()).isEqualTo(3);
    assertThat(next.chainLength()).isEqualTo(1);
    assertThat(next.getEntry("a")).isEqualTo(new StateMap.Entry<>(10, 2000));
    assertThat(next.get("b")).isNull();
    assertThat(base.get("b")).isEqualTo(2);
  }

  @Test
  void removingAndPuttingAgainAcrossLayersKeepsTheSizeRight() {
    StateMap<String, Integer> m = new StateMap<>(20);
    m.put("a", 1, 1);
    StateMap<String, Integer> m2 = m.copy();
    m2.remove("a");
    m2.remove("a");
    m2.remove("missing");
    assertThat(m2.size()).isZero();
    m2.put("a", 2, 2);
    m2.put("a", 3, 2);
    assertThat(contents(m2)).isEqualTo(Map.of("a", 3));
    StateMap<String, Integer> m3 = m2.copy();
    m3.put("n", 1, 3);
    m3.remove("n"); // only in the newest layer: simply gone
    assertThat(m3.deltaSize()).isZero();
    assertThat(contents(m3)).isEqualTo(Map.of("a", 3));
  }

  @Test
  void theChainIsCompactedIntoOneMapAtTheThreshold() {
    StateMap<Integer, Integer> m = new StateMap<>(3);
    m.put(0, 0, 0);
    for (int i = 1; i <= 7; i++) {
      m = m.copy();
      m.put(i, i, i);
      if (i % 2 == 0) {
        m.remove(i - 2);
      }
      assertThat(m.chainLength()).as("chain after %d copies", i).isLessThan(3);
    }
    assertThat(contents(m)).isEqualTo(Map.of(1, 1, 3, 3, 5, 5, 6, 6, 7, 7));
    assertThatThrownBy(() -> new StateMap<String, String>(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deltaChainThreshold");
  }

  private static void assertSurvivesRoundTrip(Serializer serializer) {
    StateMap<String, Integer> m = new StateMap<>(20);
    m.put("a", 1, 1000);
    m.put("b", 2, 1000);
    m = m.copy();
    m.put("b", 20, 2000);
    m.remove("a");
    m.put("c", 3, 2000);
    StateMap<String, Integer> back = serializer.deserialize(serializer.serialize(m));
    assertThat(contents(back)).isEqualTo(Map.of("b", 20, "c", 3));
    assertThat(back.chainLength()).isZero();
    assertThat(back.getEntry("b")).isEqualTo(new StateMap.Entry<>(20, 2000));
    // the read map is a normal map: it can be copied and changed
    StateMap<String, Integer> later = back.copy();
    later.put("a", 5, 3000);
    assertThat(contents(later)).isEqualTo(Map.of("a", 5, "b", 20, "c", 3));
  }

  @Test
  void aChainedMapSurvivesKryoAsOneCompactLayer() {
    assertSurvivesRoundTrip(new KryoSerializer());
  }

  @Test
  void aChainedMapSurvivesJavaSerializationAsOneCompactLayer() {
    assertSurvivesRoundTrip(new JavaSerializer());
  }

  @Test
  void everyLayerOfARandomChainListsExactlyTheEntriesOfAPlainMapModel() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    StateMap<Integer, Integer> map = new StateMap<>(8);
    java.util.Map<Integer, Integer> model = new java.util.HashMap<>();
    for (int batch = 0; batch < 30; batch++) {
      map = map.copy();
      for (int op = 0; op < 200; op++) {
        int key = random.nextInt(300);
        if (random.nextInt(4) == 0) {
          map.remove(key);
          model.remove(key);
        } else {
          map.put(key, batch * 1000 + op, batch);
          model.put(key, batch * 1000 + op);
        }
      }
      java.util.Map<Integer, Integer> listed = new java.util.HashMap<>();
      for (var it = map.entries(); it.hasNext(); ) {
        var e = it.next();
        assertThat(listed.put(e.getKey(), e.getValue().state())).as("key %s listed once", e.getKey()).isNull();
      }
      assertThat(listed).as("batch %d, %d layers", batch, map.chainLength() + 1).isEqualTo(model);
      assertThat(map.size()).isEqualTo(model.size());
    }
  }
}
