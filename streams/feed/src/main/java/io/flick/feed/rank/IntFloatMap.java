package io.flick.feed.rank;

import java.util.Arrays;

/**
 * int → float with open addressing, no boxing: the co-engagement index holds millions of these
 * entries and updates tens of them per interaction. Keys are non-negative. Not thread-safe.
 */
final class IntFloatMap {
  private static final int FREE = -1;

  private int[] keys;
  private float[] values;
  private int size;

  IntFloatMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
    keys = new int[capacity];
    values = new float[capacity];
    Arrays.fill(keys, FREE);
  }

  int size() {
    return size;
  }

  float get(int key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        return values[i];
      }
      if (k == FREE) {
        return 0f;
      }
    }
  }

  void add(int key, float delta) {
    if ((size + 1) * 4 > keys.length * 3) {
      rehash(keys.length * 2);
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      int k = keys[i];
      if (k == key) {
        values[i] += delta;
        return;
      }
      if (k == FREE) {
        keys[i] = key;
        values[i] = delta;
        size++;
        return;
      }
    }
  }

  /** Calls {@code visitor} for each entry. */
  void forEach(Visitor visitor) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != FREE) {
        visitor.visit(keys[i], values[i]);
      }
    }
  }

  /** Keeps the {@code keep} entries with the highest values. */
  void retainTop(int keep) {
    if (size <= keep) {
      return;
    }
    float[] sorted = new float[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (keys[i] != FREE) {
        sorted[n++] = values[i];
      }
    }
    Arrays.sort(sorted);
    float threshold = sorted[size - keep];
    int[] oldKeys = keys;
    float[] oldValues = values;
    int capacity = Integer.highestOneBit(Math.max(4, keep * 2 - 1)) << 1;
    keys = new int[capacity];
    values = new float[capacity];
    Arrays.fill(keys, FREE);
    size = 0;
    for (int i = 0; i < oldKeys.length && size < keep; i++) {
      if (oldKeys[i] != FREE && oldValues[i] > threshold) {
        add(oldKeys[i], oldValues[i]);
      }
    }
    for (int i = 0; i < oldKeys.length && size < keep; i++) {
      if (oldKeys[i] != FREE && oldValues[i] == threshold) {
        add(oldKeys[i], oldValues[i]);
      }
    }
  }

  private void rehash(int capacity) {
    int[] oldKeys = keys;
    float[] oldValues = values;
    keys = new int[capacity];
    values = new float[capacity];
    Arrays.fill(keys, FREE);
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != FREE) {
        add(oldKeys[i], oldValues[i]);
      }
    }
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }

  interface Visitor {
    void visit(int key, float value);
  }
}
