package org.rhythmsearch.features;

/**
 * Estimates the tempo (beats per minute) of an excerpt from the periodicity of its onset strength: the
 * half-wave-rectified dB-mel flux averaged over all bands (as {@link OnsetPatterns} computes it), its
 * normalised autocorrelation r(l) over lags up to {@value #MAX_LAG_SECONDS} s, with its slow trend
 * removed (a centred moving average of {@value #TREND_SECONDS} s), scored by a comb over the
 * candidate beat period τ: the mean of r(m·τ), m = 1, 2, … while m·τ ≤ {@value #MAX_LAG_SECONDS} s,
 * read by linear interpolation between lags (so the period is found to a fraction of one STFT hop).
 * The comb does not tell a period from its multiples, so the score is weighted by a log-normal tempo
 * prior centred at {@value #PRIOR_BPM} BPM with a standard deviation of one octave (the prior of
 * Ellis 2007, "Beat tracking by dynamic programming", and librosa's {@code beat.tempo}). Candidates
 * run from {@value #MIN_BPM} to {@value #MAX_BPM} BPM in steps of 0.1 %.
 *
 * <p>Not thread-safe (FFT scratch); one per thread.
 */
public final class TempoEstimator {

  /** Slowest tempo reported, BPM. */
  public static final double MIN_BPM = 40;
  /** Fastest tempo reported, BPM. */
  public static final double MAX_BPM = 240;
  /** Centre of the tempo prior, BPM. */
  public static final double PRIOR_BPM = 120;
  /** Largest autocorrelation lag the comb reads, seconds. */
  public static final double MAX_LAG_SECONDS = 5;
  /** Width of the moving average removed from the autocorrelation, seconds. */
  public static final double TREND_SECONDS = 1;
  /** Smallest periodicity strength (comb mean of the normalised autocorrelation) that gives a tempo. */
  public static final double MIN_STRENGTH = 0.02;
  private static final double STEP = 0.001;

  private final OnsetPatterns onsets = new OnsetPatterns();

  /**
   * The tempo of a compressed (dB) mel spectrogram, BPM, or NaN when its onset strength has no
   * periodicity (flat envelope, or no candidate period with a positive comb score).
   */
  public double bpm(MelSpectrogram db) {
    int frames = db.frames();
    double secondsPerLag = 1.0 / db.framesPerSecond();
    int maxLag = Math.min((int) Math.round(MAX_LAG_SECONDS / secondsPerLag), frames - 1);
    float[] envelope = OnsetPatterns.envelopes(db, 1)[0];
    float[] r = onsets.autocorrelation(envelope, maxLag);
    int trend = Math.max(3, (int) Math.round(TREND_SECONDS / secondsPerLag) | 1);
    return bpm(PostProcessing.detrend(r, trend), secondsPerLag);
  }

  /**
   * The tempo of a track from its excerpts' tempi: their median (for an even count, the geometric mean
   * of the two middle ones, as tempi are ratios), ignoring NaN (unknown); NaN when none is known.
   */
  public static double median(double[] tempi) {
    double[] t = java.util.Arrays.stream(tempi).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (t.length == 0) {
      return Double.NaN;
    }
    return t.length % 2 == 1 ? t[t.length / 2] : Math.sqrt(t[t.length / 2 - 1] * t[t.length / 2]);
  }

  /**
   * The comb-and-prior tempo of a detrended autocorrelation {@code r} (lag l at l · secondsPerLag
   * seconds), BPM, or NaN when the winning candidate's comb mean (its periodicity strength, a
   * correlation) is below {@value #MIN_STRENGTH}.
   */
  static double bpm(float[] r, double secondsPerLag) {
    double maxLag = r.length - 1;
    double best = 0;
    double bestBpm = Double.NaN;
    double bestStrength = 0;
    int candidates = (int) Math.floor(Math.log(MAX_BPM / MIN_BPM) / Math.log1p(STEP));
    for (int i = 0; i <= candidates; i++) {
      double bpm = MIN_BPM * Math.pow(1 + STEP, i);
      double period = 60.0 / bpm / secondsPerLag; // lags
      if (period > maxLag) {
        continue;
      }
      double sum = 0;
      int count = 0;
      for (double lag = period; lag <= maxLag; lag += period) {
        int l0 = (int) lag;
        double f = lag - l0;
        sum += l0 + 1 < r.length ? (1 - f) * r[l0] + f * r[l0 + 1] : r[l0];
        count++;
      }
      double octaves = Math.log(bpm / PRIOR_BPM) / Math.log(2);
      double score = sum / count * Math.exp(-0.5 * octaves * octaves);
      if (score > best) {
        best = score;
        bestBpm = bpm;
        bestStrength = sum / count;
      }
    }
    return bestStrength >= MIN_STRENGTH ? bestBpm : Double.NaN;
  }
}
