package org.rhythmsearch.features;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jtransforms.fft.FloatFFT_1D;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioStream;
import org.rhythmsearch.audio.PcmAudio;

/**
 * Computes the rhythm vectors of a {@link FeatureConfig}: excerpt → centred STFT → Slaney mel
 * spectrogram → compression → descriptor ({@link Descriptor}: Foote's beat spectrum or its
 * autocorrelation form, FBSC, the seed notebook's vector, sub-band onset patterns, their log-lag form,
 * or onset patterns joined with the beat spectrum, the default) → post-processing → unit L2 norm; and
 * each excerpt's tempo ({@link TempoEstimator}, from the dB spectrogram's onset strength).
 *
 * <p>Every excerpt is analysed on its own (its STFT is centred and zero-padded at its own edges), as
 * when the seed study loaded each 10-s excerpt with {@code librosa.load(offset, duration)}.
 *
 * <p>Not thread-safe (owns FFT plans and scratch buffers); create one per thread — construction
 * plans the FFTs and the filterbank (a few milliseconds).
 */
public final class FeatureExtractor {

  private final FeatureConfig config;
  private final Stft stft;
  private final MelFilterbank bank;
  private final BeatSpectra beatSpectra = new BeatSpectra();
  private final FloatFFT_1D fbscPlan = new FloatFFT_1D(FeatureConfig.FBSC_FFT);
  private final OnsetPatterns onsetPatterns = new OnsetPatterns();
  private final TempoEstimator tempo = new TempoEstimator();
  private final double silenceRms;

  public FeatureExtractor(FeatureConfig config) {
    this.config = config;
    this.stft = new Stft(config.nFft(), config.hop());
    this.bank = new MelFilterbank(config.sampleRate(), config.nFft(), config.nMels());
    this.silenceRms = Math.pow(10, config.silenceDbfs() / 20);
  }

  public FeatureConfig config() {
    return config;
  }

  /** Mel power spectrogram of a signal at the configuration's sample rate. */
  public MelSpectrogram melPower(float[] samples) {
    return stft.melPower(samples, config.sampleRate(), bank);
  }

  /** The configuration's compression applied to a mel power spectrogram (new object). */
  public MelSpectrogram compress(MelSpectrogram power) {
    return config.compression() == Compression.POWER ? power : decibels(power, config.dbRange());
  }

  /** dB of a mel power spectrogram, floored {@code dbRange} below its peak and shifted so the floor is 0. */
  static MelSpectrogram decibels(MelSpectrogram power, double dbRange) {
    float[] p = power.data();
    float[] db = new float[p.length];
    float top = -Float.MAX_VALUE;
    for (int i = 0; i < p.length; i++) {
      db[i] = FastLog.DB_PER_LOG2 * FastLog.log2(Math.max(p[i], 1e-10f));
      top = Math.max(top, db[i]);
    }
    float floor = top - (float) dbRange;
    for (int i = 0; i < db.length; i++) {
      db[i] = Math.max(db[i], floor) - floor;
    }
    return new MelSpectrogram(db, power.frames(), power.mels(), power.framesPerSecond());
  }

  /**
   * The descriptor of one excerpt before unit normalisation (e.g. the beat spectrum itself, for plots),
   * or null for a silent excerpt.
   *
   * @param samples the excerpt at the configuration's sample rate
   */
  public float[] rawDescriptor(float[] samples) {
    return rms(samples) < silenceRms ? null : descriptor(melPower(samples), null);
  }

