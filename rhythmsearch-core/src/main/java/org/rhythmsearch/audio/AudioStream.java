package org.rhythmsearch.audio;

import java.io.IOException;
import java.nio.file.Path;
import org.rhythmsearch.audio.AudioDecodeException.Reason;
import org.rhythmsearch.audio.AudioDecoder.Damage;

/**
 * A file's audio as a stream of mono samples at a target rate, decoded and resampled as it is read:
 * memory stays bounded (a few hundred kilobytes of decoder and resampler state) however long the track.
 * The samples are the same as {@link AudioLoader#load(Path)}'s, sample for sample.
 *
 * <p>Tolerant of damage: a stream that ends early or whose decoder fails mid-way ends there, and
 * {@link #damage()} says what happened and whether it is minor (at most 1 s or 1 % short of the
 * declared length). A track longer than the maximum length is refused ({@link Reason#TOO_LONG}).
 *
 * <p>Not thread-safe; one stream per reader.
 */
public final class AudioStream implements AutoCloseable {

  /** The default maximum track length, seconds (6 hours). */
  public static final double DEFAULT_MAX_SECONDS = 6 * 3600;

  private static final int CHUNK = 1 << 16;

  private final Path file;
  private final AudioDecoder.Frames frames;
  private final Resampler resampler;
  private final int rate;
  private final double maxSeconds;
  private final long maxSamples;
  private final int support;
  private final long from;
  private final long to;

  /** Input window: global input samples [inStart, inStart + inLength). */
  private float[] in = new float[2 * CHUNK];
  private long inStart;
  private int inLength;
  private boolean inEnded;
  /** Output samples there are in all, known once the input has ended (-1 before). */
  private long outTotal = -1;
  private long outPosition;

  private AudioStream(Path file, AudioDecoder.Frames frames, int targetRate, double maxSeconds) {
    this.file = file;
    this.frames = frames;
    this.resampler = Resampler.create(frames.rate(), targetRate);
    this.rate = targetRate;
    this.maxSeconds = maxSeconds;
    this.maxSamples = (long) Math.min(Long.MAX_VALUE / 4, Math.ceil(maxSeconds * targetRate));
    this.support = resampler.supportInputSamples();
    this.from = frames.rate();
    this.to = targetRate;
  }

  /**
   * Opens {@code file} for reading at {@code targetRate} Hz.
   *
   * @param maxSeconds the longest track accepted, seconds, {@code > 0}: reading past it fails
   *     ({@link Reason#TOO_LONG}); what a header declares is not trusted for this
   * @throws AudioDecodeException naming the file: unreadable, not audio, unsupported, or a broken header
   */
  public static AudioStream open(Path file, int targetRate, double maxSeconds) throws AudioDecodeException {
    if (targetRate <= 0) {
      throw new IllegalArgumentException("targetRate must be positive; targetRate=" + targetRate);
    }
    if (!(maxSeconds > 0)) {
      throw new IllegalArgumentException("maxSeconds must be > 0; maxSeconds=" + maxSeconds);
    }
    AudioDecoder.Frames frames = AudioDecoder.frames(file);
    try {
      // a declared length beyond the maximum is not refused here: a header may lie (the audio decides)
      return new AudioStream(file, frames, targetRate, maxSeconds);
    } catch (RuntimeException e) {
      try {
        frames.close();
      } catch (IOException ignored) {
        // already failing
      }
      throw e;
    }
  }

  /** The output sample rate, Hz. */
  public int sampleRate() {
    return rate;
  }

  /** The length the header declares, seconds, or NaN when it does not say. */
  public double declaredSeconds() {
    return frames.declared >= 0 ? frames.declared / (double) frames.rate() : Double.NaN;
  }

  /** Samples read so far (at the output rate). */
  public long samplesRead() {
    return outPosition;
  }

  /**
   * Reads up to {@code len} samples into {@code out[off..]}; returns how many, or -1 at the end.
   *
   * @throws AudioDecodeException when the track turns out longer than the maximum length, or it ends
   *     before its first sample (nothing usable: the decoder's failure or "no samples")
   */
  public int read(float[] out, int off, int len) throws AudioDecodeException {
    if (len == 0) {
      return 0;
    }
    long ready;
    while ((ready = ready()) <= outPosition) {
      if (inEnded) {
        if (outPosition == 0) {
          Damage d = frames.damage(0);
          throw d == null ? new AudioDecodeException(file, Reason.NO_SAMPLES, "")
              : new AudioDecodeException(file, Reason.TRUNCATED, d.reason(), frames.failure);
        }
        return -1;
      }
      fill();
    }
    int n = (int) Math.min(len, ready - outPosition);
    if (outPosition + n > maxSamples) {
      throw tooLong(file, "it runs past " + hours(maxSamples / (double) rate), maxSeconds);
    }
    resampler.process(in, inLength, inStart, outPosition, out, off, n);
    outPosition += n;
    return n;
  }

  /**
   * After the end: null when the stream was whole (within 0.1 s of its declared length), else what
   * was wrong with it.
   */
  public Damage damage() {
    if (!inEnded || outTotal < 0 || outPosition < outTotal) {
      throw new IllegalStateException("damage() is known at the end of the stream only");
    }
    return frames.damage(0.1);
  }

  /** Whether the stream was read to its end (so {@link #damage()} is known). */
  public boolean atEnd() {
    return inEnded && outTotal >= 0 && outPosition >= outTotal;
  }

  /** Output samples computable from the input read so far (all of them once the input ended). */
  private long ready() {
    if (inEnded) {
      return outTotal;
    }
    long usable = inStart + inLength - support - 2; // input an output may reach up to, inclusive
    return usable < 0 ? 0 : usable * to / from + 1;
  }

  /** Drops input no output still needs, then reads one more chunk of input. */
  private void fill() {
    long keepFrom = Math.max(0, outPosition * from / to - support - 1);
    int drop = (int) Math.min(inLength, Math.max(0, keepFrom - inStart));
    if (drop > 0) {
      System.arraycopy(in, drop, in, 0, inLength - drop);
      inLength -= drop;
      inStart += drop;
    }
    if (in.length - inLength < CHUNK) {
      in = java.util.Arrays.copyOf(in, inLength + 2 * CHUNK);
    }
    int n = frames.read(in, inLength, CHUNK);
    if (n < 0) {
      inEnded = true;
      outTotal = resampler.outputLength(inStart + inLength);
    } else {
      inLength += n;
    }
  }

  private static AudioDecodeException tooLong(Path file, String what, double maxSeconds) {
    return new AudioDecodeException(file, Reason.TOO_LONG, what + "; the maximum is " + hours(maxSeconds)
        + " (raise it with --max-duration)");
  }

  /** A length as h:mm:ss. */
  static String hours(double seconds) {
    long s = Math.round(seconds);
    return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }

  @Override
  public void close() throws AudioDecodeException {
    try {
      frames.close();
    } catch (IOException e) {
      throw new AudioDecodeException(file, Reason.UNREADABLE, e.getMessage(), e);
    }
  }
}
