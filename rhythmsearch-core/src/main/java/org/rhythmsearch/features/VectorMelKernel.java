package org.rhythmsearch.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The centred-STFT → power → mel computation of {@link Stft}, vectorised with the JDK Vector API
 * <em>across frames</em>: each SIMD lane holds a different frame, so a textbook FFT runs unchanged on
 * vectors (16 frames at once with 512-bit vectors). Per batch of frames: the windowed samples of each
 * frame as a complex sequence {@code z[n] = x[2n] + i x[2n+1]} of length M = nFft/2 in bit-reversed
 * order, a radix-2 decimation-in-time FFT, the real-FFT split step straight to the power spectrum
 * ({@code |X[k]|² = |A − C|²/4}, {@code |X[M−k]|² = |A + C|²/4} with {@code A = Z[k] + conj Z[M−k]},
 * {@code C = i W^k (Z[k] − conj Z[M−k])}, {@code W = e^{-2πi/nFft}}), then the sparse mel filterbank.
 *
 * <p>Only loadable when the {@code jdk.incubator.vector} module is present; {@link Stft} falls back
 * to JTransforms otherwise. Cross-checked against that path in the tests.
 *
 * <p>Not thread-safe (scratch buffers).
 */
final class VectorMelKernel implements Stft.MelKernel {

  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  /** Points per cache block for the first FFT stages. */
  private static final int BLOCK = 32;

  private final int hop;
  private final int m;
  private final int lanes = S.length();
  private final float[] window;
  private final int[] rev;
  private final float[][] twRe;
  private final float[][] twIm;
  private final float[] postRe;
  private final float[] postIm;
  /** 0.5 in every lane. */
  private final float[] quarter;
  private final float[] zr;
  private final float[] zi;
  private final float[] power;
  private float[] melScratch = new float[0];
  private MelFilterbank melBank;
  private int[] melFirst;
  private int[] melCount;
  private float[] melWeights;

  VectorMelKernel(int nFft, int hop, float[] window) {
    this.hop = hop;
    this.window = window;
    this.m = nFft / 2;
    int bits = Integer.numberOfTrailingZeros(m);
    rev = new int[m];
    for (int i = 0; i < m; i++) {
      rev[i] = Integer.reverse(i) >>> (32 - bits);
    }
    twRe = new float[bits + 1][];
    twIm = new float[bits + 1][];
    for (int s = 1, size = 2; size <= m; s++, size <<= 1) {
      int half = size / 2;
      twRe[s] = new float[half * lanes];
      twIm[s] = new float[half * lanes];
      for (int j = 0; j < half; j++) {
        double a = -2 * Math.PI * j / size;
        java.util.Arrays.fill(twRe[s], j * lanes, (j + 1) * lanes, (float) Math.cos(a));
        java.util.Arrays.fill(twIm[s], j * lanes, (j + 1) * lanes, (float) Math.sin(a));
      }
    }
    postRe = new float[(m / 2 + 1) * lanes];
    postIm = new float[(m / 2 + 1) * lanes];
    for (int k = 0; k <= m / 2; k++) {
      double a = -2 * Math.PI * k / nFft;
      java.util.Arrays.fill(postRe, k * lanes, (k + 1) * lanes, (float) (0.5 * Math.cos(a)));
      java.util.Arrays.fill(postIm, k * lanes, (k + 1) * lanes, (float) (0.5 * Math.sin(a)));
    }
    quarter = new float[lanes];
    java.util.Arrays.fill(quarter, 0.5f);
    zr = new float[m * lanes];
    zi = new float[m * lanes];
    power = new float[(m + 1) * lanes];
  }

  @Override
  public void melPower(float[] signal, int frames, MelFilterbank bank, float[] out) {
    int nFft = 2 * m;
    int batches = (frames + lanes - 1) / lanes;
    // zero-padded copy: frame t reads padded[t * hop .. t * hop + nFft), every batch in range
    float[] padded = new float[batches * lanes * hop + nFft];
    System.arraycopy(signal, 0, padded, m, Math.min(signal.length, padded.length - m));
    int mels = bank.nMels();
    if (bank != melBank) {
      prepare(bank);
    }
    for (int b = 0; b < batches; b++) {
      int t0 = b * lanes;
      load(padded, t0 * hop);
      fft();
      powerSpectrum();
      mel(bank);
      int count = Math.min(lanes, frames - t0);
      for (int l = 0; l < count; l++) {
        int o = (t0 + l) * mels;
        for (int band = 0; band < mels; band++) {
          out[o + band] = melScratch[band * lanes + l];
        }
      }
    }
  }

  /** Windowed frames of the batch as complex pairs in bit-reversed order (lane = frame). */
  void load(float[] padded, int base) {
    int v = lanes;
    for (int n = 0; n < m; n++) {
      int r = rev[n] * v;
      float we = window[2 * n];
      float wo = window[2 * n + 1];
      int f = base + 2 * n;
      for (int l = 0; l < v; l++, f += hop) {
        zr[r + l] = padded[f] * we;
        zi[r + l] = padded[f + 1] * wo;
      }
    }
  }