  /**
   * The descriptor of a non-silent excerpt from its mel power spectrogram, before unit normalisation;
   * {@code db} is its compressed form when already computed, else null.
   */
  private float[] descriptor(MelSpectrogram power, MelSpectrogram db) {
    if (config.descriptor() == Descriptor.SEED_NOTEBOOK) {
      return seedNotebook(power);
    }
    MelSpectrogram spec = config.compression() == Compression.POWER ? power : db != null ? db : compress(power);
    if (config.descriptor() == Descriptor.ONSET_PATTERN || config.descriptor() == Descriptor.ONSET_LOGLAG) {
      return onsetPatterns.describe(spec, config);
    }
    if (config.descriptor() == Descriptor.ONSET_BEAT) {
      float[] onset = onsetPatterns.describe(spec, config);
      int maxLag = Math.min(config.maxLagFrames(), spec.frames() - 1);
      float[] beat = PostProcessing.detrend(
          beatSpectra.diagonalMean(BeatSpectra.unitFrames(spec), spec.frames(), spec.mels(), maxLag), config.detrendLags());
      return PostProcessing.halfEnergyEach(onset, beat);
    }
    int maxLag = Math.min(config.maxLagFrames(), spec.frames() - 1);
    float[] unit = BeatSpectra.unitFrames(spec);
    float[] b = switch (config.descriptor()) {
      case BEAT_SPECTRUM, FBSC -> beatSpectra.diagonalMean(unit, spec.frames(), spec.mels(), maxLag);
      case AUTOCORRELATION -> beatSpectra.autocorrelation(unit, spec.frames(), spec.mels(), maxLag);
      case SEED_NOTEBOOK, ONSET_PATTERN, ONSET_LOGLAG, ONSET_BEAT -> throw new IllegalStateException();
    };
    if (config.descriptor() == Descriptor.FBSC) {
      return PostProcessing.fbsc(b, config.fbscCoefficients(), fbscPlan);
    }
    return config.detrendLags() > 1 ? PostProcessing.detrend(b, config.detrendLags()) : b;
  }

  /**
   * The unit-norm vector of one excerpt (the descriptor, or its projection when the configuration has
   * one), or a skip reason.
   *
   * @param samples the excerpt at the configuration's sample rate; normally
   *     {@link FeatureConfig#excerptSamples()} long
   */
  public Result excerpt(float[] samples) {
    double level = rms(samples);
    if (level < silenceRms) {
      String why = level > 0 ? String.format("silent (RMS %.1f dBFS < %.0f dBFS)", 20 * Math.log10(level),
          config.silenceDbfs()) : "silent (digital silence: every sample is 0)";
      return new Result(null, why, Double.NaN);
    }
    MelSpectrogram power = melPower(samples);
    // the tempo is always read from the dB spectrogram, also for a configuration that compares power
    MelSpectrogram db = decibels(power, config.dbRange());
    float[] v = PostProcessing.unitNormalize(descriptor(power, db));
    if (v != null && config.projection() != null) {
      v = config.projection().apply(v);
    }
    if (v == null) {
      return new Result(null, "no rhythm content (descriptor is all zero)", Double.NaN);
    }
    return new Result(v, null, tempo.bpm(db));
  }

  /**
   * A vector with the excerpt's tempo (BPM, NaN when it has none), or the reason there is no vector.
   * Exactly one of {@code vector} and {@code skipReason} is non-null.
   */
  public record Result(float[] vector, String skipReason, double tempoBpm) {}


  /**
   * Cuts {@code audio} into excerpts every {@code hopSeconds} (starting at 0, only whole excerpts) and
   * computes each one's vector. A track shorter than one excerpt gives a result with no excerpts whose
   * {@link TrackFeatures#tooShort()} is true.
   */
  public TrackFeatures track(String source, PcmAudio audio, double hopSeconds) {
    if (audio.sampleRate() != config.sampleRate()) {
      throw new IllegalArgumentException("audio is at " + audio.sampleRate() + " Hz; feature '" + config.name()
          + "' needs " + config.sampleRate() + " Hz (load it with AudioLoader)");
    }
    checkHop(hopSeconds);
    Collector c = new Collector();
    grid(audio, 0, hopSeconds, c);
    return new TrackFeatures(source, config, audio.durationSeconds(), hopSeconds, c.vectors, c.skipped);
  }

