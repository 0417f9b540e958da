package org.rhythmsearch.features;

import java.util.concurrent.ConcurrentHashMap;

/**
 * A planned tempo rescaling of lag-indexed vectors ({@link PostProcessing#tempoScaled}): for one
 * configuration and factor, where each output value reads its input (the two neighbouring lags and
 * the interpolation weight) is computed once, so rescaling a vector is one pass of multiply-adds.
 * Plans are cached per configuration and factor.
 *
 * <p>Immutable; thread-safe.
 */
final class LagScaling {

  private static final ConcurrentHashMap<Key, LagScaling> CACHE = new ConcurrentHashMap<>();

  /** Cache key: records compare their fields, so equal configurations share plans. */
  private record Key(FeatureConfig config, double factor) {}
  /** Cached plans beyond which the cache is cleared (a few hundred factors are ever used). */
  private static final int CACHE_LIMIT = 4096;

  /** Per output value: the first of the two input values it reads. */
  private final int[] from;
  /** Per output value: the weight of input {@code from}. */
  private final float[] w0;
  /** Per output value: the second input it reads ({@code from + 1}, or {@code from} where its weight is 0). */
  private final int[] next;
  /** Per output value: the weight of input {@code next} (0 where {@code from + 1} is past the block). */
  private final float[] w1;

  private LagScaling(int[] from, float[] w0, float[] w1) {
    this.from = from;
    this.w0 = w0;
    this.w1 = w1;
    this.next = new int[from.length];
    for (int j = 0; j < from.length; j++) {
      next[j] = w1[j] == 0f ? from[j] : from[j] + 1;
    }
  }

  /** The plan for {@code config} (lag-indexed) and {@code factor} (> 0). */
  static LagScaling of(FeatureConfig config, double factor) {
    Key key = new Key(config, factor);
    LagScaling plan = CACHE.get(key);
    if (plan == null) {
      if (CACHE.size() >= CACHE_LIMIT) {
        CACHE.clear();
      }
      plan = CACHE.computeIfAbsent(key, k -> build(config, factor));
    }
    return plan;
  }

  private static LagScaling build(FeatureConfig config, double factor) {
    int n = config.dimension();
    int[] from = new int[n];
    float[] w0 = new float[n];
    float[] w1 = new float[n];
    int o = 0;
    for (int[] block : config.lagBlocks()) {
      int firstLag = block[0];
      int len = block[1];
      for (int i = 0; i < len; i++) {
        double pos = Math.max(0, (i + firstLag) / factor - firstLag);
        int i0 = (int) Math.floor(pos);
        from[o + i] = o + Math.min(i0, len - 1);
        if (i0 >= len - 1) { // past the last lag: 0, except exactly on it
          w0[o + i] = i0 == len - 1 && pos == i0 ? 1f : 0f;
          continue;
        }
        double f = pos - i0;
        w0[o + i] = (float) (1 - f);
        w1[o + i] = (float) f;
      }
      o += len;
    }
    return new LagScaling(from, w0, w1);
  }

  /** The rescaled vector, unit-normalised (left as it is when all zero). */
  float[] apply(float[] v) {
    float[] out = new float[v.length];
    float norm = applyInto(v, out, false);
    if (norm > 0 && !Float.isInfinite(norm)) {
      float inv = (float) (1 / (double) norm);
      for (int j = 0; j < out.length; j++) {
        out[j] *= inv;
      }
    }
    return out;
  }

  /**
   * Writes the rescaled vector into {@code out}, unit-normalised when {@code unit} (left as it is when
   * all zero), else as interpolated; returns the norm of the interpolated vector. One pass, four partial
   * sums of squares in double precision, so the loop does not wait on one chain of additions.
   */
  float applyInto(float[] v, float[] out, boolean unit) {
    int n = from.length;
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      float x0 = w0[j] * v[from[j]] + w1[j] * v[next[j]];
      float x1 = w0[j + 1] * v[from[j + 1]] + w1[j + 1] * v[next[j + 1]];
      float x2 = w0[j + 2] * v[from[j + 2]] + w1[j + 2] * v[next[j + 2]];
      float x3 = w0[j + 3] * v[from[j + 3]] + w1[j + 3] * v[next[j + 3]];
      out[j] = x0;
      out[j + 1] = x1;
      out[j + 2] = x2;
      out[j + 3] = x3;
      s0 += (double) x0 * x0;
      s1 += (double) x1 * x1;
      s2 += (double) x2 * x2;
      s3 += (double) x3 * x3;
    }
    for (; j < n; j++) {
      float x = w0[j] * v[from[j]] + w1[j] * v[next[j]];
      out[j] = x;
      s0 += (double) x * x;
    }
    s0 += s2;
    s1 += s3;
    float norm = (float) Math.sqrt(s0 + s1);
    if (unit && norm > 0 && !Float.isInfinite(norm)) {
      float inv = (float) (1 / (double) norm);
      for (j = 0; j < n; j++) {
        out[j] *= inv;
      }
    }
    return norm;
  }
}
