package io.segfx.spark;

import java.util.Arrays;

/**
 * A map from long keys to values by open addressing with linear probing (Knuth, "The Art of
 * Computer Programming", vol. 3, section 6.4, algorithm L), for the scan's per-row look-ups: no
 * boxed key, and one probe of a flat array in the common case. Not thread-safe.
 *
 * @param <V> the values; never null
 */
final class LongMap<V> {
  /** Fill above which the table doubles: linear probing stays short below about 1/2. */
  private static final double LOAD = 0.5;

  private long[] keys;
  private Object[] values;
  private int size;
  private int mask;

  LongMap() {
    allocate(16);
  }

  private void allocate(int capacity) {
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    size = 0;
  }

  /** Entries held. */
  int size() {
    return size;
  }

  /** The value of {@code key}, or null. */
  @SuppressWarnings("unchecked")
  V get(long key) {
    for (int i = slot(key); ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) v;
      }
    }
  }

  /**
   * Puts {@code value} under {@code key}, replacing any value there.
   *
   * @throws NullPointerException if value is null
   */
  void put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    if (size + 1 > LOAD * keys.length) {
      long[] oldKeys = keys;
      Object[] oldValues = values;
      allocate(2 * keys.length);
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldValues[i] != null) {
          insert(oldKeys[i], oldValues[i]);
        }
      }
    }
    insert(key, value);
  }

  private void insert(long key, Object value) {
    for (int i = slot(key); ; i = (i + 1) & mask) {
      if (values[i] == null) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
  }

  /** What {@link #removeIf} asks of each entry. */
  @FunctionalInterface
  interface EntryTest<V> {
    boolean test(long key, V value);
  }

  /**
   * Removes every entry that passes {@code remove}, which sees each entry once, in table order;
   * when any goes, the rest are put back into a fresh table of the same capacity (a smaller one,
   * filled in the old one's slot order, would cluster).
   */
  @SuppressWarnings("unchecked")
  void removeIf(EntryTest<? super V> remove) {
    int removed = 0;
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null && remove.test(keys[i], (V) values[i])) {
        values[i] = null;
        removed++;
      }
    }
    if (removed == 0) {
      return;
    }
    long[] oldKeys = keys;
    Object[] oldValues = values;
    allocate(oldKeys.length);
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        insert(oldKeys[i], oldValues[i]);
      }
    }
  }

  /** The values, in table order. */
  @SuppressWarnings("unchecked")
  Iterable<V> values() {
    Object[] held = Arrays.stream(values).filter(v -> v != null).toArray();
    return () -> Arrays.stream(held).map(v -> (V) v).iterator();
  }

  /** The home slot of a key ({@link #mix}). */
  private int slot(long key) {
    return (int) mix(key) & mask;
  }

  /**
   * MurmurHash3's 64-bit finaliser (Appleby, smhasher): every output bit depends on every input
   * bit, so that keys that differ in their high half only (cells of one segment) still spread over
   * the low bits a mask keeps.
   */
  static long mix(long h) {
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
