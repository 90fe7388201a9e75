package io.tributary.streaming.internal.state;

import io.tributary.Tuple2;
import io.tributary.Tuple3;
import io.tributary.function.Function;
import io.tributary.function.Function2;
import io.tributary.function.Function4;
import io.tributary.Duration;
import io.tributary.Time;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The {@link StateUpdater}s of the stateful operations. */
public final class StateUpdaters {
  private StateUpdaters() {}

  /** Loads {@code (key, state)} pairs into an empty map, all updated at {@code time}. */
  public static <K, S, M> StateUpdater<K, S, S, M> load() {
    return (time, previous, data) -> {
      StateMap<K, S> map = previous.copy();
      while (data.hasNext()) {
        Tuple2<K, S> kv = data.next();
        if (kv._2() == null) {
          throw new IllegalArgumentException(
              "The initial state of key " + kv._1() + " is null: leave the key out instead");
        }
        map.put(kv._1(), kv._2(), time.milliseconds());
      }
      return new StateRecord<>(map, List.of());
    };
  }

  /**
   * {@code mapWithState}: calls {@code f} once per record with the key's state, then, with a
   * {@code timeout}, once per key idle for longer than it. Only the keys of the batch are written
   * to the new layer (plus the timed-out ones, removed).
   */
  public static <K, V, S, M> StateUpdater<K, V, S, M> mapWithState(
      MappingFunction<K, V, S, M> f, Duration timeout) {
    return (time, previous, data) -> {
      StateMap<K, S> map = previous.copy();
      List<M> mapped = new ArrayList<>();
      StateImpl<S> state = new StateImpl<>();
      long now = time.milliseconds();
      while (data.hasNext()) {
        Tuple2<K, V> kv = data.next();
        K key = kv._1();
        state.wrap(map.get(key));
        f.apply(time, key, Optional.ofNullable(kv._2()), state, mapped);
        if (state.isRemoved()) {
          map.remove(key);
        } else if (state.isUpdated() || (timeout != null && state.exists())) {
          map.put(key, state.get(), now);
        }
      }
      if (timeout != null) {
        long threshold = now - timeout.milliseconds();
        List<Map.Entry<K, StateMap.Entry<S>>> timedOut = new ArrayList<>();
        for (Iterator<Map.Entry<K, StateMap.Entry<S>>> it = map.entries(); it.hasNext(); ) {
          Map.Entry<K, StateMap.Entry<S>> e = it.next();
          if (e.getValue().updateTime() < threshold) {
            timedOut.add(e);
          }
        }
        for (Map.Entry<K, StateMap.Entry<S>> e : timedOut) {
          state.wrapTimingOut(e.getValue().state());
          f.apply(time, e.getKey(), Optional.empty(), state, mapped);
          map.remove(e.getKey());
        }
      }
      return new StateRecord<>(map, mapped);
    };
  }

  /**
   * {@code updateStateByKey}: calls {@code f(values of the batch, previous state)} for every key
   * with a state or with values; an empty result removes the key. Only keys whose state changed
   * (by {@code equals}) are written to the new layer, so unchanged keys share memory with earlier
   * batches.
   */
  public static <K, V, S> StateUpdater<K, V, S, Object> updateStateByKey(
      Function2<List<V>, Optional<S>, Optional<S>> f) {
    return updateStateByKeyWithTime((time, key, values, old) -> f.call(values, old));
  }

  /** Like {@link #updateStateByKey(Function2)}, with {@code f(batch time, key, values, previous state)}. */
  public static <K, V, S> StateUpdater<K, V, S, Object> updateStateByKeyWithTime(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> f) {
    return (time, previous, data) -> {
      StateMap<K, S> map = previous.copy();
      long now = time.milliseconds();
      Map<K, List<V>> batch = groupByKey(data);
      for (Iterator<Map.Entry<K, StateMap.Entry<S>>> it = previous.entries(); it.hasNext(); ) {
        Map.Entry<K, StateMap.Entry<S>> e = it.next();
        List<V> values = batch.remove(e.getKey());
        S old = e.getValue().state();
        apply(map, e.getKey(), old,
            call(f, time, values == null ? List.of() : values, Optional.of(old), e.getKey()), now);
      }
      for (Map.Entry<K, List<V>> e : batch.entrySet()) {
        apply(map, e.getKey(), null, call(f, time, e.getValue(), Optional.empty(), e.getKey()), now);
      }
      return new StateRecord<>(map, List.of());
    };
  }

