package org.rhythmsearch.features;

import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Onset-pattern rhythm descriptors (after Pohle et al., "On rhythm and general music similarity",
 * ISMIR 2009, and the onset-strength envelopes of Ellis 2007 / librosa's {@code onset_strength}).
 *
 * <p>Per excerpt: the half-wave-rectified first difference of the dB mel spectrogram (spectral flux,
 * an onset-strength signal) is averaged within {@code bands} contiguous groups of mel bands. Each
 * band's envelope, mean removed, is autocorrelated over lags 0…L (zero-padded FFT; the biased
 * estimate, i.e. every lag divided by N, which tapers long lags; then divided by lag 0, so every band
 * has equal weight). The biased estimate scored best on the tuning half of the demo corpus
 * (docs/EVALUATION.md).
 *
 * <ul>
 *   <li>{@link Descriptor#ONSET_PATTERN}: each band's autocorrelation, detrended like the beat
 *       spectrum, lags 1…L, concatenated.</li>
 *   <li>{@link Descriptor#ONSET_LOGLAG}: each band's autocorrelation resampled at
 *       {@value #LOG_LAG_POINTS} log-spaced lags from {@value #LOG_LAG_MIN_SECONDS} s to the largest lag
 *       (linear interpolation), mean removed, Hann-windowed; the magnitudes of its DFT bins 1…P/2 are the
 *       descriptor. A tempo change by a factor a scales lags by 1/a, i.e. shifts the log-lag axis, which
 *       moves the phase, not the magnitude, of the DFT (up to edge effects): tempo-robust, at the cost
 *       of losing where on the lag axis the pattern sits.</li>
 * </ul>
 *
 * <p>Not thread-safe (FFT plans and scratch); one per thread.
 */
final class OnsetPatterns {

  /** Points on the log-lag axis. */
  static final int LOG_LAG_POINTS = 64;
  /** Smallest lag of the log-lag axis, seconds. */
  static final double LOG_LAG_MIN_SECONDS = 0.1;

  private FloatFFT_1D acfPlan;
  private int acfSize;
  private final FloatFFT_1D logLagPlan = new FloatFFT_1D(LOG_LAG_POINTS);

  /** The descriptor of a compressed (dB) mel spectrogram. */
  float[] describe(MelSpectrogram db, FeatureConfig config) {
    int maxLag = Math.min(config.maxLagFrames(), db.frames() - 1);
    float[][] env = envelopes(db, config.bands());
    float[][] acf = new float[env.length][];
    for (int b = 0; b < env.length; b++) {
      acf[b] = autocorrelation(env[b], maxLag);
    }
    if (config.descriptor() == Descriptor.ONSET_LOGLAG) {
      return logLag(acf, config.secondsPerLag());
    }
    int keep = config.descriptor() == Descriptor.ONSET_BEAT ? Math.min(config.onsetMaxLagFrames(), maxLag) : maxLag;
    return pattern(acf, config.detrendLags(), keep);
  }

  /**
   * Onset strength per sub-band: the half-wave-rectified first difference of the dB mel spectrogram
   * averaged within {@code bands} contiguous groups of mel bands; one envelope per band, one value per
   * frame (frame 0 is 0).
   */
  static float[][] envelopes(MelSpectrogram db, int bands) {
    int frames = db.frames();
    int mels = db.mels();
    float[][] env = new float[bands][frames];
    float[] data = db.data();
    for (int t = 1; t < frames; t++) {
      int o = t * mels;
      int p = o - mels;
      for (int b = 0; b < bands; b++) {
        int lo = b * mels / bands;
        int hi = (b + 1) * mels / bands;
        float sum = 0f;
        for (int m = lo; m < hi; m++) {
          float d = data[o + m] - data[p + m];
          if (d > 0) {
            sum += d;
          }
        }
        env[b][t] = sum / (hi - lo);
      }
    }
    return env;
  }

  /** Normalised, mean-removed, biased autocorrelation r(l)/r(0), l = 0…maxLag (zeros for a flat envelope). */
  float[] autocorrelation(float[] x, int maxLag) {
    int n = x.length;
    int size = 16;
    while (size < n + maxLag + 1) {
      size <<= 1;
    }
    if (size != acfSize) {
      acfPlan = new FloatFFT_1D(size);
      acfSize = size;
    }
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= n;
    float[] a = new float[size];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (x[i] - mean);
    }
    acfPlan.realForward(a);
    int half = size / 2;
    float[] power = new float[half + 1];
    Dsp.power(a, size, power);
    a[0] = power[0];
    a[1] = power[half];
    for (int k = 1; k < half; k++) {
      a[2 * k] = power[k];
      a[2 * k + 1] = 0f;
    }
    acfPlan.realInverse(a, true);
    float[] r = new float[maxLag + 1];
    float r0 = a[0] / n;
    if (!(r0 > 0)) {
      return r;
    }
    for (int l = 0; l <= maxLag; l++) {
      r[l] = a[l] / n / r0;
    }
    return r;
  }

  /** Each band's autocorrelation, detrended over all its lags, then lags 1 … {@code lags} concatenated. */
  private static float[] pattern(float[][] acf, int detrend, int lags) {
    float[] out = new float[acf.length * lags];
    for (int b = 0; b < acf.length; b++) {
      float[] r = detrend > 1 ? PostProcessing.detrend(acf[b], detrend) : acf[b];
      System.arraycopy(r, 1, out, b * lags, lags);
    }
    return out;
  }

  private float[] logLag(float[][] acf, double secondsPerLag) {
    int p = LOG_LAG_POINTS;
    int half = p / 2;
    float[] out = new float[acf.length * half];
    for (int b = 0; b < acf.length; b++) {
      float[] r = acf[b];
      double minLag = LOG_LAG_MIN_SECONDS / secondsPerLag;
      double maxLag = r.length - 1;
      float[] y = new float[p];
      double mean = 0;
      for (int i = 0; i < p; i++) {
        double lag = minLag * Math.pow(maxLag / minLag, i / (double) (p - 1));
        int l0 = (int) Math.floor(lag);
        int l1 = Math.min(l0 + 1, r.length - 1);
        double f = lag - l0;
        y[i] = (float) ((1 - f) * r[l0] + f * r[l1]);
        mean += y[i];
      }
      mean /= p;
      for (int i = 0; i < p; i++) {
        y[i] = (float) ((y[i] - mean) * Dsp.hann(i, p));
      }
      logLagPlan.realForward(y);
      for (int k = 1; k <= half; k++) {
        float mag = k == half ? Math.abs(y[1]) : (float) Math.hypot(y[2 * k], y[2 * k + 1]);
        out[b * half + k - 1] = mag;
      }
    }
    return out;
  }

  /** Scratch-free helper for tests: the mean-removed, normalised autocorrelation. */
  static float[] normalisedAutocorrelation(float[] x, int maxLag) {
    return new OnsetPatterns().autocorrelation(Arrays.copyOf(x, x.length), maxLag);
  }
}
