package org.rhythmsearch.features;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A named, versioned rhythm-feature configuration: every parameter that influences a vector. A vector
 * always travels with the {@link #id()} ({@code name@version}) of the configuration that produced it;
 * an index records the full {@link #parameters()} and refuses vectors made with anything else.
 *
 * <p>Bump {@code version} whenever the computation behind a name changes.
 *
 * <p>Immutable; thread-safe.
 *
 * @param name short name users select, e.g. {@code beat-spectrum-detrended}
 * @param version version of the computation behind the name, {@code >= 1}
 * @param descriptor which rhythm descriptor is computed
 * @param sampleRate analysis sample rate, Hz
 * @param nFft STFT length, samples (power of two)
 * @param hop STFT hop, samples
 * @param nMels number of mel bands (Slaney scale and normalisation)
 * @param compression how mel power is compressed before frames are compared
 * @param dbRange range kept below the excerpt's peak when {@code compression} is decibels, dB
 * @param excerptSeconds excerpt (window) length, seconds
 * @param maxLagSeconds largest beat-spectrum lag, seconds (lags 0 … round(maxLagSeconds · sampleRate / hop))
 * @param detrendLags width of the centred moving average subtracted from the beat spectrum, lags (0: none)
 * @param fbscCoefficients number of FBSC coefficients kept (FBSC only, else 0)
 * @param bands mel sub-bands with their own onset envelope (onset descriptors only, else 0)
 * @param silenceDbfs excerpts whose RMS level is below this (dB re full scale) are skipped as silent
 * @param onsetMaxLagSeconds largest onset-pattern lag kept by {@link Descriptor#ONSET_BEAT}, seconds
 *     (its beat spectrum keeps lags up to {@code maxLagSeconds}); 0 for other descriptors
 * @param projection a learned map applied to the unit-norm descriptor ({@link Projection}), or null for
 *     the descriptor itself; a projected vector is no longer lag-indexed
 */
public record FeatureConfig(
    String name,
    int version,
    Descriptor descriptor,
    int sampleRate,
    int nFft,
    int hop,
    int nMels,
    Compression compression,
    double dbRange,
    double excerptSeconds,
    double maxLagSeconds,
    int detrendLags,
    int fbscCoefficients,
    int bands,
    double silenceDbfs,
    double onsetMaxLagSeconds,
    Projection projection) implements java.io.Serializable {

  /** FFT length used for FBSC (zero-padded beat spectrum). */
  public static final int FBSC_FFT = 512;

  public FeatureConfig {
    if (name == null || !name.matches("[a-z0-9][a-z0-9-]*")) {
      throw new IllegalArgumentException("name must be lower-case letters, digits and '-'; name=" + name);
    }
    require(version >= 1, "version must be >= 1; version=" + version);
    require(descriptor != null && compression != null, "descriptor and compression must not be null");
    require(sampleRate > 0, "sampleRate must be positive; sampleRate=" + sampleRate);
    require(nFft >= 16 && Integer.bitCount(nFft) == 1, "nFft must be a power of two >= 16; nFft=" + nFft);
    require(hop >= 1 && hop <= nFft, "hop must be in [1, nFft]; hop=" + hop);
    require(nMels >= 2 && nMels <= nFft / 2 + 1, "nMels must be in [2, nFft/2+1]; nMels=" + nMels);
    require(dbRange > 0, "dbRange must be > 0; dbRange=" + dbRange);
    require(excerptSeconds > 0 && excerptSeconds <= 600, "excerptSeconds must be in (0, 600]; excerptSeconds=" + excerptSeconds);
    require(maxLagSeconds > 0 && maxLagSeconds < excerptSeconds,
        "maxLagSeconds must be in (0, excerptSeconds); maxLagSeconds=" + maxLagSeconds);
    require(detrendLags >= 0, "detrendLags must be >= 0; detrendLags=" + detrendLags);
    require(descriptor == Descriptor.FBSC ? fbscCoefficients >= 1 && fbscCoefficients < FBSC_FFT / 2
            : fbscCoefficients == 0,
        "fbscCoefficients must be in [1, " + (FBSC_FFT / 2 - 1) + "] for FBSC and 0 otherwise; fbscCoefficients=" + fbscCoefficients);
    boolean onset = descriptor == Descriptor.ONSET_PATTERN || descriptor == Descriptor.ONSET_LOGLAG
        || descriptor == Descriptor.ONSET_BEAT;
    require(onset ? bands >= 1 && bands <= nMels : bands == 0,
        "bands must be in [1, nMels] for onset descriptors and 0 otherwise; bands=" + bands);
    require(silenceDbfs < 0, "silenceDbfs must be < 0; silenceDbfs=" + silenceDbfs);
    require(descriptor == Descriptor.ONSET_BEAT
            ? onsetMaxLagSeconds > 0 && onsetMaxLagSeconds <= maxLagSeconds : onsetMaxLagSeconds == 0,
        "onsetMaxLagSeconds must be in (0, maxLagSeconds] for onset-beat and 0 otherwise; onsetMaxLagSeconds="
            + onsetMaxLagSeconds);
    if (descriptor == Descriptor.SEED_NOTEBOOK) {
      require(nMels >= 2, "seed-notebook needs at least 2 mel bands");
    }
    if (projection != null) {
      int d = new FeatureConfig(name, version, descriptor, sampleRate, nFft, hop, nMels, compression, dbRange,
          excerptSeconds, maxLagSeconds, detrendLags, fbscCoefficients, bands, silenceDbfs, onsetMaxLagSeconds)
          .dimension();
      require(projection.inputDim() == d, "the projection takes " + projection.inputDim() + " values, the descriptor has " + d);
    }
  }

  /** A configuration of the descriptor itself (no projection). */
  public FeatureConfig(String name, int version, Descriptor descriptor, int sampleRate, int nFft, int hop, int nMels,
      Compression compression, double dbRange, double excerptSeconds, double maxLagSeconds, int detrendLags,
      int fbscCoefficients, int bands, double silenceDbfs, double onsetMaxLagSeconds) {
    this(name, version, descriptor, sampleRate, nFft, hop, nMels, compression, dbRange, excerptSeconds, maxLagSeconds,
        detrendLags, fbscCoefficients, bands, silenceDbfs, onsetMaxLagSeconds, null);
  }

  /** This descriptor followed by {@code projection}, under another name. */
  public FeatureConfig projected(String name, int version, Projection projection) {
    return new FeatureConfig(name, version, descriptor, sampleRate, nFft, hop, nMels, compression, dbRange,
        excerptSeconds, maxLagSeconds, detrendLags, fbscCoefficients, bands, silenceDbfs, onsetMaxLagSeconds,
        java.util.Objects.requireNonNull(projection, "projection"));
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** {@code name@version}, e.g. {@code beat-spectrum-detrended@1}. */
  public String id() {
    return name + "@" + version;
  }

  /** Samples per excerpt. */
  public int excerptSamples() {
    return (int) Math.round(excerptSeconds * sampleRate);
  }

  /** STFT frames per excerpt (centred frames). */
  public int excerptFrames() {
    return 1 + excerptSamples() / hop;
  }

  /** Largest beat-spectrum lag in frames. */
  public int maxLagFrames() {
    return (int) Math.round(maxLagSeconds * sampleRate / hop);
  }

  /** Largest onset-pattern lag of {@link Descriptor#ONSET_BEAT} in frames (0 for other descriptors). */
  public int onsetMaxLagFrames() {
    return (int) Math.round(onsetMaxLagSeconds * sampleRate / hop);
  }

  /** Seconds per lag step (one STFT hop). */
  public double secondsPerLag() {
    return hop / (double) sampleRate;
  }

  /** Length of the vectors this configuration produces (the projection's output when there is one). */
  public int dimension() {
    return projection == null ? descriptorDimension() : projection.outputDim();
  }

  /** Length of the descriptor before any projection. */
  public int descriptorDimension() {
    return switch (descriptor) {
      case BEAT_SPECTRUM, AUTOCORRELATION -> maxLagFrames() + 1;
      case FBSC -> fbscCoefficients;
      case ONSET_PATTERN -> bands * maxLagFrames();
      case ONSET_LOGLAG -> bands * OnsetPatterns.LOG_LAG_POINTS / 2;
      case ONSET_BEAT -> bands * onsetMaxLagFrames() + maxLagFrames() + 1;
      case SEED_NOTEBOOK -> nMels - 1;
    };
  }

  /**
   * Whether vectors of this configuration are lag-indexed autocorrelations (beat spectra, onset
   * patterns), so a tempo change can be undone by rescaling their lag axis
   * ({@link PostProcessing#tempoScaled}).
   */
  public boolean lagIndexed() {
    return projection == null && (descriptor == Descriptor.BEAT_SPECTRUM || descriptor == Descriptor.AUTOCORRELATION
        || descriptor == Descriptor.ONSET_PATTERN || descriptor == Descriptor.ONSET_BEAT);
  }

  /**
   * The lag-indexed blocks a vector of this configuration is made of, in order: {first lag, length}
   * per block (onset patterns: one per band from lag 1; beat spectra: one from lag 0).
   *
   * @throws IllegalStateException when the configuration is not {@link #lagIndexed()}
   */
  public int[][] lagBlocks() {
    if (projection != null) {
      throw new IllegalStateException(id() + " is projected, not lag-indexed");
    }
    int[][] out;
    switch (descriptor) {
      case BEAT_SPECTRUM, AUTOCORRELATION -> out = new int[][] {{0, maxLagFrames() + 1}};
      case ONSET_PATTERN -> {
        out = new int[bands][];
        for (int b = 0; b < bands; b++) {
          out[b] = new int[] {1, maxLagFrames()};
        }
      }
      case ONSET_BEAT -> {
        out = new int[bands + 1][];
        for (int b = 0; b < bands; b++) {
          out[b] = new int[] {1, onsetMaxLagFrames()};
        }
        out[bands] = new int[] {0, maxLagFrames() + 1};
      }
      default -> throw new IllegalStateException(id() + " is not lag-indexed");
    }
    return out;
  }

  /**
   * Every parameter, in a fixed order, with persisted identifiers for enums. Two configurations
   * produce interchangeable vectors exactly when their parameter maps are equal.
   */
  public Map<String, Object> parameters() {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", name);
    p.put("version", version);
    p.put("descriptor", descriptor.id());
    p.put("sampleRate", sampleRate);
    p.put("nFft", nFft);
    p.put("hop", hop);
    p.put("nMels", nMels);
    p.put("melScale", "slaney");
    p.put("melNorm", "slaney");
    p.put("window", "hann-periodic");
    p.put("center", "zero-pad");
    p.put("compression", compression.id());
    p.put("dbRange", dbRange);
    p.put("excerptSeconds", excerptSeconds);
    p.put("maxLagSeconds", maxLagSeconds);
    p.put("detrendLags", detrendLags);
    p.put("fbscCoefficients", fbscCoefficients);
    p.put("bands", bands);
    p.put("silenceDbfs", silenceDbfs);
    if (descriptor == Descriptor.ONSET_BEAT) { // only here, so older configurations keep their canonical form
      p.put("onsetMaxLagSeconds", onsetMaxLagSeconds);
      p.put("blockWeights", "onset-0.5;beat-spectrum-0.5");
    }
    if (projection != null) {
      p.put("projection", projection.id());
    }
    p.put("normalisation", "unit-l2");
    p.put("dimension", dimension());
    return p;
  }

  /** The parameters as one canonical line, e.g. for storing and comparing. */
  public String canonical() {
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, Object> e : parameters().entrySet()) {
      if (sb.length() > 0) {
        sb.append(';');
      }
      Object v = e.getValue();
      sb.append(e.getKey()).append('=').append(v instanceof Double d ? String.format(Locale.ROOT, "%s", d) : v);
    }
    return sb.toString();
  }
}
