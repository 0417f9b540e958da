package org.rhythmsearch.audio;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioFormat.Encoding;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import javazoom.spi.mpeg.sampled.convert.MpegFormatConversionProvider;
import javazoom.spi.mpeg.sampled.file.MpegAudioFileReader;
import org.rhythmsearch.audio.AudioDecodeException.Reason;

/**
 * Decodes WAV/AIFF/AU (javax.sound), OGG Vorbis (jorbis), Ogg Opus (Concentus, at 48 kHz), MP3 (jlayer)
 * and FLAC (jflac, through {@link FlacStream}) files to
 * mono float PCM at the file's own sample rate, mixing channels down by averaging.
 *
 * <p>OGG Vorbis is decoded by {@link VorbisStream} on jorbis directly (vorbisspi's stream stops early
 * on some valid files). The decoder is chosen from the file's content, not its extension. MP3 output is aligned with
 * the source: the Xing/Info frame and the encoder delay recorded in the LAME tag, plus the 529-sample
 * decoder delay, are dropped, and the encoder padding at the end is trimmed, so an MP3 encoded from a
 * WAV lines up with it sample for sample (within the codec's precision).
 *
 * <p>Stateless; thread-safe (each call opens its own streams).
 */
public final class AudioDecoder {

  /** Samples the output buffer starts with; it grows as samples arrive. */
  private static final int INITIAL_CAPACITY = 1 << 18;
  /** A stream short of its declared length by at most this (seconds or fraction) is minor damage. */
  static final double MINOR_SHORTFALL_SECONDS = 1;
  static final double MINOR_SHORTFALL_FRACTION = 0.01;
  /** Sample rates outside this range (Hz) are refused as a corrupt header. */
  static final int MIN_RATE = 1000;
  static final int MAX_RATE = 768_000;
  /** More channels than this (Opus's limit; WAV layouts name 18 speakers) are refused as a corrupt header. */
  static final int MAX_CHANNELS = 255;

  private static final int BUFFER_FRAMES = 16 * 1024;
  /** Shortfall against the declared length (seconds) tolerated before a file is called truncated. */
  private static final double TRUNCATION_TOLERANCE_SECONDS = 0.1;

  private AudioDecoder() {}

  /** Reads the headers of a file (no full decode). */
  public static AudioInfo probe(Path file) throws AudioDecodeException {
    SniffedFile s = AudioSniffer.sniff(file);
    try (Opened opened = open(file, s)) {
      long declared = opened.declaredFrames();
      double duration = declared >= 0 ? declared / (double) opened.rate() : Double.NaN;
      return new AudioInfo(file, s.container(), opened.rate(), opened.channels(), duration);
    } catch (IOException e) {
      throw wrap(file, e);
    }
  }

  /** The file's duration in seconds: as its header declares it, or measured by decoding when it does not. */
  public static double durationSeconds(Path file, AudioInfo info) throws AudioDecodeException {
    return info.hasDuration() ? info.durationSeconds() : decode(file).durationSeconds();
  }

  /** Decodes a whole file to mono float PCM at its own sample rate. */
  public static PcmAudio decode(Path file) throws AudioDecodeException {
    return decode(file, 0, Double.POSITIVE_INFINITY);
  }

  /**
   * Decodes {@code durationSeconds} of audio starting at {@code offsetSeconds} to mono float PCM at
   * the file's own sample rate. Only the requested range is kept in memory; the part before it is
   * decoded and discarded (compressed formats cannot seek sample-accurately).
   *
   * @param offsetSeconds start of the range in seconds, {@code >= 0}
   * @param durationSeconds length in seconds, {@code > 0}, or {@code Double.POSITIVE_INFINITY} for
   *     "to the end"; a range running past the end of the audio is cut at the end
   * @throws AudioDecodeException naming the file and the reason, when the file cannot be decoded,
   *     is truncated, holds no samples, or {@code offsetSeconds} lies past the end
   */
  public static PcmAudio decode(Path file, double offsetSeconds, double durationSeconds)
      throws AudioDecodeException {
    if (!(offsetSeconds >= 0) || Double.isInfinite(offsetSeconds)) {
      throw new IllegalArgumentException("offsetSeconds must be finite and >= 0; offsetSeconds=" + offsetSeconds);
    }
    if (!(durationSeconds > 0)) {
      throw new IllegalArgumentException("durationSeconds must be > 0; durationSeconds=" + durationSeconds);
    }
    SniffedFile s = AudioSniffer.sniff(file);
    try (Opened opened = open(file, s)) {
      int rate = opened.rate();
      long want = Double.isInfinite(durationSeconds) ? Long.MAX_VALUE : Math.round(durationSeconds * rate);
      return read(file, s, opened, Math.round(offsetSeconds * rate), want);
    } catch (IOException e) {
      throw wrap(file, e);
    }
  }