  /**
   * In-place radix-2 decimation-in-time FFT of length M on every lane. The first stages (butterfly
   * span up to {@value #BLOCK} points) run block by block so each block stays in the L1 cache.
   */
  void fft() {
    int blockStages = Integer.numberOfTrailingZeros(Math.min(BLOCK, m));
    int perBlock = Math.min(BLOCK, m) / 2;
    for (int b0 = 0; b0 < m / 2; b0 += perBlock) {
      for (int s = 1; s <= blockStages; s++) {
        stage(s, b0, b0 + perBlock);
      }
    }
    for (int s = blockStages + 1; (1 << s) <= m; s++) {
      stage(s, 0, m / 2);
    }
  }

  /**
   * Butterflies {@code [b0, b1)} of radix-2 stage {@code s} (span 2^s): butterfly b pairs point
   * {@code p = (b >> (s-1)) * 2^s + j} with {@code p + 2^(s-1)}, twiddle index {@code j = b mod 2^(s-1)}.
   * One flat loop per stage keeps the vector code in a single hot loop.
   */
  private void stage(int s, int b0, int b1) {
    int v = lanes;
    int half = 1 << (s - 1);
    int mask = half - 1;
    float[] wr = twRe[s];
    float[] wi = twIm[s];
    for (int b = b0; b < b1; b++) {
      int j = b & mask;
      int p = (((b >> (s - 1)) << s) + j) * v;
      int q = p + half * v;
      FloatVector cr = FloatVector.fromArray(S, wr, j * v);
      FloatVector ci = FloatVector.fromArray(S, wi, j * v);
      FloatVector br = FloatVector.fromArray(S, zr, q);
      FloatVector bi = FloatVector.fromArray(S, zi, q);
      FloatVector tr = br.mul(cr).sub(bi.mul(ci));
      FloatVector ti = br.mul(ci).add(bi.mul(cr));
      FloatVector ar = FloatVector.fromArray(S, zr, p);
      FloatVector ai = FloatVector.fromArray(S, zi, p);
      ar.add(tr).intoArray(zr, p);
      ai.add(ti).intoArray(zi, p);
      ar.sub(tr).intoArray(zr, q);
      ai.sub(ti).intoArray(zi, q);
    }
  }

  /** Power spectrum of the real frames, bins 0 … M, from the half-length complex FFT. */
  void powerSpectrum() {
    int v = lanes;
    FloatVector half = FloatVector.fromArray(S, quarter, 0);
    FloatVector r0 = FloatVector.fromArray(S, zr, 0);
    FloatVector i0 = FloatVector.fromArray(S, zi, 0);
    FloatVector dc = r0.add(i0);
    FloatVector nyquist = r0.sub(i0);
    dc.mul(dc).intoArray(power, 0);
    nyquist.mul(nyquist).intoArray(power, m * v);
    for (int k = 1; k <= m / 2; k++) {
      int a = k * v;
      int c = (m - k) * v;
      FloatVector zkr = FloatVector.fromArray(S, zr, a);
      FloatVector zki = FloatVector.fromArray(S, zi, a);
      FloatVector zcr = FloatVector.fromArray(S, zr, c);
      FloatVector zci = FloatVector.fromArray(S, zi, c);
      // A/2 = (Z[k] + conj Z[m-k]) / 2, B = Z[k] - conj Z[m-k], C/2 = i (W^k / 2) B
      FloatVector sumR = zkr.add(zcr).mul(half);
      FloatVector sumI = zki.sub(zci).mul(half);
      FloatVector difR = zkr.sub(zcr);
      FloatVector difI = zki.add(zci);
      FloatVector wr = FloatVector.fromArray(S, postRe, a);
      FloatVector wi = FloatVector.fromArray(S, postIm, a);
      FloatVector wbR = difR.mul(wr).sub(difI.mul(wi));
      FloatVector wbI = difR.mul(wi).add(difI.mul(wr));
      // X[k] = A/2 - C/2 with C/2 = (-Im(WB/2), Re(WB/2)); conj X[m-k] = A/2 + C/2
      FloatVector xr = sumR.add(wbI);
      FloatVector xi = sumI.sub(wbR);
      xr.mul(xr).add(xi.mul(xi)).intoArray(power, a);
      FloatVector yr = sumR.sub(wbI);
      FloatVector yi = sumI.add(wbR);
      yr.mul(yr).add(yi.mul(yi)).intoArray(power, c);
    }
  }

  void mel(MelFilterbank bank) {
    if (bank != melBank) {
      prepare(bank);
    }
    int v = lanes;
    int w = 0;
    for (int band = 0; band < melFirst.length; band++) {
      int p = melFirst[band] * v;
      FloatVector acc = FloatVector.zero(S);
      for (int i = 0, n = melCount[band]; i < n; i++, w += v, p += v) {
        acc = FloatVector.fromArray(S, power, p).mul(FloatVector.fromArray(S, melWeights, w)).add(acc);
      }
      acc.intoArray(melScratch, band * v);
    }
  }

  /** The filterbank's weights replicated across lanes (no scalar broadcasts in the hot loop). */
  private void prepare(MelFilterbank bank) {
    int mels = bank.nMels();
    melFirst = new int[mels];
    melCount = new int[mels];
    int total = 0;
    for (int b = 0; b < mels; b++) {
      melFirst[b] = bank.firstBin(b);
      melCount[b] = bank.weights(b).length;
      total += melCount[b];
    }
    melWeights = new float[total * lanes];
    int w = 0;
    for (int b = 0; b < mels; b++) {
      for (float x : bank.weights(b)) {
        java.util.Arrays.fill(melWeights, w, w + lanes, x);
        w += lanes;
      }
    }
    melScratch = new float[mels * lanes];
    melBank = bank;
  }
}