  /** Receives the excerpts of {@link #grid}, in time order. */
  @FunctionalInterface
  public interface GridSink {
    void accept(double startSeconds, Result result);
  }

  /**
   * Computes the excerpts of {@code audio} starting at {@code first}, {@code first + hop}, … seconds
   * (whole excerpts only) and hands each result, vector or skip reason, to {@code sink}.
   */
  public void grid(PcmAudio audio, double first, double hop, GridSink sink) {
    float[] x = audio.samples();
    int[] at = {0};
    try {
      grid((out, off, len) -> {
        int n = Math.min(len, x.length - at[0]);
        if (n <= 0) {
          return -1;
        }
        System.arraycopy(x, at[0], out, off, n);
        at[0] += n;
        return n;
      }, first, hop, sink);
    } catch (AudioDecodeException e) {
      throw new IllegalStateException(e); // an array does not fail
    }
  }

  /** Samples at the configuration's rate, read in order: an {@link AudioStream} or an array. */
  @FunctionalInterface
  private interface Samples {
    int read(float[] out, int off, int len) throws AudioDecodeException;
  }

  /**
   * The excerpt grid over samples read in order, holding one excerpt's window in memory; reads to the
   * end and returns the number of samples there were.
   */
  private long grid(Samples in, double first, double hop, GridSink sink) throws AudioDecodeException {
    return grid(in, first, hop, Double.POSITIVE_INFINITY, true, sink);
  }

  /**
   * As {@link #grid(Samples, double, double, GridSink)}, with excerpts starting at {@code last} s at the
   * latest; without {@code drain}, reading stops after the last excerpt (the total is then what was read).
   */
  private long grid(Samples in, double first, double hop, double last, boolean drain, GridSink sink)
      throws AudioDecodeException {
    int len = config.excerptSamples();
    float[] window = new float[len];
    long windowStart = 0; // the sample window[0] holds
    int filled = 0;
    long total = 0;
    boolean ended = false;
    for (int k = 0; ; k++) {
      double start = first + k * hop;
      if (start > last + 1e-9) {
        break;
      }
      long from = Math.round(start * config.sampleRate()); // long: a huge hop must end the grid, not wrap around
      long drop = from - windowStart;
      if (drop < filled) {
        System.arraycopy(window, (int) drop, window, 0, filled - (int) drop);
        filled -= (int) drop;
      } else {
        long skip = drop - filled;
        filled = 0;
        while (skip > 0 && !ended) {
          int n = in.read(window, 0, (int) Math.min(len, skip));
          if (n < 0) {
            ended = true;
          } else {
            skip -= n;
            total += n;
          }
        }
      }
      windowStart = from;
      while (filled < len && !ended) {
        int n = in.read(window, filled, len - filled);
        if (n < 0) {
          ended = true;
        } else {
          filled += n;
          total += n;
        }
      }
      if (filled < len) {
        break;
      }
      sink.accept(start, excerpt(window.clone()));
    }
    while (drain && !ended) { // the length (and any damage) is known at the end only
      int n = in.read(window, 0, len);
      if (n < 0) {
        ended = true;
      } else {
        total += n;
      }
    }
    return total;
  }

  /** Loads a file at the configuration's sample rate and computes {@link #track}; tracks up to 6 hours. */
  public TrackFeatures track(Path file, double hopSeconds) throws AudioDecodeException {
    return track(file, hopSeconds, AudioStream.DEFAULT_MAX_SECONDS);
  }

