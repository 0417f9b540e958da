package org.rhythmsearch.features;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Post-processing of rhythm vectors: detrending, FBSC, normalisation. Pure functions returning new
 * arrays.
 *
 * <p>Stateless; thread-safe.
 */
public final class PostProcessing {

  private PostProcessing() {}

  /**
   * Subtracts a centred moving average of {@code width} values (the window shrinks at the ends), which
   * removes the slow decay every beat spectrum shares and keeps its periodic peaks.
   *
   * @param width window width in values, odd is centred exactly; {@code <= 1} returns a copy
   */
  public static float[] detrend(float[] x, int width) {
    float[] out = x.clone();
    if (width <= 1) {
      return out;
    }
    int half = width / 2;
    double[] prefix = new double[x.length + 1];
    for (int i = 0; i < x.length; i++) {
      prefix[i + 1] = prefix[i] + x[i];
    }
    for (int i = 0; i < x.length; i++) {
      int lo = Math.max(0, i - half);
      int hi = Math.min(x.length, i + half + 1);
      out[i] = (float) (x[i] - (prefix[hi] - prefix[lo]) / (hi - lo));
    }
    return out;
  }

  /**
   * Fourier beat spectral coefficients (after Foote, Cooper &amp; Nam 2002, section 2.3). Recipe
   * implemented here: take the beat spectrum without lag 0 (always the maximum), subtract its mean,
   * apply a periodic Hann window, zero-pad to {@value FeatureConfig#FBSC_FFT} values, take the
   * magnitude of the real FFT, and keep {@code log(|X_k| + 1e-3·max|X|)} for bins k = 1…count
   * (bin k is a periodicity of k / {@value FeatureConfig#FBSC_FFT} cycles per lag frame). The result is
   * mean-removed; the caller normalises it.
   *
   * @param plan an FFT of length {@value FeatureConfig#FBSC_FFT} (not thread-safe to share)
   */
  public static float[] fbsc(float[] beatSpectrum, int count, FloatFFT_1D plan) {
    int n = FeatureConfig.FBSC_FFT;
    if (count < 1 || count >= n / 2) {
      throw new IllegalArgumentException("count must be in [1, " + (n / 2 - 1) + "]; count=" + count);
    }
    int len = Math.min(beatSpectrum.length - 1, n);
    if (len < 2) {
      throw new IllegalArgumentException("beat spectrum too short for FBSC: " + beatSpectrum.length + " lags");
    }
    double mean = 0;
    for (int i = 1; i <= len; i++) {
      mean += beatSpectrum[i];
    }
    mean /= len;
    float[] a = new float[n];
    for (int i = 0; i < len; i++) {
      double w = Dsp.hann(i, len);
      a[i] = (float) ((beatSpectrum[i + 1] - mean) * w);
    }
    plan.realForward(a);
    double[] mag = new double[count];
    double max = 0;
    for (int k = 1; k <= count; k++) {
      mag[k - 1] = Math.hypot(a[2 * k], a[2 * k + 1]);
      max = Math.max(max, mag[k - 1]);
    }
    float[] out = new float[count];
    double floor = max > 0 ? 1e-3 * max : 1e-12;
    double sum = 0;
    for (int k = 0; k < count; k++) {
      out[k] = (float) Math.log(mag[k] + floor);
      sum += out[k];
    }
    float m = (float) (sum / count);
    for (int k = 0; k < count; k++) {
      out[k] -= m;
    }
    return out;
  }

  /**
   * The vector a lag-indexed descriptor would have if the music were {@code factor} times slower
   * (factor &gt; 1) or faster: every value at lag l is read from lag l / factor of {@code v} by linear
   * interpolation (0 past the last lag), block by block ({@link FeatureConfig#lagBlocks()}); unit-normalised. Undoes a
   * tempo change of 1/factor, so searching with several factors makes retrieval tempo-tolerant.
   *
   * @throws IllegalArgumentException when the configuration is not lag-indexed or the length differs
   */
  public static float[] tempoScaled(FeatureConfig config, float[] v, double factor) {
    check(config, v, factor, v);
    return LagScaling.of(config, factor).apply(v);
  }

  /**
   * The direction of {@link #tempoScaled} without its normalisation, written into {@code out} (of the
   * same length) without allocating: for cosines, which divide by the norm anyway. Returns the norm of
   * what it wrote.
   *
   * @throws IllegalArgumentException as {@link #tempoScaled}, or when {@code out} has another length
   */
  public static float tempoScaledUnnormalised(FeatureConfig config, float[] v, double factor, float[] out) {
    check(config, v, factor, out);
    return LagScaling.of(config, factor).applyInto(v, out, false);
  }

  private static void check(FeatureConfig config, float[] v, double factor, float[] out) {
    if (!config.lagIndexed()) {
      throw new IllegalArgumentException("feature " + config.id() + " is not lag-indexed; tempo scaling needs a beat "
          + "spectrum or onset pattern");
    }
    if (v.length != config.dimension() || out.length != v.length) {
      throw new IllegalArgumentException("vector length " + v.length + " (out " + out.length + ") is not the dimension "
          + config.dimension() + " of " + config.id());
    }
    if (!(factor > 0)) {
      throw new IllegalArgumentException("factor must be > 0; factor=" + factor);
    }
  }

  /**
   * {@code a} and {@code b} concatenated, each scaled to norm √½ (a block that is all zero stays zero),
   * so that under cosine similarity each block weighs half.
   */
  public static float[] halfEnergyEach(float[] a, float[] b) {
    float[] out = new float[a.length + b.length];
    double na = Vectors.norm(a);
    double nb = Vectors.norm(b);
    double half = Math.sqrt(0.5);
    for (int i = 0; i < a.length; i++) {
      out[i] = na > 0 ? (float) (a[i] / na * half) : 0f;
    }
    for (int i = 0; i < b.length; i++) {
      out[a.length + i] = nb > 0 ? (float) (b[i] / nb * half) : 0f;
    }
    return out;
  }

  /**
   * A unit-L2-norm copy, or null when the norm is zero or not finite (nothing to compare).
   */
  public static float[] unitNormalize(float[] x) {
    double n = Vectors.norm(x);
    if (!(n > 0) || Double.isInfinite(n)) {
      return null;
    }
    float[] out = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      out[i] = (float) (x[i] / n);
    }
    return out;
  }
}
