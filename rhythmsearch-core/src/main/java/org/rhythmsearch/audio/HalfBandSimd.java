package org.rhythmsearch.audio;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The half-band decimator's inner loop on the Vector API, one output per lane: the same floats as the
 * scalar loop in {@link Resampler}, since every lane makes the scalar loop's additions and
 * multiplications in its order (separate multiply and add, no fused multiply-add). Output {@code j}'s
 * centre is {@code c0 + 2j}, so its taps {@code c ± k} (k odd) lie on the other parity: both parities
 * are copied apart first, and each tap is then one contiguous load for all lanes.
 *
 * <p>Only loaded when the {@code jdk.incubator.vector} module is present ({@link Resampler}).
 */
final class HalfBandSimd {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  private HalfBandSimd() {}

  /**
   * Writes the first whole multiple of the lane count of {@code count} outputs, centred at {@code c0},
   * {@code c0 + 2}, … with every tap inside {@code in}, to {@code out[outOff …]}; returns how many (the
   * caller computes the rest).
   *
   * @param h the coefficients of the odd taps 1, 3, 5, … (index i for tap 2i + 1)
   */
  static int run(float[] h, float[] in, int c0, int count, float[] out, int outOff) {
    int lanes = S.length();
    int blocks = count / lanes * lanes;
    if (blocks == 0) {
      return 0;
    }
    int reach = 2 * h.length - 1; // odd: in[c0 - reach] has the taps' parity
    int lo = c0 - reach;
    float[] side = new float[reach + blocks]; // side[t] = in[lo + 2t]: the taps
    float[] mid = new float[(reach - 1) / 2 + blocks]; // mid[t] = in[lo + 1 + 2t]: the centres
    for (int t = 0; t < side.length; t++) {
      side[t] = in[lo + 2 * t];
    }
    for (int t = 0; t < mid.length; t++) {
      mid[t] = in[lo + 1 + 2 * t];
    }
    int centre = (reach - 1) / 2;
    int n = h.length;
    for (int b = 0; b < blocks; b += lanes) {
      FloatVector acc0 = FloatVector.fromArray(S, mid, centre + b).mul(0.5f);
      FloatVector acc1 = FloatVector.zero(S);
      int i = 0;
      for (; i + 1 < n; i += 2) {
        int k = 2 * i + 1;
        acc0 = acc0.add(FloatVector.fromArray(S, side, (reach - k) / 2 + b)
            .add(FloatVector.fromArray(S, side, (reach + k) / 2 + b)).mul(h[i]));
        acc1 = acc1.add(FloatVector.fromArray(S, side, (reach - k - 2) / 2 + b)
            .add(FloatVector.fromArray(S, side, (reach + k + 2) / 2 + b)).mul(h[i + 1]));
      }
      for (; i < n; i++) {
        int k = 2 * i + 1;
        acc0 = acc0.add(FloatVector.fromArray(S, side, (reach - k) / 2 + b)
            .add(FloatVector.fromArray(S, side, (reach + k) / 2 + b)).mul(h[i]));
      }
      acc0.add(acc1).intoArray(out, outOff + b);
    }
    return blocks;
  }
}