  /**
   * Streams a file at the configuration's sample rate through the excerpt grid (one excerpt's samples
   * in memory, however long the track). A damaged file gives the excerpts before the damage and says
   * what it was ({@link TrackFeatures#damage()}).
   *
   * @param maxSeconds the longest track accepted ({@link AudioStream#open})
   * @throws AudioDecodeException when the file cannot be opened, holds nothing usable, or is longer
   *     than {@code maxSeconds}
   */
  public TrackFeatures track(Path file, double hopSeconds, double maxSeconds) throws AudioDecodeException {
    checkHop(hopSeconds);
    try (AudioStream in = AudioStream.open(file, config.sampleRate(), maxSeconds)) {
      Collector c = new Collector();
      long total = grid(in::read, 0, hopSeconds, c);
      return new TrackFeatures(file.toString(), config, total / (double) config.sampleRate(), hopSeconds, c.vectors,
          c.skipped, in.damage());
    }
  }

  /**
   * The excerpts of one section of a file: from {@code fromSeconds} every {@code hopSeconds}, each whole
   * within [{@code fromSeconds}, {@code fromSeconds + seconds}]; the file is read only up to the section's
   * end. The duration reported is what was read of it (to the last excerpt's end, or to the file's).
   *
   * @throws IllegalArgumentException when the section is shorter than one excerpt or not finite
   * @throws AudioDecodeException as {@link #track(Path, double, double)}
   */
  public TrackFeatures section(Path file, double hopSeconds, double maxSeconds, double fromSeconds, double seconds)
      throws AudioDecodeException {
    checkHop(hopSeconds);
    if (!(fromSeconds >= 0) || Double.isInfinite(fromSeconds) || !(seconds >= config.excerptSeconds())
        || Double.isNaN(seconds)) {
      throw new IllegalArgumentException("a section starts at 0 s or later and lasts at least one excerpt ("
          + config.excerptSeconds() + " s); was " + fromSeconds + " s + " + seconds + " s");
    }
    try (AudioStream in = AudioStream.open(file, config.sampleRate(), maxSeconds)) {
      Collector c = new Collector();
      double last = fromSeconds + seconds - config.excerptSeconds();
      long total = grid(in::read, fromSeconds, hopSeconds, last, false, c);
      double read = Math.max(0, total / (double) config.sampleRate() - fromSeconds);
      // damage is known where the section reached the end of the stream (early, or where the file ends)
      return new TrackFeatures(file.toString(), config, Math.min(read, seconds), hopSeconds, c.vectors, c.skipped,
          in.atEnd() ? in.damage() : null);
    }
  }

  /** The shortest clip {@link #clip} accepts, seconds. */
  public static final double MIN_CLIP_SECONDS = 4;
  /** How much shorter than asked a clip may come out (a cut by another tool, resampling), seconds. */
  public static final double CLIP_SLACK_SECONDS = 0.05;

