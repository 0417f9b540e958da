package org.rhythmsearch.features;

/**
 * A fast base-2 logarithm for positive normal floats, for the dB compression of mel power
 * (55 000 logarithms per 10-s excerpt, where {@code Math.log10} cost a tenth of the extraction time).
 * Exponent from the float's bits; log2 of the mantissa m in [1, 2) from the series
 * {@code log2 m = (2 / ln 2)(t + t³/3 + … + t¹¹/11)}, {@code t = (m − 1)/(m + 1)} ∈ [0, 1/3];
 * error below 2e-6 plus two float ulps of the result (under 2e-5 dB for mel power). Tested against {@code Math.log}.
 *
 * <p>Stateless; thread-safe.
 */
final class FastLog {

  private static final float TWO_OVER_LN2 = (float) (2 / Math.log(2));
  /** 10·log10(2): dB per unit of log2 power. */
  static final float DB_PER_LOG2 = (float) (10 * Math.log10(2));

  private FastLog() {}

  /** log2(x) for positive normal {@code x} (callers clamp to a positive floor first). */
  static float log2(float x) {
    int bits = Float.floatToRawIntBits(x);
    int exponent = ((bits >>> 23) & 0xFF) - 127;
    float m = Float.intBitsToFloat((bits & 0x007FFFFF) | 0x3F800000);
    float t = (m - 1f) / (m + 1f);
    float t2 = t * t;
    float series = t * (1f + t2 * (1f / 3 + t2 * (1f / 5 + t2 * (1f / 7 + t2 * (1f / 9 + t2 * (1f / 11))))));
    return exponent + TWO_OVER_LN2 * series;
  }
}
