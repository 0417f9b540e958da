package org.rhythmsearch.features;

/**
 * Triangular mel filterbank on the Slaney mel scale with Slaney (area) normalisation, identical to
 * {@code librosa.filters.mel(sr, n_fft, n_mels)} with its defaults (fmin 0, fmax sr/2, htk=False,
 * norm='slaney'). Stored sparsely: each band keeps only its non-zero FFT bins.
 *
 * <p>Mel scale (Slaney, Auditory Toolbox): linear below 1000 Hz,
 * {@code mel = f / (200/3)}; logarithmic above, {@code mel = 15 + ln(f / 1000) / (ln(6.4) / 27)}.
 *
 * <p>Immutable; thread-safe.
 */
public final class MelFilterbank {

  private static final double F_SP = 200.0 / 3;
  private static final double MIN_LOG_HZ = 1000.0;
  private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
  private static final double LOG_STEP = Math.log(6.4) / 27.0;

  private final int sampleRate;
  private final int nFft;
  private final int nMels;
  private final int[] firstBin;
  private final float[][] weights;

  /**
   * @param sampleRate sample rate in Hz, positive
   * @param nFft FFT length in samples, {@code >= 2}
   * @param nMels number of mel bands, in [1, nFft/2 + 1]
   */
  public MelFilterbank(int sampleRate, int nFft, int nMels) {
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive; sampleRate=" + sampleRate);
    }
    if (nFft < 2) {
      throw new IllegalArgumentException("nFft must be >= 2; nFft=" + nFft);
    }
    int bins = nFft / 2 + 1;
    if (nMels < 1 || nMels > bins) {
      throw new IllegalArgumentException("nMels must be in [1, " + bins + "]; nMels=" + nMels);
    }
    this.sampleRate = sampleRate;
    this.nFft = nFft;
    this.nMels = nMels;
    double[][] dense = dense(sampleRate, nFft, nMels);
    firstBin = new int[nMels];
    weights = new float[nMels][];
    for (int m = 0; m < nMels; m++) {
      int lo = 0;
      while (lo < bins && dense[m][lo] == 0) {
        lo++;
      }
      int hi = bins - 1;
      while (hi >= lo && dense[m][hi] == 0) {
        hi--;
      }
      firstBin[m] = Math.min(lo, bins - 1);
      weights[m] = new float[Math.max(0, hi - lo + 1)];
      for (int k = lo; k <= hi; k++) {
        weights[m][k - lo] = (float) dense[m][k];
      }
    }
  }

  /** The full {@code nMels × (nFft/2 + 1)} matrix in double precision, as librosa computes it. */
  public static double[][] dense(int sampleRate, int nFft, int nMels) {
    int bins = nFft / 2 + 1;
    double[] fftFreqs = new double[bins];
    for (int k = 0; k < bins; k++) {
      fftFreqs[k] = k * (sampleRate / 2.0) / (bins - 1);
    }
    double melMax = hzToMel(sampleRate / 2.0);
    double[] melF = new double[nMels + 2];
    for (int i = 0; i < nMels + 2; i++) {
      melF[i] = melToHz(melMax * i / (nMels + 1));
    }
    double[][] w = new double[nMels][bins];
    for (int m = 0; m < nMels; m++) {
      double lowerWidth = melF[m + 1] - melF[m];
      double upperWidth = melF[m + 2] - melF[m + 1];
      double enorm = 2.0 / (melF[m + 2] - melF[m]);
      for (int k = 0; k < bins; k++) {
        double lower = -(melF[m] - fftFreqs[k]) / lowerWidth;
        double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
        w[m][k] = Math.max(0, Math.min(lower, upper)) * enorm;
      }
    }
    return w;
  }

  /** Hz to mels on the Slaney scale. */
  public static double hzToMel(double hz) {
    return hz < MIN_LOG_HZ ? hz / F_SP : MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP;
  }

  /** Mels to Hz on the Slaney scale. */
  public static double melToHz(double mel) {
    return mel < MIN_LOG_MEL ? mel * F_SP : MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL));
  }

  public int sampleRate() {
    return sampleRate;
  }

  public int nFft() {
    return nFft;
  }

  public int nMels() {
    return nMels;
  }

  /** First FFT bin of band {@code m}'s non-zero weights. */
  int firstBin(int m) {
    return firstBin[m];
  }

  /** Band {@code m}'s non-zero weights, from {@link #firstBin(int)} on (shared: do not modify). */
  float[] weights(int m) {
    return weights[m];
  }

  /**
   * Applies the filterbank to one power spectrum ({@code nFft/2 + 1} bins) and writes the band
   * energies into {@code out[outPos .. outPos + nMels)}.
   */
  public void apply(float[] power, float[] out, int outPos) {
    for (int m = 0; m < nMels; m++) {
      float[] w = weights[m];
      int k0 = firstBin[m];
      float acc = 0f;
      for (int i = 0; i < w.length; i++) {
        acc += w[i] * power[k0 + i];
      }
      out[outPos + m] = acc;
    }
  }
}
