package io.tributary.streaming.internal.block;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A cheap, rough estimate of the heap an array of records takes: a few records, evenly spaced,
 * are measured (strings, arrays, boxed values and collections by their layout, other objects by
 * walking their fields a few levels deep, shared objects counted again) and their average stands
 * for every record. Errs on the high side for text (a string's characters count as two bytes when
 * any is outside Latin-1). Not exact: it bounds memory, it does not account for it.
 */
public final class SizeEstimate {
  private static final int SAMPLES = 8;
  private static final int MAX_DEPTH = 4;
  private static final int MAX_ELEMENTS = 16;
  private static final int HEADER = 16;
  private static final int REF = 8;
  private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

  private SizeEstimate() {}

  /** The estimated bytes of {@code records} and the array holding them. */
  public static long ofRecords(Object[] records) {
    int n = records.length;
    if (n == 0) {
      return HEADER;
    }
    int samples = Math.min(SAMPLES, n);
    long sampled = 0;
    for (int i = 0; i < samples; i++) {
      sampled += of(records[(int) ((long) i * n / samples)]);
    }
    return HEADER + (long) n * REF + sampled * n / samples;
  }

  /** The estimated bytes of one record. */
  public static long of(Object o) {
    return of(o, 0);
  }

  private static long of(Object o, int depth) {
    if (o == null) {
      return 0;
    }
    if (o instanceof String s) {
      boolean latin1 = true;
      for (int i = 0; i < s.length() && latin1; i++) {
        latin1 = s.charAt(i) < 256;
      }
      return HEADER + 8 + align(HEADER + (long) s.length() * (latin1 ? 1 : 2));
    }
    if (o instanceof Number || o instanceof Boolean || o instanceof Character) {
      return HEADER + 8;
    }
    Class<?> type = o.getClass();
    if (type.isArray()) {
      int length = Array.getLength(o);
      Class<?> component = type.getComponentType();
      if (component.isPrimitive()) {
        return align(HEADER + (long) length * primitiveSize(component));
      }
      return align(HEADER + (long) length * REF) + elements(o, length, depth);
    }
    if (depth >= MAX_DEPTH) {
      return HEADER + 16;
    }
    if (o instanceof Collection<?> c) {
      return HEADER + 32 + c.size() * (long) (REF + 16) + sampledSum(new ArrayList<>(limit(c)), c.size(), depth);
    }
    if (o instanceof Map<?, ?> m) {
      List<Object> parts = new ArrayList<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (parts.size() >= 2 * MAX_ELEMENTS) {
          break;
        }
        parts.add(e.getKey());
        parts.add(e.getValue());
      }
      return HEADER + 48 + m.size() * (long) (REF + 32) + sampledSum(parts, 2L * m.size(), depth);
    }
    long size = HEADER;
    for (Field f : fields(type)) {
      if (f.getType().isPrimitive()) {
        size += primitiveSize(f.getType());
      } else {
        size += REF;
        try {
          size += of(f.get(o), depth + 1);
        } catch (IllegalAccessException e) {
          size += HEADER;
        }
      }
    }
    return align(size);
  }

  private static long elements(Object array, int length, int depth) {
    List<Object> sample = new ArrayList<>();
    for (int i = 0, step = Math.max(1, length / MAX_ELEMENTS); i < length && sample.size() < MAX_ELEMENTS; i += step) {
      sample.add(Array.get(array, i));
    }
    return sampledSum(sample, length, depth);
  }

  private static List<Object> limit(Collection<?> c) {
    List<Object> sample = new ArrayList<>();
    for (Object e : c) {
      if (sample.size() >= MAX_ELEMENTS) {
        break;
      }
      sample.add(e);
    }
    return sample;
  }

  /** The measured size of {@code sample}, scaled to {@code total} elements. */
  private static long sampledSum(List<Object> sample, long total, int depth) {
    if (sample.isEmpty()) {
      return 0;
    }
    long sum = 0;
    for (Object e : sample) {
      sum += of(e, depth + 1);
    }
    return sum * total / sample.size();
  }

  private static List<Field> fields(Class<?> type) {
    return FIELDS.computeIfAbsent(type, t -> {
      List<Field> fields = new ArrayList<>();
      for (Class<?> c = t; c != null && c != Object.class; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers())) {
            continue;
          }
          try {
            f.setAccessible(true);
          } catch (RuntimeException inaccessible) {
            // a JDK-internal field: get() fails and the field counts as a small object
          }
          fields.add(f);
        }
      }
      return fields;
    });
  }

  private static int primitiveSize(Class<?> type) {
    if (type == long.class || type == double.class) {
      return 8;
    }
    if (type == int.class || type == float.class) {
      return 4;
    }
    return type == short.class || type == char.class ? 2 : 1;
  }

  private static long align(long bytes) {
    return (bytes + 7) & ~7L;
  }
}
