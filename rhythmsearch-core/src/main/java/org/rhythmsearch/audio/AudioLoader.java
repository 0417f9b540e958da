package org.rhythmsearch.audio;

import java.nio.file.Path;

/**
 * Loads any supported audio file as mono float PCM at one target sample rate (default 22050 Hz, the
 * rate of the seed study and of librosa's defaults): decode with {@link AudioDecoder}, then convert
 * with a band-limited {@link Resampler}.
 *
 * <p>Immutable; thread-safe.
 */
public final class AudioLoader {

  /** The sample rate all features are computed at, Hz. */
  public static final int DEFAULT_SAMPLE_RATE = 22050;

  private final int targetRate;

  /** A loader producing {@value #DEFAULT_SAMPLE_RATE} Hz. */
  public AudioLoader() {
    this(DEFAULT_SAMPLE_RATE);
  }

  /** @param targetRate output sample rate in Hz, positive */
  public AudioLoader(int targetRate) {
    if (targetRate <= 0) {
      throw new IllegalArgumentException("targetRate must be positive; targetRate=" + targetRate);
    }
    this.targetRate = targetRate;
  }

  /** Output sample rate, Hz. */
  public int targetRate() {
    return targetRate;
  }

  /** Loads a whole file. */
  public PcmAudio load(Path file) throws AudioDecodeException {
    PcmAudio decoded = AudioDecoder.decode(file);
    return Resampler.create(decoded.sampleRate(), targetRate).resample(decoded);
  }

  /**
   * Loads {@code durationSeconds} starting at {@code offsetSeconds}, sample-identical (up to float
   * rounding) to cutting the same range out of {@link #load(Path)}'s result: the decoded span is
   * widened by the resampler's kernel support so the edges are exact. Only the range (plus that
   * margin) is held in memory.
   *
   * @param offsetSeconds start in seconds, {@code >= 0}
   * @param durationSeconds length in seconds, {@code > 0}; cut short at the end of the audio
   */
  public PcmAudio load(Path file, double offsetSeconds, double durationSeconds) throws AudioDecodeException {
    if (!(offsetSeconds >= 0) || Double.isInfinite(offsetSeconds)) {
      throw new IllegalArgumentException("offsetSeconds must be finite and >= 0; offsetSeconds=" + offsetSeconds);
    }
    if (!(durationSeconds > 0) || Double.isInfinite(durationSeconds)) {
      throw new IllegalArgumentException("durationSeconds must be finite and > 0; durationSeconds=" + durationSeconds);
    }
    AudioInfo info = AudioDecoder.probe(file);
    int from = info.sampleRate();
    Resampler r = Resampler.create(from, targetRate);
    long outStart = Math.round(offsetSeconds * targetRate);
    long outCount = Math.round(durationSeconds * targetRate);
    long margin = r.supportInputSamples() + 2;
    long inFirst = Math.max(0, Math.floorDiv(outStart * from, targetRate) - margin);
    long inLast = Math.floorDiv((outStart + outCount) * from, targetRate) + margin;
    PcmAudio span = AudioDecoder.decodeFrames(file, inFirst, inLast - inFirst);
    long available = span.length() + inFirst; // input samples up to the end of the span read
    boolean reachedEnd = span.length() < inLast - inFirst;
    if (reachedEnd) {
      outCount = Math.min(outCount, r.outputLength(available) - outStart);
      if (outCount <= 0) {
        throw new AudioDecodeException(file, AudioDecodeException.Reason.OUT_OF_RANGE, String.format(
            "offset %.2f s, audio is %.2f s long", offsetSeconds, available / (double) from));
      }
    }
    return new PcmAudio(r.process(span.samples(), inFirst, outStart, (int) outCount), targetRate);
  }
}
