package org.rhythmsearch.features;

/**
 * A mel spectrogram: {@code frames × mels} values, frame-major ({@code data[t * mels + m]}).
 *
 * <p>Values are mel-band power (|STFT|² through the filterbank) or a compressed form of it, as
 * the producer says. The constructor takes ownership of {@code data}; treat it as immutable.
 * Thread-safe.
 *
 * @param data values, length {@code frames * mels}
 * @param frames number of STFT frames
 * @param mels number of mel bands
 * @param framesPerSecond frame rate (sample rate / hop), Hz
 */
public record MelSpectrogram(float[] data, int frames, int mels, double framesPerSecond) {

  public MelSpectrogram {
    if (frames < 0 || mels < 1) {
      throw new IllegalArgumentException("need frames >= 0 and mels >= 1; frames=" + frames + ", mels=" + mels);
    }
    if (data == null || data.length != frames * mels) {
      throw new IllegalArgumentException("data length must be frames*mels=" + frames * mels
          + "; length=" + (data == null ? "null" : data.length));
    }
    if (!(framesPerSecond > 0)) {
      throw new IllegalArgumentException("framesPerSecond must be > 0; framesPerSecond=" + framesPerSecond);
    }
  }

  /** Value of band {@code m} in frame {@code t}. */
  public float get(int t, int m) {
    return data[t * mels + m];
  }
}