  /**
   * Decodes {@code frameCount} sample frames starting at frame {@code startFrame} (at the file's own
   * rate); {@code frameCount = Long.MAX_VALUE} reads to the end.
   */
  static PcmAudio decodeFrames(Path file, long startFrame, long frameCount) throws AudioDecodeException {
    if (startFrame < 0 || frameCount <= 0) {
      throw new IllegalArgumentException("need startFrame >= 0 and frameCount > 0; startFrame=" + startFrame
          + ", frameCount=" + frameCount);
    }
    SniffedFile s = AudioSniffer.sniff(file);
    try (Opened opened = open(file, s)) {
      return read(file, s, opened, startFrame, frameCount);
    } catch (IOException e) {
      throw wrap(file, e);
    }
  }

  private static PcmAudio read(Path file, SniffedFile s, Opened opened, long startFrame, long frameCount)
      throws IOException {
    Frames in = new Frames(s, opened);
    int rate = opened.rate();
    long want = frameCount;
    if (in.declared >= 0) {
      // never read past the declared end (MP3 encoder padding, stray bytes after the stream)
      want = Math.min(want, Math.max(0, in.declared - startFrame));
    }
    // a header may lie about the length (or not know it: streamed WAV): never allocate what it claims,
    // start small and grow as samples arrive
    float[] out = new float[(int) Math.max(1, Math.min(want, INITIAL_CAPACITY))];
    int outLen = 0;
    float[] scratch = new float[BUFFER_FRAMES];
    long skipped = 0;
    boolean eof = false;
    while (skipped < startFrame) {
      int frames = in.read(scratch, 0, (int) Math.min(scratch.length, startFrame - skipped));
      if (frames < 0) {
        eof = true;
        break;
      }
      skipped += frames;
    }
    while (!eof && outLen < want) {
      int room = (int) Math.min(want - outLen, BUFFER_FRAMES);
      if (outLen + room > out.length) {
        if (out.length >= Integer.MAX_VALUE - 16) {
          throw new AudioDecodeException(file, Reason.TOO_LONG, "more than 2^31 samples; decode it in parts");
        }
        out = Arrays.copyOf(out, (int) Math.min(Math.max(out.length * 2L, outLen + room), Integer.MAX_VALUE - 16));
      }
      int frames = in.read(out, outLen, room);
      if (frames < 0) {
        eof = true;
      } else {
        outLen += frames;
      }
    }
    if (eof) {
      Damage damage = in.damage(TRUNCATION_TOLERANCE_SECONDS);
      if (damage != null) { // this call promises the whole range or an error: no damaged result
        throw new AudioDecodeException(file, Reason.TRUNCATED, damage.reason(), in.failure);
      }
    }
    if (outLen == 0) {
      long total = eof || in.declared < 0 ? in.audioFrames : in.declared;
      if (total == 0) {
        throw new AudioDecodeException(file, Reason.NO_SAMPLES, s.container().displayName() + " stream");
      }
      throw new AudioDecodeException(file, Reason.OUT_OF_RANGE, String.format(
          "offset %.2f s, audio is %.2f s long", startFrame / (double) rate, total / (double) rate));
    }
    return new PcmAudio(outLen == out.length ? out : Arrays.copyOf(out, outLen), rate);
  }

  /**
   * What is wrong with a stream that ended: why it ended early, and whether that is minor (a shortfall
   * of at most 1 s or 1 % of the declared length), so its audio can be used with a warning.
   */
  public record Damage(String reason, boolean minor) {}

