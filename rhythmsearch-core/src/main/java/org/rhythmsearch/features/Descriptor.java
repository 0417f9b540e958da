package org.rhythmsearch.features;

/**
 * Which rhythm descriptor a {@link FeatureConfig} computes from the mel spectrogram of an excerpt.
 * Persisted by {@link #id()}, never by ordinal.
 */
public enum Descriptor {
  /** Foote's diagonal beat spectrum: mean of each superdiagonal of the cosine self-similarity matrix. */
  BEAT_SPECTRUM("beat-spectrum"),
  /** Foote's autocorrelation beat spectrum (2-D autocorrelation of S marginalised over one lag). */
  AUTOCORRELATION("autocorrelation"),
  /** Fourier beat spectral coefficients: log magnitude spectrum of the beat spectrum, truncated. */
  FBSC("fbsc"),
  /** The seed notebook's vector: cosine between the lowest mel band's envelope and every other band's. */
  SEED_NOTEBOOK("seed-notebook");

  private final String id;

  Descriptor(String id) {
    this.id = id;
  }

  /** Stable identifier used in stored configurations. */
  public String id() {
    return id;
  }
}
