package org.rhythmsearch.features;

import org.rhythmsearch.util.Named;

/** How mel-band power is compressed before frames are compared. Persisted by {@link #id()}. */
public enum Compression implements Named {
  /** Mel power as is (|STFT|² through the filterbank). */
  POWER,
  /**
   * Decibels over a fixed range below the excerpt's loudest value:
   * {@code max(10·log10(max(p, 1e-10)), top − range) − (top − range)} (log10 via {@code FastLog}, within 1e-5 dB), so values lie in [0, range] dB
   * and the floor is 0 (librosa's {@code power_to_db(ref=1, top_db=range)} shifted to be non-negative,
   * which keeps cosine similarity meaningful).
   */
  DB;
}
