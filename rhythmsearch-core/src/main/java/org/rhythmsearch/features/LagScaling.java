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
  /** Per output value: the weight of input {@code from + 1} (0 where that is past the block). */
  private final float[] w1;

  private LagScaling(int[] from, float[] w0, float[] w1) {
    this.from = from;
    this.w0 = w0;
    this.w1 = w1;
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
    int n = v.length;
    float[] out = new float[n];
    double ss = 0;
    for (int j = 0; j < n; j++) {
      int i = from[j];
      float x = w0[j] * v[i] + (w1[j] == 0f ? 0f : w1[j] * v[i + 1]);
      out[j] = x;
      ss += (double) x * x;
    }
    double norm = Math.sqrt(ss);
    if (norm > 0 && !Double.isInfinite(norm)) {
      float inv = (float) (1 / norm);
      for (int j = 0; j < n; j++) {
        out[j] *= inv;
      }
    }
    return out;
  }
}
