package org.rhythmsearch.features;

import java.util.HashMap;
import java.util.Map;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Beat spectra of a frame sequence, after Foote &amp; Uchihashi (ICME 2001) and Foote, Cooper &amp;
 * Nam, "Audio Retrieval by Rhythmic Similarity" (ISMIR 2002), section 2.
 *
 * <p>The similarity matrix is the frame-to-frame cosine similarity {@code S(i, j) = <u_i, u_j>} of
 * unit-normalised feature frames {@code u_t} (a frame of zeros has similarity 0 to everything).
 *
 * <ul>
 *   <li><b>Diagonal beat spectrum</b> {@code B(l) = mean over i of S(i, i + l)}, {@code l = 0…L}: the
 *       mean of the l-th superdiagonal (Foote's sum, divided by the number of terms N − l so that long
 *       lags are not penalised for having fewer pairs). Since
 *       {@code sum_i <u_i, u_{i+l}> = sum_d sum_i u_i[d] u_{i+l}[d]}, it equals the sum over feature
 *       dimensions of each dimension's autocorrelation; {@link #diagonalMean} computes it that way with
 *       zero-padded FFTs (no matrix at all), {@link #diagonalMeanDirect} from the band of S the lags
 *       need; the two are cross-checked in the tests.</li>
 *   <li><b>Autocorrelation beat spectrum</b>: Foote's {@code B(k, l) = sum_{i,j} S(i, j) S(i + k, j + l)}
 *       marginalised over {@code k} ("since B is symmetric it suffices to sum over one variable").
 *       Summing over all {@code k} separates: {@code B(l) = sum_j c(j) c(j + l)} with the column sums
 *       {@code c(j) = sum_i S(i, j) = <sum_i u_i, u_j>}; computed exactly in O(N·D + N·L), again
 *       divided by the N − l terms per lag.</li>
 * </ul>
 *
 * <p>Not thread-safe (caches FFT plans and scratch); create one per thread.
 */
public final class BeatSpectra {

  private final Map<Integer, FloatFFT_1D> plans = new HashMap<>();

  /**
   * Unit-normalised copies of the frames of {@code spec} (frame-major, same layout). Frames with zero
   * norm stay zero.
   */
  public static float[] unitFrames(MelSpectrogram spec) {
    int mels = spec.mels();
    float[] u = spec.data().clone();
    for (int t = 0; t < spec.frames(); t++) {
      Vectors.normalizeInPlace(u, t * mels, mels);
    }
    return u;
  }

  /**
   * The band of the cosine self-similarity matrix the lags need: {@code band[i][l] = S(i, i + l)} for
   * {@code l = 0…maxLag} (0 where {@code i + l} is past the last frame).
   */
  public static float[][] similarityBand(float[] unit, int frames, int dims, int maxLag) {
    checkLag(frames, maxLag);
    float[][] band = new float[frames][maxLag + 1];
    for (int i = 0; i < frames; i++) {
      int oi = i * dims;
      for (int l = 0; l <= maxLag && i + l < frames; l++) {
        int oj = (i + l) * dims;
        float acc = 0f;
        for (int d = 0; d < dims; d++) {
          acc += unit[oi + d] * unit[oj + d];
        }
        band[i][l] = acc;
      }
    }
    return band;
  }

  /** Diagonal beat spectrum from the explicit band of S; O(N·L·D). The reference for {@link #diagonalMean}. */
  public static float[] diagonalMeanDirect(float[] unit, int frames, int dims, int maxLag) {
    float[][] band = similarityBand(unit, frames, dims, maxLag);
    float[] b = new float[maxLag + 1];
    for (int l = 0; l <= maxLag; l++) {
      double sum = 0;
      for (int i = 0; i + l < frames; i++) {
        sum += band[i][l];
      }
      b[l] = (float) (sum / (frames - l));
    }
    return b;
  }

  /**
   * Diagonal beat spectrum {@code B(l) = mean_i S(i, i + l)}, {@code l = 0…maxLag}, via per-dimension
   * FFT autocorrelations; O(D·P log P) with P the FFT length ≥ N + L.
   *
   * @param unit unit-normalised frames, frame-major {@code frames × dims}
   * @param maxLag largest lag in frames, in [0, frames − 1]
   */
  public float[] diagonalMean(float[] unit, int frames, int dims, int maxLag) {
    checkLag(frames, maxLag);
    int n = fftSize(frames + maxLag + 1);
    FloatFFT_1D fft = plan(n);
    float[] seq = new float[n];
    double[] powerSum = new double[n / 2 + 1];
    for (int d = 0; d < dims; d++) {
      for (int t = 0; t < frames; t++) {
        seq[t] = unit[t * dims + d];
      }
      java.util.Arrays.fill(seq, frames, n, 0f);
      fft.realForward(seq);
      accumulatePower(seq, powerSum);
    }
    float[] r = inversePower(powerSum, fft, n);
    float[] b = new float[maxLag + 1];
    for (int l = 0; l <= maxLag; l++) {
      b[l] = r[l] / (frames - l);
    }
    return b;
  }

  /**
   * Foote's autocorrelation beat spectrum (see the class comment), {@code l = 0…maxLag}, each lag
   * divided by its number of terms.
   */
  public float[] autocorrelation(float[] unit, int frames, int dims, int maxLag) {
    checkLag(frames, maxLag);
    float[] total = new float[dims];
    for (int t = 0; t < frames; t++) {
      for (int d = 0; d < dims; d++) {
        total[d] += unit[t * dims + d];
      }
    }
    double[] c = new double[frames];
    for (int j = 0; j < frames; j++) {
      double acc = 0;
      for (int d = 0; d < dims; d++) {
        acc += total[d] * unit[j * dims + d];
      }
      c[j] = acc;
    }
    float[] b = new float[maxLag + 1];
    for (int l = 0; l <= maxLag; l++) {
      double acc = 0;
      for (int j = 0; j + l < frames; j++) {
        acc += c[j] * c[j + l];
      }
      b[l] = (float) (acc / (frames - l));
    }
    return b;
  }

  private static void accumulatePower(float[] packed, double[] powerSum) {
    int half = powerSum.length - 1;
    powerSum[0] += (double) packed[0] * packed[0];
    powerSum[half] += (double) packed[1] * packed[1];
    for (int k = 1; k < half; k++) {
      float re = packed[2 * k];
      float im = packed[2 * k + 1];
      powerSum[k] += re * re + im * im;
    }
  }

  /** Inverse real FFT of a real, even power spectrum: the (circular) autocorrelation. */
  private static float[] inversePower(double[] powerSum, FloatFFT_1D fft, int n) {
    int half = n / 2;
    float[] packed = new float[n];
    packed[0] = (float) powerSum[0];
    packed[1] = (float) powerSum[half];
    for (int k = 1; k < half; k++) {
      packed[2 * k] = (float) powerSum[k];
    }
    fft.realInverse(packed, true);
    return packed;
  }

  private FloatFFT_1D plan(int n) {
    return plans.computeIfAbsent(n, FloatFFT_1D::new);
  }

  private static int fftSize(int atLeast) {
    int n = 16;
    while (n < atLeast) {
      n <<= 1;
    }
    return n;
  }

  private static void checkLag(int frames, int maxLag) {
    if (frames < 1) {
      throw new IllegalArgumentException("frames must be >= 1; frames=" + frames);
    }
    if (maxLag < 0 || maxLag >= frames) {
      throw new IllegalArgumentException("maxLag must be in [0, " + (frames - 1) + "]; maxLag=" + maxLag);
    }
  }
}
