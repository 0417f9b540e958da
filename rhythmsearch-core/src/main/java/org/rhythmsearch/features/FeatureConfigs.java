package org.rhythmsearch.features;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The named feature configurations users can pick. Analysis front end everywhere: 22050 Hz,
 * n_fft 2048, hop 512 (≈ 43.07 frames/s, 431 frames per 10-s excerpt), 128 Slaney mel bands — the
 * seed study's and librosa's defaults.
 *
 * <p>Immutable; thread-safe.
 */
public final class FeatureConfigs {

  /** Foote diagonal beat spectrum of the dB-mel self-similarity matrix, lags 0–5 s, raw. */
  public static final FeatureConfig BEAT_SPECTRUM = footeBase("beat-spectrum", Descriptor.BEAT_SPECTRUM, 0, 0);

  /** Same, minus a 21-lag centred moving average (removes the slow decay common to all excerpts). */
  public static final FeatureConfig BEAT_SPECTRUM_DETRENDED =
      footeBase("beat-spectrum-detrended", Descriptor.BEAT_SPECTRUM, 21, 0);

  /** Foote's autocorrelation beat spectrum, lags 0–5 s, detrended like the default. */
  public static final FeatureConfig BEAT_SPECTRUM_AUTOCORR =
      footeBase("beat-spectrum-autocorr", Descriptor.AUTOCORRELATION, 21, 0);

  /** Fourier beat spectral coefficients of the raw diagonal beat spectrum (64 coefficients). */
  public static final FeatureConfig FBSC = footeBase("fbsc", Descriptor.FBSC, 0, 64);

  /**
   * The seed notebook's actual vector: {@code bs[l] = cos(M[0,:], M[l,:])}, l = 0…126, over the rows
   * (mel bands) of the mel power spectrogram M. A timbre descriptor, kept only for side-by-side
   * comparison.
   */
  public static final FeatureConfig SEED_NOTEBOOK = new FeatureConfig(
      "seed-notebook", 1, Descriptor.SEED_NOTEBOOK, 22050, 2048, 512, 128, Compression.POWER, 80,
      10, 5, 0, 0, 0, -70, 0);

  /** Onset strength autocorrelation over the whole spectrum, lags 1–5 s, detrended (215 values). */
  public static final FeatureConfig ONSET_AUTOCORR = onset("onset-autocorr", Descriptor.ONSET_PATTERN, 1, 21);

  /** Onset patterns in 4 mel sub-bands, lags 1–5 s, detrended (860 values). */
  public static final FeatureConfig ONSET_PATTERNS_4 = onset("onset-patterns-4", Descriptor.ONSET_PATTERN, 4, 21);

  /** Onset patterns in 8 mel sub-bands, lags 1–5 s, detrended (1720 values). */
  public static final FeatureConfig ONSET_PATTERNS_8 = onset("onset-patterns-8", Descriptor.ONSET_PATTERN, 8, 21);

  /**
   * Onset patterns in 8 mel sub-bands (lags 1–2.5 s, detrended) with Foote's detrended beat spectrum
   * (lags 0–5 s), half the energy each (8 · 108 + 216 = 1080 values).
   */
  public static final FeatureConfig ONSET_BEAT_8 = new FeatureConfig("onset-beat-8", 1, Descriptor.ONSET_BEAT, 22050,
      2048, 512, 128, Compression.DB, 80, 10, 5, 21, 0, 8, -70, 2.5);

  /**
   * {@link #ONSET_BEAT_8} with 16 mel sub-bands (16 · 108 + 216 = 1944 values): the band count chosen
   * by leave-one-package-out on the wide corpus among 4, 8, 12, 16 and 24 (docs/EVALUATION.md); not
   * the default yet.
   */
  public static final FeatureConfig ONSET_BEAT_16 = new FeatureConfig("onset-beat-16", 1, Descriptor.ONSET_BEAT, 22050,
      2048, 512, 128, Compression.DB, 80, 10, 5, 21, 0, 16, -70, 2.5);

  /** Output dimensions of {@link #onsetBeat16w()}'s projection. */
  public static final int WHITENED_DIMS = 512;

  /** Shrink of {@link #onsetBeat16w()}'s projection ({@link Projection#fit}). */
  public static final double WHITENED_SHRINK = 0.03;

  /** Name of {@link #onsetBeat16w()}. */
  public static final String ONSET_BEAT_16W_NAME = "onset-beat-16w";

  /** The class-path resource holding {@link #onsetBeat16w()}'s projection. */
  public static final String ONSET_BEAT_16W_RESOURCE = "onset-beat-16w.projection";

  /** Tempo-robust onset patterns (log-lag axis, Fourier magnitude) in 4 sub-bands. */
  public static final FeatureConfig ONSET_LOGLAG_4 = onset("onset-loglag-4", Descriptor.ONSET_LOGLAG, 4, 0);

