package org.rhythmsearch.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link LagScaling}'s interpolation on the JDK Vector API. A rescaled lag axis reads its input along
 * runs: consecutive outputs whose two input lags lie at one distance behind (or ahead of) them, so a
 * run is a contiguous multiply-add of two shifted input slices with the weights (a gather of one value
 * per output otherwise, which the JDK 17 Vector API does not speed up). Each run is computed a whole
 * vector at a time from its first output; lanes past its end are overwritten by the next run, which
 * starts there. Each output is {@code w0 · v[a] + w1 · v[a + 1]} computed as the scalar loop does (two
 * products and a sum, no fused multiply-add), so the values are the scalar path's, bit for bit.
 *
 * <p>Only loadable when the {@code jdk.incubator.vector} module is present. Stateless.
 */
final class VectorLagKernel {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
  private static final VectorSpecies<Float> P = FloatVector.SPECIES_PREFERRED;

  private VectorLagKernel() {}

  /**
   * Writes {@code out[i] = w0[i] · v[i − shift] + w1[i] · v[i − shift + 1]} over each run ({@code
   * runStart[r]} to the next run's start, {@code shift = runShift[r]}); where a vector would leave the
   * arrays, the rest of the run goes through {@code from}/{@code next} one value at a time. Returns the
   * sum of squares of {@code out}.
   */
  static float interpolate(int[] runStart, int[] runShift, int[] from, int[] next, float[] w0, float[] w1, float[] v,
      float[] out) {
    int n = out.length;
    int lanes = S.length();
    for (int r = 0; r < runStart.length; r++) {
      int end = r + 1 < runStart.length ? runStart[r + 1] : n;
      int shift = runShift[r];
      int i = runStart[r];
      for (; i < end; i += lanes) {
        int a = i - shift;
        if (i + lanes > n || a < 0 || a + lanes + 1 > v.length) {
          break;
        }
        FloatVector x = FloatVector.fromArray(S, w0, i).mul(FloatVector.fromArray(S, v, a));
        FloatVector y = FloatVector.fromArray(S, w1, i).mul(FloatVector.fromArray(S, v, a + 1));
        x.add(y).intoArray(out, i);
      }
      for (; i < end; i++) {
        out[i] = w0[i] * v[from[i]] + w1[i] * v[next[i]];
      }
    }
    FloatVector s0 = FloatVector.zero(P);
    FloatVector s1 = s0;
    int bound = P.loopBound(n);
    int j = 0;
    for (; j + P.length() < bound; j += 2 * P.length()) {
      FloatVector x0 = FloatVector.fromArray(P, out, j);
      FloatVector x1 = FloatVector.fromArray(P, out, j + P.length());
      s0 = x0.fma(x0, s0);
      s1 = x1.fma(x1, s1);
    }
    float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; j < n; j++) {
      sum += out[j] * out[j];
    }
    return sum;
  }
}
