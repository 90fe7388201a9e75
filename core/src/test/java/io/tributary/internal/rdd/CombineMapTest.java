package io.tributary.internal.rdd;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** CombineMap against a plain HashMap model: combining, the null key and growing. */
class CombineMapTest {
  private static final Function<Integer, Integer> CREATE = v -> v;
  private static final Function2<Integer, Integer, Integer> SUM = Integer::sum;

  private static Map<String, Integer> contents(CombineMap<String, Integer> map) {
    Map<String, Integer> all = new HashMap<>();
    for (Tuple2<String, Integer> kv : map.toPairs()) {
      assertThat(all.put(kv._1(), kv._2())).as("key %s listed once", kv._1()).isNull();
    }
    return all;
  }

  @Test
  void randomCombinesMatchAHashMap() throws Exception {
    SplittableRandom random = new SplittableRandom(3);
    CombineMap<String, Integer> map = new CombineMap<>();
    Map<String, Integer> model = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      int k = random.nextInt(5_000);
      String key = k == 0 ? null : "k" + k; // the null key too
      int value = random.nextInt(100);
      map.combine(key, value, CREATE, SUM);
      model.merge(key, value, Integer::sum);
      if (op % 20_000 == 0) {
        assertThat(contents(map)).isEqualTo(model);
      }
    }
    assertThat(contents(map)).isEqualTo(model);
    assertThat(map.size()).isEqualTo(model.size());
  }
}
