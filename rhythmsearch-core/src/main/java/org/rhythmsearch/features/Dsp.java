package org.rhythmsearch.features;

/** Small DSP pieces the feature code shares: the periodic Hann window and power from a packed real FFT. */
final class Dsp {

  private Dsp() {}

  /** The periodic Hann window of length {@code n} at {@code i}: {@code 0.5 − 0.5·cos(2πi/n)}. */
  static double hann(int i, int n) {
    return 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
  }

  /**
   * The power spectrum of a real FFT of even length {@code n} in JTransforms' packed layout
   * ({@code [0] = Re 0, [1] = Re n/2, [2k] = Re k, [2k+1] = Im k}): {@code power[k] = Re² + Im²} for
   * k = 0 … n/2, in single precision.
   */
  static void power(float[] packed, int n, float[] power) {
    int half = n / 2;
    power[0] = packed[0] * packed[0];
    power[half] = packed[1] * packed[1];
    for (int k = 1; k < half; k++) {
      float re = packed[2 * k];
      float im = packed[2 * k + 1];
      power[k] = re * re + im * im;
    }
  }
}
