package org.rhythmsearch.features;

import org.rhythmsearch.util.Named;

/**
 * Which rhythm descriptor a {@link FeatureConfig} computes from the mel spectrogram of an excerpt.
 * Persisted by {@link #id()}, never by ordinal.
 */
public enum Descriptor implements Named {
  /** Foote's diagonal beat spectrum: mean of each superdiagonal of the cosine self-similarity matrix. */
  BEAT_SPECTRUM,
  /** Foote's autocorrelation beat spectrum (2-D autocorrelation of S marginalised over one lag). */
  AUTOCORRELATION,
  /** Fourier beat spectral coefficients: log magnitude spectrum of the beat spectrum, truncated. */
  FBSC,
  /** The seed notebook's vector: cosine between the lowest mel band's envelope and every other band's. */
  SEED_NOTEBOOK,
  /**
   * Onset patterns: per mel sub-band, the autocorrelation of the half-wave-rectified dB-mel flux
   * (onset strength), detrended, concatenated.
   */
  ONSET_PATTERN,
  /**
   * Tempo-robust onset patterns: the sub-band onset autocorrelations resampled on a logarithmic lag
   * axis (a tempo change becomes a shift), described by the magnitude of their Fourier transform along
   * that axis (shift-invariant).
   */
  ONSET_LOGLAG,
  /**
   * Onset patterns (as {@link #ONSET_PATTERN}, lags 1 … {@code onsetMaxLagSeconds}) and Foote's
   * detrended diagonal beat spectrum (lags 0 … {@code maxLagSeconds}), each block unit-normalised and
   * weighted so each holds half of the vector's energy: sub-band onset periodicity and the repetition
   * of whole spectral frames, which tell songs apart better together than either alone.
   */
  ONSET_BEAT;
}
