package io.tributary.streaming.internal.state;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoSerializable;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The state of one partition at one batch: key → (state, time of last update), as a copy-on-write
 * chain of layers (Spark's {@code OpenHashMapBasedStateMap}). {@link #copy()} starts a new layer
 * over this one that records only the keys changed or removed in the next batch, so a batch costs
 * what it touches, not the size of the state, and every earlier batch's map stays as it was. When
 * the chain reaches {@code deltaChainThreshold} layers, {@code copy()} compacts it into one map.
 *
 * <p>A layer is changed only by the task that builds it, before it is published; afterwards it is
 * read-only and may be read by any thread. Serialized (Kryo or Java) as its live entries only, so a
 * checkpoint holds one compact layer.
 */
public final class StateMap<K, S> implements KryoSerializable, Serializable {
  private static final long serialVersionUID = 1L;

  /** Marks a key removed in a layer while an older layer still has it. */
  private static final Entry<Object> REMOVED = new Entry<>(null, Long.MIN_VALUE);

  /** One key's state and the batch time (ms) it was last updated at. */
  public record Entry<S>(S state, long updateTime) {}

  private transient StateMap<K, S> parent;
  private transient HashMap<K, Entry<S>> delta;
  private transient int chainLength;
  private transient int size;
  private int deltaChainThreshold;

  /** An empty map compacting its chains at {@code deltaChainThreshold} layers. */
  public StateMap(int deltaChainThreshold) {
    this(null, new HashMap<>(), deltaChainThreshold);
  }

  private StateMap(StateMap<K, S> parent, HashMap<K, Entry<S>> delta, int deltaChainThreshold) {
    if (deltaChainThreshold < 1) {
      throw new IllegalArgumentException(
          "streaming.sessionByKey.deltaChainThreshold must be at least 1, got " + deltaChainThreshold);
    }
    this.parent = parent;
    this.delta = delta;
    this.deltaChainThreshold = deltaChainThreshold;
    this.chainLength = parent == null ? 0 : parent.chainLength + 1;
    this.size = parent == null ? delta.size() : parent.size;
  }

  /** The live entry of {@code key}, or null. */
  public Entry<S> getEntry(K key) {
    for (StateMap<K, S> m = this; m != null; m = m.parent) {
      Entry<S> e = m.delta.get(key);
      if (e != null) {
        return e == REMOVED ? null : e;
      }
    }
    return null;
  }

  /** The state of {@code key}, or null when it has none. */
  public S get(K key) {
    Entry<S> e = getEntry(key);
    return e == null ? null : e.state();
  }

  /** Sets the state of {@code key}, updated at {@code updateTime}. */
  public void put(K key, S state, long updateTime) {
    Entry<S> previous = delta.put(key, new Entry<>(state, updateTime));
    if (previous == null ? parent == null || parent.getEntry(key) == null : previous == REMOVED) {
      size++;
    }
  }

  /** Drops the state of {@code key}, if any. */
  @SuppressWarnings("unchecked")
  public void remove(K key) {
    boolean olderHasIt = parent != null && parent.getEntry(key) != null;
    Entry<S> previous = olderHasIt ? delta.put(key, (Entry<S>) REMOVED) : delta.remove(key);
    if (previous == null ? olderHasIt : previous != REMOVED) {
      size--;
    }
  }

  /** The number of keys with a state. */
  public int size() {
    return size;
  }

  /** The number of layers below this one (0 for a compact map). */
  public int chainLength() {
    return chainLength;
  }

  /** The number of keys recorded in this layer alone (changed or removed in its batch). */
  public int deltaSize() {
    return delta.size();
  }

  /**
   * A new map for the next batch, starting with this map's content: a new empty layer over this
   * one, or a compact copy once the chain is {@code deltaChainThreshold} layers long. This map
   * must not be changed afterwards.
   */
  public StateMap<K, S> copy() {
    if (chainLength + 1 >= deltaChainThreshold) {
      return compacted();
    }
    return new StateMap<>(this, new HashMap<>(), deltaChainThreshold);
  }

  /** A one-layer map with the same content. */
  public StateMap<K, S> compacted() {
    HashMap<K, Entry<S>> all = new HashMap<>(Math.max(16, (int) (size / 0.75f) + 1));
    for (Iterator<Map.Entry<K, Entry<S>>> it = entries(); it.hasNext(); ) {
      Map.Entry<K, Entry<S>> e = it.next();
      all.put(e.getKey(), e.getValue());
    }
    return new StateMap<>(null, all, deltaChainThreshold);
  }

  /**
   * Every live entry, each key once with its newest entry, lazily: layers newest first, skipping
   * keys a newer layer has (one lookup in the set of the newer layers' keys, however long the
   * chain). The map must not change while iterating (iterate an older map while changing a newer
   * copy).
   */
  public Iterator<Map.Entry<K, Entry<S>>> entries() {
    List<StateMap<K, S>> layers = new ArrayList<>(chainLength + 1);
    for (StateMap<K, S> m = this; m != null; m = m.parent) {
      layers.add(m);
    }
    return new Iterator<>() {
      private int layer = 0;
      private Iterator<Map.Entry<K, Entry<S>>> current = layers.get(0).delta.entrySet().iterator();
      /** The keys of the layers above the current one. */
      private final Set<K> newer = new HashSet<>();
      private Map.Entry<K, Entry<S>> next = advance();

      private Map.Entry<K, Entry<S>> advance() {
        while (true) {
          while (current.hasNext()) {
            Map.Entry<K, Entry<S>> e = current.next();
            if (e.getValue() != REMOVED && !inNewerLayer(e.getKey())) {
              return e;
            }
          }
          if (layer + 1 >= layers.size()) {
            return null;
          }
          newer.addAll(layers.get(layer).delta.keySet());
          current = layers.get(++layer).delta.entrySet().iterator();
        }
      }

      private boolean inNewerLayer(K key) {
        return layer > 0 && newer.contains(key);
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Map.Entry<K, Entry<S>> next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Map.Entry<K, Entry<S>> e = next;
        next = advance();
        return e;
      }
    };
  }

  // ---------------------------------------------------------------- serialization: live entries only

  @Override
  public void write(Kryo kryo, Output out) {
    out.writeInt(deltaChainThreshold, true);
    out.writeInt(size, true);
    for (Iterator<Map.Entry<K, Entry<S>>> it = entries(); it.hasNext(); ) {
      Map.Entry<K, Entry<S>> e = it.next();
      kryo.writeClassAndObject(out, e.getKey());
      kryo.writeClassAndObject(out, e.getValue().state());
      out.writeLong(e.getValue().updateTime());
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void read(Kryo kryo, Input in) {
    deltaChainThreshold = in.readInt(true);
    int n = in.readInt(true);
    HashMap<K, Entry<S>> all = new HashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
    for (int i = 0; i < n; i++) {
      K key = (K) kryo.readClassAndObject(in);
      S state = (S) kryo.readClassAndObject(in);
      all.put(key, new Entry<>(state, in.readLong()));
    }
    restore(all);
  }

  private void writeObject(ObjectOutputStream out) throws IOException {
    out.defaultWriteObject();
    out.writeInt(size);
    for (Iterator<Map.Entry<K, Entry<S>>> it = entries(); it.hasNext(); ) {
      Map.Entry<K, Entry<S>> e = it.next();
      out.writeObject(e.getKey());
      out.writeObject(e.getValue().state());
      out.writeLong(e.getValue().updateTime());
    }
  }

  @SuppressWarnings("unchecked")
  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    int n = in.readInt();
    HashMap<K, Entry<S>> all = new HashMap<>(Math.max(16, (int) (n / 0.75f) + 1));
    for (int i = 0; i < n; i++) {
      K key = (K) in.readObject();
      S state = (S) in.readObject();
      all.put(key, new Entry<>(state, in.readLong()));
    }
    restore(all);
  }

  private void restore(HashMap<K, Entry<S>> all) {
    parent = null;
    delta = all;
    chainLength = 0;
    size = all.size();
  }

  @Override
  public String toString() {
    return "StateMap(" + size + " keys, " + (chainLength + 1) + " layers)";
  }
}
