package io.tributary.streaming.internal.block;

import java.util.Arrays;
import java.util.Iterator;

/** A block of records as objects; {@code values} is taken over, not copied. */
public record RecordBlock(Object[] values) implements Block {

  @Override
  public int count() {
    return values.length;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Iterator<T> records() {
    return (Iterator<T>) Arrays.asList(values).iterator();
  }

  @Override
  public Object serializable() {
    return values;
  }
}