  /**
   * The configuration used when none is named: {@link #ONSET_BEAT_8}, chosen by leave-one-package-out
   * on the extended development corpus (12 Debian game-music packages, 138 songs; docs/EVALUATION.md):
   * it had the best mean P@2 over the other packages in every one of the 12 folds (0.842 mean over
   * packages, against 0.720 for the earlier default {@link #ONSET_AUTOCORR}).
   */
  public static final FeatureConfig DEFAULT = ONSET_BEAT_8;

  /** Name of {@link #DEFAULT} (a constant, for annotations). */
  public static final String DEFAULT_NAME = "onset-beat-8";

  private static final Map<String, Supplier<FeatureConfig>> BY_NAME = new LinkedHashMap<>();

  static {
    if (!DEFAULT.name().equals(DEFAULT_NAME)) {
      throw new AssertionError("DEFAULT_NAME must name DEFAULT");
    }
    for (FeatureConfig c : List.of(ONSET_BEAT_8, ONSET_BEAT_16)) {
      BY_NAME.put(c.name(), () -> c);
    }
    BY_NAME.put(ONSET_BEAT_16W_NAME, FeatureConfigs::onsetBeat16w);
    for (FeatureConfig c : List.of(ONSET_AUTOCORR, ONSET_PATTERNS_4, ONSET_PATTERNS_8, ONSET_LOGLAG_4,
        BEAT_SPECTRUM_DETRENDED, BEAT_SPECTRUM, BEAT_SPECTRUM_AUTOCORR, FBSC, SEED_NOTEBOOK)) {
      BY_NAME.put(c.name(), () -> c);
    }
  }

  private FeatureConfigs() {}

  /** Loaded on first use: 4 MB of weights that most commands never need. */
  private static final class Whitened {
    static final FeatureConfig ONSET_BEAT_16W = ONSET_BEAT_16.projected(ONSET_BEAT_16W_NAME, 1,
        Projection.resource(ONSET_BEAT_16W_RESOURCE));
  }

  /**
   * {@link #ONSET_BEAT_16}'s 1944 values whitened to {@value #WHITENED_DIMS} by a {@link Projection}
   * fitted on the wide development corpus (20 Debian packages; scripts/fit-projection.sh): mean P@2
   * 0.889 over held-out packages there when each package's projection is fitted without it
   * (docs/EVALUATION.md). Not lag-indexed, so tempo alignment does not apply to it.
   */
  public static FeatureConfig onsetBeat16w() {
    return Whitened.ONSET_BEAT_16W;
  }

  /**
   * The configuration of the descriptor under {@code config}'s projection (a named one, so that its
   * extracted excerpts can be shared): {@code config} itself when it has none.
   */
  public static FeatureConfig unprojected(FeatureConfig config) {
    if (config.projection() == null) {
      return config;
    }
    for (FeatureConfig c : List.of(ONSET_BEAT_8, ONSET_BEAT_16)) {
      if (descriptorOf(config, c.name(), c.version()).equals(c)) {
        return c;
      }
    }
    return descriptorOf(config, config.name() + "-descriptor", config.version());
  }

  private static FeatureConfig footeBase(String name, Descriptor d, int detrend, int fbsc) {
    return new FeatureConfig(name, 1, d, 22050, 2048, 512, 128, Compression.DB, 80, 10, 5, detrend, fbsc, 0, -70, 0);
  }

  private static FeatureConfig onset(String name, Descriptor d, int bands, int detrend) {
    return new FeatureConfig(name, 1, d, 22050, 2048, 512, 128, Compression.DB, 80, 10, 5, detrend, 0, bands, -70, 0);
  }

  private static FeatureConfig descriptorOf(FeatureConfig c, String name, int version) {
    return new FeatureConfig(name, version, c.descriptor(), c.sampleRate(), c.nFft(), c.hop(), c.nMels(), c.compression(),
        c.dbRange(), c.excerptSeconds(), c.maxLagSeconds(), c.detrendLags(), c.fbscCoefficients(), c.bands(),
        c.silenceDbfs(), c.onsetMaxLagSeconds());
  }

  /** All named configurations, default first. */
  public static List<FeatureConfig> all() {
    return BY_NAME.values().stream().map(Supplier::get).toList();
  }

  /** Names of all configurations, default first. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * The configuration called {@code name}.
   *
   * @throws IllegalArgumentException naming the known features when there is none by that name
   */
  public static FeatureConfig byName(String name) {
    Supplier<FeatureConfig> c = BY_NAME.get(name);
    if (c == null) {
      throw new IllegalArgumentException("unknown feature '" + name + "'; known: " + String.join(", ", names()));
    }
    return c.get();
  }
}