  /**
   * An opened file's audio frames (mono, at its own rate) from its real start (leading decoder samples
   * dropped) to its declared end; a decoder that fails mid-stream ends the frames, and {@link #damage}
   * says what went wrong. Not thread-safe.
   */
  static final class Frames implements AutoCloseable {
    private final SniffedFile sniffed;
    private final Opened opened;
    /** Frames the header declares, -1 when unknown. */
    final long declared;
    /** Audio frames handed out so far. */
    long audioFrames;
    private long leadingLeft;
    private boolean ended;
    /** The decoder's error that ended the frames, if any. */
    Throwable failure;

    Frames(SniffedFile sniffed, Opened opened) {
      this.sniffed = sniffed;
      this.opened = opened;
      this.declared = opened.declaredFrames();
      this.leadingLeft = sniffed.leadingSamples();
    }

    int rate() {
      return opened.rate();
    }

    /** Reads up to {@code len} frames; -1 at the end (also after a decoder failure: see {@link #damage}). */
    int read(float[] out, int off, int len) {
      if (ended) {
        return -1;
      }
      try {
        while (leadingLeft > 0) {
          int n = opened.source().read(out, off, (int) Math.min(len, leadingLeft));
          if (n < 0) {
            ended = true;
            return -1;
          }
          leadingLeft -= n;
        }
        int room = declared >= 0 ? (int) Math.min(len, declared - audioFrames) : len;
        int n = room <= 0 ? -1 : opened.source().read(out, off, room);
        if (n < 0) {
          ended = true;
          return -1;
        }
        audioFrames += n;
        return n;
      } catch (IOException | RuntimeException e) {
        failure = e;
        ended = true;
        return -1;
      }
    }

    /**
     * After the end: null when the stream ended where it should (within {@code toleranceSeconds} of its
     * declared length), else the damage.
     */
    Damage damage(double toleranceSeconds) {
      double rate = opened.rate();
      double decoded = audioFrames / rate;
      String name = sniffed.container().displayName();
      if (failure != null) {
        return new Damage(String.format("%s decoder failed after %.2f s: %s", name, decoded, describe(failure)),
            minor(decoded));
      }
      if (sniffed.endMissing()) {
        return new Damage(String.format("%s stream has no end-of-stream page; decoded %.2f s", name, decoded), false);
      }
      if (declared > 0 && declared - audioFrames > toleranceSeconds * rate) {
        return new Damage(String.format("decoded %.2f s of the %.2f s its header declares", decoded, declared / rate),
            minor(decoded));
      }
      return null;
    }

    private boolean minor(double decoded) {
      if (declared <= 0) {
        return false;
      }
      double want = declared / (double) opened.rate();
      return want - decoded <= Math.max(MINOR_SHORTFALL_SECONDS, MINOR_SHORTFALL_FRACTION * want);
    }

    @Override
    public void close() throws IOException {
      opened.close();
    }
  }

  /** Opens {@code file}'s frames for streaming ({@link AudioStream}). */
  static Frames frames(Path file) throws AudioDecodeException {
    SniffedFile s = AudioSniffer.sniff(file);
    return new Frames(s, open(file, s));
  }