  /**
   * {@code updateStateByKey} with a function over the whole partition: its input is every key with
   * a state or with values, as {@code (key, values, previous state)}; its output is the partition's
   * new state. Keys it leaves out are removed.
   */
  public static <K, V, S> StateUpdater<K, V, S, Object> updateStateByKeyIterator(
      Function<Iterator<Tuple3<K, List<V>, Optional<S>>>, Iterator<Tuple2<K, S>>> f) {
    return (time, previous, data) -> {
      StateMap<K, S> map = previous.copy();
      long now = time.milliseconds();
      Map<K, List<V>> batch = groupByKey(data);
      Iterator<Map.Entry<K, StateMap.Entry<S>>> old = previous.entries();
      Iterator<Tuple3<K, List<V>, Optional<S>>> input =
          new Iterator<>() {
            // the keys left in the batch once the state is done; created then, as keys of the
            // state are taken out of the batch on the way
            private Iterator<Map.Entry<K, List<V>>> fresh;

            @Override
            public boolean hasNext() {
              if (old.hasNext()) {
                return true;
              }
              if (fresh == null) {
                fresh = batch.entrySet().iterator();
              }
              return fresh.hasNext();
            }

            @Override
            public Tuple3<K, List<V>, Optional<S>> next() {
              if (old.hasNext()) {
                Map.Entry<K, StateMap.Entry<S>> e = old.next();
                // a key of the state takes its values out of the batch; what stays is new keys
                List<V> values = batch.remove(e.getKey());
                return Tuple3.of(e.getKey(), values == null ? List.of() : values, Optional.of(e.getValue().state()));
              }
              if (!hasNext()) {
                throw new java.util.NoSuchElementException();
              }
              Map.Entry<K, List<V>> e = fresh.next();
              return Tuple3.of(e.getKey(), e.getValue(), Optional.empty());
            }
          };
      Iterator<Tuple2<K, S>> output = f.call(input);
      if (output == null) {
        throw new IllegalStateException(
            "The update function of updateStateByKey returned null for batch " + time
                + ": return an iterator (an empty one for no state)");
      }
      Set<K> kept = new HashSet<>();
      while (output.hasNext()) {
        Tuple2<K, S> kv = output.next();
        kept.add(kv._1());
        apply(map, kv._1(), previous.get(kv._1()), Optional.ofNullable(kv._2()), now);
      }
      List<K> dropped = new ArrayList<>();
      for (Iterator<Map.Entry<K, StateMap.Entry<S>>> it = previous.entries(); it.hasNext(); ) {
        K key = it.next().getKey();
        if (!kept.contains(key)) {
          dropped.add(key);
        }
      }
      dropped.forEach(map::remove);
      return new StateRecord<>(map, List.of());
    };
  }

  private static <K, V> Map<K, List<V>> groupByKey(Iterator<Tuple2<K, V>> data) {
    // a hash map iterates in an order of its own; the linked map keeps first-seen order for new keys
    Map<K, List<V>> batch = new LinkedHashMap<>();
    while (data.hasNext()) {
      Tuple2<K, V> kv = data.next();
      batch.computeIfAbsent(kv._1(), k -> new ArrayList<>(2)).add(kv._2());
    }
    return batch;
  }

  private static <K, V, S> Optional<S> call(
      Function4<Time, K, List<V>, Optional<S>, Optional<S>> f, Time time, List<V> values, Optional<S> old, K key)
      throws Exception {
    Optional<S> result = f.call(time, key, values, old);
    if (result == null) {
      throw new IllegalStateException(
          "The update function of updateStateByKey returned null for key " + key
              + ": return Optional.empty() to remove the key");
    }
    return result;
  }

  private static <K, S> void apply(StateMap<K, S> map, K key, S old, Optional<S> result, long now) {
    if (result.isEmpty()) {
      if (old != null) {
        map.remove(key);
      }
    } else if (old == null || !Objects.equals(old, result.get())) {
      map.put(key, result.get(), now);
    }
  }
}
