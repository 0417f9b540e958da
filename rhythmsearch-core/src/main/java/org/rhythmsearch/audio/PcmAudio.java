package org.rhythmsearch.audio;

import java.util.Arrays;

/**
 * Mono audio as 32-bit float samples in [-1, 1] at a fixed sample rate.
 *
 * <p>Immutable value: the constructor takes ownership of {@code samples}; {@link #samples()} returns
 * the backing array for speed, and callers must not modify it. Thread-safe.
 *
 * @param samples mono samples, nominally in [-1, 1]
 * @param sampleRate samples per second (Hz), positive
 */
public record PcmAudio(float[] samples, int sampleRate) {

  public PcmAudio {
    if (samples == null) {
      throw new IllegalArgumentException("samples must not be null");
    }
    if (sampleRate <= 0) {
      throw new IllegalArgumentException("sampleRate must be positive; sampleRate=" + sampleRate);
    }
  }

  /** Number of samples. */
  public int length() {
    return samples.length;
  }

  /** Duration in seconds. */
  public double durationSeconds() {
    return samples.length / (double) sampleRate;
  }

  /**
   * A copy of samples {@code [from, from + count)}; samples outside the signal read as zero.
   *
   * @param from first sample index (may be negative or past the end)
   * @param count number of samples, non-negative
   */
  public float[] copyRange(int from, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("count must be >= 0; count=" + count);
    }
    float[] out = new float[count];
    int srcStart = Math.max(0, from);
    int srcEnd = Math.min(samples.length, from + count);
    if (srcEnd > srcStart) {
      System.arraycopy(samples, srcStart, out, srcStart - from, srcEnd - srcStart);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PcmAudio p && p.sampleRate == sampleRate && Arrays.equals(p.samples, samples);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(samples) + sampleRate;
  }

  @Override
  public String toString() {
    return "PcmAudio[" + samples.length + " samples @ " + sampleRate + " Hz]";
  }
}
