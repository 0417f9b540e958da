package org.rhythmsearch.util;

import java.util.Arrays;

/** Small operations on arrays of row ids. Stateless; thread-safe. */
public final class IntArrays {

  private IntArrays() {}

  /** The distinct values of all {@code parts}, ascending. */
  public static int[] sortedUnion(int[]... parts) {
    int n = 0;
    for (int[] p : parts) {
      n += p.length;
    }
    int[] all = new int[n];
    int o = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, all, o, p.length);
      o += p.length;
    }
    Arrays.sort(all);
    int m = 0;
    for (int i = 0; i < n; i++) {
      if (m == 0 || all[i] != all[m - 1]) {
        all[m++] = all[i];
      }
    }
    return Arrays.copyOf(all, m);
  }
}
