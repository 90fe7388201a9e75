package io.tributary.internal.rdd;

import io.tributary.Tuple2;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-task map of by-key aggregation: one combiner per key, found or inserted with a single
 * probe (open addressing, linear probing), where {@code HashMap} needs a lookup and then an
 * insert. Each slot keeps its key's hash, so a probe compares keys ({@code equals}, a memory
 * load per key) only when the hashes match. The null key is supported. Not thread-safe: one task
 * owns it.
 */
public final class CombineMap<K, C> {
  private int[] hashes = new int[16];
  private Object[] keys = new Object[16];
  private Object[] values = new Object[16];
  private int size;
  private boolean hasNullKey;
  private Object nullValue;

  /** Folds {@code value} into the combiner of {@code key}: {@code create} for a new key, else {@code merge}. */
  @SuppressWarnings("unchecked")
  public <V> void combine(K key, V value, Function<V, C> create, Function2<C, V, C> merge) throws Exception {
    if (key == null) {
      nullValue = hasNullKey ? merge.call((C) nullValue, value) : create.call(value);
      hasNullKey = true;
      return;
    }
    int hash = spread(key.hashCode());
    int mask = keys.length - 1;
    int i = hash & mask;
    while (true) {
      Object existing = keys[i];
      if (existing == null) {
        hashes[i] = hash;
        keys[i] = key;
        values[i] = create.call(value);
        if (++size * 4 > keys.length * 3) {
          grow();
        }
        return;
      }
      if (existing == key || (hashes[i] == hash && existing.equals(key))) {
        values[i] = merge.call((C) values[i], value);
        return;
      }
      i = (i + 1) & mask;
    }
  }

  /** The number of keys. */
  public int size() {
    return size + (hasNullKey ? 1 : 0);
  }

  /** Every key with its combiner, as pairs. */
  @SuppressWarnings("unchecked")
  public List<Tuple2<K, C>> toPairs() {
    List<Tuple2<K, C>> pairs = new ArrayList<>(size());
    if (hasNullKey) {
      pairs.add(new Tuple2<>(null, (C) nullValue));
    }
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != null) {
        pairs.add(new Tuple2<>((K) keys[i], (C) values[i]));
      }
    }
    return pairs;
  }

  private void grow() {
    int[] oldHashes = hashes;
    Object[] oldKeys = keys;
    Object[] oldValues = values;
    hashes = new int[oldKeys.length * 2];
    keys = new Object[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    int mask = keys.length - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      Object key = oldKeys[j];
      if (key != null) {
        int i = oldHashes[j] & mask;
        while (keys[i] != null) {
          i = (i + 1) & mask;
        }
        hashes[i] = oldHashes[j];
        keys[i] = key;
        values[i] = oldValues[j];
      }
    }
  }

  private static int spread(int h) {
    h *= 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
