package org.rhythmsearch.features;

import java.util.SplittableRandom;

/**
 * The vector arithmetic every stage shares, written once: Euclidean norms (summed in double
 * precision), unit scaling in place, a seeded partial shuffle, and whether the JDK Vector API is
 * present.
 *
 * <p>Stateless; thread-safe.
 */
public final class Vectors {

  private Vectors() {}

  /** The cosine of two vectors of one length; 0 when either is all zero. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
  }

  /** The Euclidean norm of {@code v}. */
  public static double norm(float[] v) {
    return norm(v, 0, v.length);
  }

  /** The Euclidean norm of {@code v[from .. from + length)}. */
  public static double norm(float[] v, int from, int length) {
    double ss = 0;
    for (int j = from, end = from + length; j < end; j++) {
      ss += (double) v[j] * v[j];
    }
    return Math.sqrt(ss);
  }

  /** Scales {@code v[from .. from + length)} to unit norm in place (a zero vector stays zero). */
  public static void normalizeInPlace(float[] v, int from, int length) {
    double n = norm(v, from, length);
    float inv = n > 0 ? (float) (1 / n) : 0f;
    for (int j = from, end = from + length; j < end; j++) {
      v[j] *= inv;
    }
  }

  /**
   * The indices 0 … n−1 after a seeded partial Fisher–Yates shuffle of their first {@code count}
   * places: {@code count} distinct indices chosen at random stand first.
   */
  public static int[] partialShuffle(int n, int count, SplittableRandom rnd) {
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      idx[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + rnd.nextInt(n - i);
      int t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
    return idx;
  }

  /** Whether the JDK's Vector API module ({@code jdk.incubator.vector}) is in this JVM. */
  public static boolean vectorApiPresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }
}