  /** An opened decoder: mono samples, rate, channels, and the length its headers declare (-1 unknown). */
  private record Opened(MonoSource source, int rate, int channels, long declaredFrames) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      source.close();
    }
  }

  /** Opens the file's decoder; a header with no usable sample rate or channel count is refused here. */
  private static Opened open(Path file, SniffedFile s) throws AudioDecodeException {
    Opened o = openDecoder(file, s);
    if (o.rate() < MIN_RATE || o.rate() > MAX_RATE || o.channels() <= 0 || o.channels() > MAX_CHANNELS) {
      closeQuietly(o);
      throw new AudioDecodeException(file, Reason.TRUNCATED, String.format("%s header gives sample rate %d Hz and %d "
          + "channel(s); a sample rate must lie in %d–%d Hz, channels in 1–%d", s.container().displayName(), o.rate(),
          o.channels(), MIN_RATE, MAX_RATE, MAX_CHANNELS));
    }
    return o;
  }

  private static Opened openDecoder(Path file, SniffedFile s) throws AudioDecodeException {
    AudioInputStream source = null;
    try {
      switch (s.container()) {
        case WAV -> {
          WavStream w = wavStream(file);
          if (w != null) {
            return new Opened(w, w.sampleRate(), w.channels(), w.declaredFrames());
          }
          return javaSound(file); // A-law, mu-law
        }
        case AIFF, AU -> {
          return javaSound(file);
        }
        case OGG_VORBIS -> {
          VorbisStream v = new VorbisStream(new java.io.BufferedInputStream(
              java.nio.file.Files.newInputStream(file), 1 << 16));
          return new Opened(v, v.sampleRate(), v.channels(), s.declaredFrames());
        }
        case OGG_OPUS -> {
          OpusStream o = new OpusStream(new java.io.BufferedInputStream(
              java.nio.file.Files.newInputStream(file), 1 << 16));
          return new Opened(o, OpusStream.RATE, o.channels(), s.declaredFrames());
        }
        case MP3 -> {
          source = new MpegAudioFileReader().getAudioInputStream(file.toFile());
          AudioFormat f = source.getFormat();
          AudioInputStream pcm = new MpegFormatConversionProvider().getAudioInputStream(pcm16(f), source);
          return new Opened(new JavaSoundSource(pcm, source), Math.round(f.getSampleRate()), f.getChannels(),
              s.declaredFrames());
        }
        case FLAC -> {
          java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
          try {
            FlacStream f = new FlacStream(in);
            return new Opened(f, f.sampleRate(), f.channels(), s.declaredFrames());
          } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
          }
        }
        default -> throw new IllegalStateException("unhandled container " + s.container());
      }
    } catch (UnsupportedAudioFileException | IllegalArgumentException e) {
      closeQuietly(source);
      throw new AudioDecodeException(file, s.container() == Container.WAV ? Reason.UNSUPPORTED_CODEC : Reason.TRUNCATED,
          s.container().displayName() + " decoder refused it: " + describe(e), e);
    } catch (IOException | RuntimeException e) {
      closeQuietly(source);
      throw new AudioDecodeException(file, Reason.TRUNCATED,
          s.container().displayName() + " header unreadable: " + describe(e), e);
    }
  }

  /** WAV (A-law, mu-law), AIFF and AU through javax.sound. */
  private static Opened javaSound(Path file) throws IOException, UnsupportedAudioFileException {
    AudioInputStream source = AudioSystem.getAudioInputStream(file.toFile());
    try {
      AudioFormat f = source.getFormat();
      Encoding e = f.getEncoding();
      AudioInputStream pcm = Encoding.ULAW.equals(e) || Encoding.ALAW.equals(e)
          ? AudioSystem.getAudioInputStream(pcm16(f), source) : source;
      long frames = source.getFrameLength();
      if (frames != AudioSystem.NOT_SPECIFIED && f.getFrameSize() > 0 && (frames + 1) * f.getFrameSize() > 0xFFFFFFFFL) {
        // 4 GB of data or more: an AIFF frame count that large is no length: read to the end
        frames = AudioSystem.NOT_SPECIFIED;
      }
      return new Opened(new JavaSoundSource(pcm, source), Math.round(f.getSampleRate()), f.getChannels(), frames);
    } catch (RuntimeException ex) {
      closeQuietly(source);
      throw ex;
    }
  }

  /** The file's PCM or float WAV reader, or null for another encoding (A-law, mu-law). */
  private static WavStream wavStream(Path file) throws IOException {
    java.io.InputStream in = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file), 1 << 16);
    try {
      return new WavStream(in);
    } catch (WavStream.NotPcm e) {
      in.close();
      return null;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  private static AudioFormat pcm16(AudioFormat f) {
    return new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false);
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // already failing; the original error is reported
      }
    }
  }

  /**
   * A decoder's error in words for a user: its own message when it has a plain one, not the Java
   * exception's name or a library's internals (a null pointer inside a decoder, a stream's mark).
   */
  static String describe(Throwable e) {
    String m = e.getMessage();
    if (e instanceof java.io.EOFException) {
      return "the file ends in the middle of the stream";
    }
    if (m != null && m.startsWith("not a MPEG stream")) {
      return "no MPEG audio frame found";
    }
    if (m == null || m.isBlank() || e instanceof NullPointerException || m.contains("Cannot invoke")
        || m.contains("Resetting to invalid mark") || e instanceof IndexOutOfBoundsException) {
      return "its data is malformed";
    }
    return m.replace('\n', ' ');
  }

  private static AudioDecodeException wrap(Path file, IOException e) {
    return e instanceof AudioDecodeException ade ? ade : new AudioDecodeException(file, Reason.UNREADABLE, e.getMessage(), e);
  }
}
