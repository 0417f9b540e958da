package org.rhythmsearch.features;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * Short-time Fourier transform power frames matching {@code librosa.stft(y, n_fft, hop_length,
 * window='hann', center=True, pad_mode='constant')}: a periodic Hann window, frames centred on
 * {@code t * hop} with zero padding of {@code nFft/2} on both sides, so a signal of {@code n} samples
 * gives {@code 1 + n / hop} frames. Fused with the mel filterbank so no full spectrogram is stored.
 *
 * <p>Two implementations compute the same thing: a JDK Vector API kernel ({@link VectorMelKernel},
 * 16 frames per instruction with 512-bit vectors) when the {@code jdk.incubator.vector} module is
 * present (run with {@code --add-modules jdk.incubator.vector}; {@code bin/rhythmsearch} does),
 * otherwise a scalar path on JTransforms. System property {@code rhythmsearch.simd=false} forces the
 * scalar path.
 *
 * <p>Not thread-safe (owns scratch buffers); create one per thread, planning is cheap.
 */
public final class Stft {

  /** Computes the mel power frames of a signal into {@code out} ({@code frames × mels}, frame-major). */
  interface MelKernel {
    void melPower(float[] signal, int frames, MelFilterbank bank, float[] out);
  }

  private final int nFft;
  private final int hop;
  private final float[] window;
  private final FloatFFT_1D fft;
  private final float[] frame;
  private final float[] power;
  private final MelKernel simd;

  /**
   * @param nFft FFT length in samples, a power of two {@code >= 16}
   * @param hop hop length in samples, in [1, nFft]
   */
  public Stft(int nFft, int hop) {
    this(nFft, hop, Boolean.parseBoolean(System.getProperty("rhythmsearch.simd", "true")));
  }

  /** As {@link #Stft(int, int)}, choosing whether the SIMD kernel may be used (tests compare both). */
  Stft(int nFft, int hop, boolean allowSimd) {
    if (nFft < 16 || Integer.bitCount(nFft) != 1) {
      throw new IllegalArgumentException("nFft must be a power of two >= 16; nFft=" + nFft);
    }
    if (hop < 1 || hop > nFft) {
      throw new IllegalArgumentException("hop must be in [1, nFft]; hop=" + hop);
    }
    this.nFft = nFft;
    this.hop = hop;
    window = new float[nFft];
    for (int i = 0; i < nFft; i++) {
      window[i] = (float) Dsp.hann(i, nFft);
    }
    fft = new FloatFFT_1D(nFft);
    frame = new float[nFft];
    power = new float[nFft / 2 + 1];
    simd = allowSimd ? loadSimd(nFft, hop, window) : null;
  }

  /** The vector kernel, or null when the Vector API module is not present. */
  private static MelKernel loadSimd(int nFft, int hop, float[] window) {
    if (!Vectors.vectorApiPresent()) {
      return null;
    }
    try {
      return new VectorMelKernel(nFft, hop, window);
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** Whether the SIMD (Vector API) kernel is in use. */
  public boolean vectorized() {
    return simd != null;
  }

  public int nFft() {
    return nFft;
  }

  public int hop() {
    return hop;
  }

  /** Number of centred frames for a signal of {@code samples} samples. */
  public int frameCount(int samples) {
    return 1 + samples / hop;
  }

  /**
   * Mel spectrogram (power) of {@code signal}: centred STFT power frames through {@code bank}.
   *
   * @param sampleRate of the signal in Hz (sets the frame rate reported)
   */
  public MelSpectrogram melPower(float[] signal, int sampleRate, MelFilterbank bank) {
    if (bank.nFft() != nFft) {
      throw new IllegalArgumentException("filterbank nFft " + bank.nFft() + " does not match STFT nFft " + nFft);
    }
    int frames = frameCount(signal.length);
    int mels = bank.nMels();
    float[] out = new float[frames * mels];
    if (simd != null) {
      simd.melPower(signal, frames, bank, out);
      return new MelSpectrogram(out, frames, mels, sampleRate / (double) hop);
    }
    int half = nFft / 2;
    for (int t = 0; t < frames; t++) {
      int start = t * hop - half;
      if (start >= 0 && start + nFft <= signal.length) {
        for (int i = 0; i < nFft; i++) {
          frame[i] = signal[start + i] * window[i];
        }
      } else {
        for (int i = 0; i < nFft; i++) {
          int j = start + i;
          frame[i] = j >= 0 && j < signal.length ? signal[j] * window[i] : 0f;
        }
      }
      fft.realForward(frame);
      // packed layout: frame[0] = Re[0], frame[1] = Re[n/2], frame[2k] = Re[k], frame[2k+1] = Im[k]
      Dsp.power(frame, nFft, power);
      bank.apply(power, out, t * mels);
    }
    return new MelSpectrogram(out, frames, mels, sampleRate / (double) hop);
  }
}
