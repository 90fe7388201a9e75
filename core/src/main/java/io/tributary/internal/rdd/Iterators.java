package io.tributary.internal.rdd;

import io.tributary.function.FlatMapFunction;
import io.tributary.function.Function;
import io.tributary.internal.Sneaky;
import java.util.Collections;
import java.util.Iterator;
import java.util.NoSuchElementException;

/** Lazy element-wise iterators for map, filter and flatMap; no intermediate collections. */
public final class Iterators {
  private Iterators() {}

  public static <T, U> Iterator<U> map(Iterator<T> in, Function<T, U> f) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return in.hasNext();
      }

      @Override
      public U next() {
        try {
          return f.call(in.next());
        } catch (Exception e) {
          throw Sneaky.rethrow(e);
        }
      }
    };
  }

  public static <T> Iterator<T> filter(Iterator<T> in, Function<T, Boolean> keep) {
    return new Iterator<>() {
      private T next;
      private boolean ready;

      @Override
      public boolean hasNext() {
        try {
          while (!ready && in.hasNext()) {
            T candidate = in.next();
            if (keep.call(candidate)) {
              next = candidate;
              ready = true;
            }
          }
          return ready;
        } catch (Exception e) {
          throw Sneaky.rethrow(e);
        }
      }

      @Override
      public T next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        T result = next;
        next = null;
        return result;
      }
    };
  }

  public static <T, U> Iterator<U> flatMap(Iterator<T> in, FlatMapFunction<T, U> f) {
    return new Iterator<>() {
      private Iterator<U> current = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        try {
          while (!current.hasNext()) {
            if (!in.hasNext()) {
              return false;
            }
            Iterator<U> produced = f.call(in.next());
            current = produced == null ? Collections.emptyIterator() : produced;
          }
          return true;
        } catch (Exception e) {
          throw Sneaky.rethrow(e);
        }
      }

      @Override
      public U next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /**
   * The lines of {@code reader}, read as the iterator is walked; the reader is closed once the
   * last line was read. A read error is rethrown unchecked, naming {@code source}.
   */
  public static Iterator<String> lines(java.io.BufferedReader reader, String source) {
    return new Iterator<>() {
      private String next;
      private boolean done;

      @Override
      public boolean hasNext() {
        if (next == null && !done) {
          try {
            next = reader.readLine();
            if (next == null) {
              done = true;
              reader.close();
            }
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Cannot read '" + source + "'", e);
          }
        }
        return next != null;
      }

      @Override
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        String line = next;
        next = null;
        return line;
      }
    };
  }
}
