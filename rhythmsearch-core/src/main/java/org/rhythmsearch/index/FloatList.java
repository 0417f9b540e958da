package org.rhythmsearch.index;

import java.util.Arrays;

/** A growable list of floats without boxing (first-pass scores, beside an {@link IntList} of rows). Not thread-safe. */
final class FloatList {
  private float[] a = new float[256];
  private int n;

  void add(float v) {
    if (n == a.length) {
      a = Arrays.copyOf(a, n * 2);
    }
    a[n++] = v;
  }

  float[] toArray() {
    return Arrays.copyOf(a, n);
  }
}
