package org.rhythmsearch.index;

import java.util.Arrays;

/**
 * The lists of an {@link IvfIndex} by decreasing score of their centroid (equal scores by increasing
 * list), put in order only as far as a probe reads: the first {@code head} at once (selected in linear
 * time, then sorted), the rest on first need. A probe reads a few dozen of a thousand lists, so sorting
 * all of them was most of the cost of ranking them.
 *
 * <p>Not thread-safe (one probe's).
 */
final class ListOrder {

  /** Per list, (score, list) packed so that ascending keys are descending scores, then ascending lists. */
  private final long[] keys;
  /** Keys {@code [0, sorted)} are in their final order. */
  private int sorted;

  /** The order of {@code scores} (no NaN; -0 counts as 0), its first {@code head} positions ready. */
  ListOrder(float[] scores, int head) {
    keys = new long[scores.length];
    for (int l = 0; l < scores.length; l++) {
      int bits = Float.floatToIntBits(scores[l] == 0f ? 0f : scores[l]); // -0 sorts as 0
      int ascending = bits ^ ((bits >> 31) & 0x7fffffff); // the order of the floats, as ints
      keys[l] = ((long) ~ascending << 32) | l;
    }
    int h = Math.max(0, Math.min(head, keys.length));
    if (h < keys.length) {
      select(keys, h);
    }
    Arrays.sort(keys, 0, h);
    sorted = h;
  }

  /** The number of lists. */
  int size() {
    return keys.length;
  }

  /** The list at position {@code i} of the order. */
  int get(int i) {
    if (i >= sorted) {
      Arrays.sort(keys, sorted, keys.length);
      sorted = keys.length;
    }
    return (int) keys[i];
  }

  /** Every list in order: {@link #get} of each position. */
  static int[] descending(float[] scores) {
    ListOrder o = new ListOrder(scores, scores.length);
    int[] out = new int[o.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = o.get(i);
    }
    return out;
  }

  /** Moves the {@code h} smallest keys (0 < h < length) to {@code [0, h)}, in any order (quickselect). */
  private static void select(long[] a, int h) {
    int lo = 0;
    int hi = a.length - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      long pivot = median(a[lo], a[mid], a[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          long t = a[i];
          a[i++] = a[j];
          a[j--] = t;
        }
      }
      // [lo, j] <= pivot <= [i, hi]; keys are distinct (each holds its list)
      if (h - 1 <= j) {
        hi = j;
      } else if (h - 1 >= i) {
        lo = i;
      } else {
        return;
      }
    }
  }

  private static long median(long a, long b, long c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }
}