  /**
   * One excerpt from a clip shorter than an excerpt: the {@code seconds} (at least
   * {@value #MIN_CLIP_SECONDS}, less than {@link FeatureConfig#excerptSeconds()}) of {@code file} from
   * {@code fromSeconds}, repeated end to end to fill one excerpt, so its rhythm's periods up to the clip's
   * length are kept (and the clip's length adds one of its own: a clip finds less than whole excerpts do;
   * README, "Short clips"). A file that ends sooner gives what it holds, if that is long enough.
   *
   * @return the clip's one excerpt (start {@code fromSeconds}), or none with the reason when it is shorter
   *     than {@value #MIN_CLIP_SECONDS} s or silent
   * @throws IllegalArgumentException when {@code seconds} is outside [{@value #MIN_CLIP_SECONDS}, excerpt)
   *     or {@code fromSeconds} is negative or not finite
   * @throws AudioDecodeException as {@link #track(Path, double, double)}
   */
  public TrackFeatures clip(Path file, double maxSeconds, double fromSeconds, double seconds)
      throws AudioDecodeException {
    if (!(fromSeconds >= 0) || Double.isInfinite(fromSeconds) || !(seconds >= MIN_CLIP_SECONDS - CLIP_SLACK_SECONDS)
        || !(seconds < config.excerptSeconds())) {
      throw new IllegalArgumentException("a clip starts at 0 s or later and lasts " + MIN_CLIP_SECONDS + " s or more, "
          + "less than one excerpt (" + config.excerptSeconds() + " s); was " + fromSeconds + " s + " + seconds + " s");
    }
    int rate = config.sampleRate();
    try (AudioStream in = AudioStream.open(file, rate, maxSeconds)) {
      long skip = Math.round(fromSeconds * rate);
      float[] buf = new float[(int) Math.round(seconds * rate)];
      while (skip > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, skip));
        if (n < 0) {
          break;
        }
        skip -= n;
      }
      int filled = 0;
      while (skip == 0 && filled < buf.length) {
        int n = in.read(buf, filled, buf.length - filled);
        if (n < 0) {
          break;
        }
        filled += n;
      }
      double got = filled / (double) rate;
      List<ExcerptVector> vectors = new ArrayList<>();
      List<SkippedExcerpt> skipped = new ArrayList<>();
      if (got < MIN_CLIP_SECONDS - CLIP_SLACK_SECONDS) {
        skipped.add(new SkippedExcerpt(fromSeconds, String.format(java.util.Locale.ROOT,
            "a clip of %.2f s: shorter than %.0f s", got, MIN_CLIP_SECONDS)));
      } else {
        float[] window = new float[config.excerptSamples()];
        for (int i = 0; i < window.length; i++) {
          window[i] = buf[i % filled];
        }
        Result r = excerpt(window);
        if (r.vector() != null) {
          vectors.add(new ExcerptVector(fromSeconds, r.vector(), r.tempoBpm()));
        } else {
          skipped.add(new SkippedExcerpt(fromSeconds, r.skipReason()));
        }
      }
      return new TrackFeatures(file.toString(), config, got, config.excerptSeconds(), vectors, skipped,
          in.atEnd() ? in.damage() : null);
    }
  }

  private static void checkHop(double hopSeconds) {
    if (!(hopSeconds > 0) || Double.isInfinite(hopSeconds)) {
      throw new IllegalArgumentException("hopSeconds must be finite and > 0; hopSeconds=" + hopSeconds);
    }
  }

  /** Collects a grid's excerpts: vectors and skipped ones. */
  private static final class Collector implements GridSink {
    final List<ExcerptVector> vectors = new ArrayList<>();
    final List<SkippedExcerpt> skipped = new ArrayList<>();

    @Override
    public void accept(double start, Result r) {
      if (r.vector() != null) {
        vectors.add(new ExcerptVector(start, r.vector(), r.tempoBpm()));
      } else {
        skipped.add(new SkippedExcerpt(start, r.skipReason()));
      }
    }
  }

  /**
   * The seed notebook's vector: the mel power spectrogram as rows = bands (librosa's layout), and
   * {@code bs[l] = cos(M[0,:], M[l,:])} for l = 0…nMels−2 (the notebook's loop ran to
   * {@code int(duration * 128 / duration) - 1} = 127 lags over the band axis). A
   * zero-energy band has cosine 0.
   */
  private static float[] seedNotebook(MelSpectrogram power) {
    int frames = power.frames();
    int mels = power.mels();
    double[] norms = new double[mels];
    double[] dots = new double[mels];
    float[] d = power.data();
    for (int t = 0; t < frames; t++) {
      int o = t * mels;
      double band0 = d[o];
      for (int m = 0; m < mels; m++) {
        double v = d[o + m];
        norms[m] += v * v;
        dots[m] += band0 * v;
      }
    }
    float[] bs = new float[mels - 1];
    for (int l = 0; l < mels - 1; l++) {
      double denom = Math.sqrt(norms[0] * norms[l]);
      bs[l] = denom > 0 ? (float) (dots[l] / denom) : 0f;
    }
    return bs;
  }

  private static double rms(float[] x) {
    if (x.length == 0) {
      return 0;
    }
    double ss = 0;
    for (float v : x) {
      ss += (double) v * v;
    }
    return Math.sqrt(ss / x.length);
  }
}
