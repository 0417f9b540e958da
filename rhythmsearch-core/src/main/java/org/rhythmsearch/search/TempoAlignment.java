package org.rhythmsearch.search;

import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.index.ExactIndex;

/**
 * The parameters of tempo-aligned excerpt scoring, which {@link Similarity} (the one definition of the
 * score) applies: the same groove played a little faster or slower is found at the
 * cost of about one extra dot product per indexed excerpt.
 *
 * <p>Every excerpt carries its tempo ({@link org.rhythmsearch.features.TempoEstimator}). For a query
 * excerpt of tempo T<sub>q</sub> and an indexed excerpt of tempo T<sub>r</sub>, the ratio
 * f = T<sub>q</sub> / T<sub>r</sub> is folded by octaves into [1/√2, √2) (a tempo estimate may be
 * a half or double of another's) and rounded to {@value #STEP} steps. When 0 &lt; |f − 1| ≤
 * {@code tolerance}, the query is also compared with its lag axis rescaled by f
 * ({@link PostProcessing#tempoScaled}), i.e. as if played at the indexed excerpt's tempo, and the
 * excerpt's score is max(cos(q, r), cos(q<sub>f</sub>, r) − {@code margin}). The query is rescaled
 * once per step that occurs (at most 2 · tolerance / step + 1 times), and each indexed excerpt is read
 * once for both of its products ({@link ExactIndex#pairedCosines}). The margin keeps the alignment from lifting other songs whose tempo
 * happens to lie near the query's: alignment can make any two grooves more alike, so an aligned match
 * must beat the plain one by that much. Excerpts without a tempo, features that are not lag-indexed
 * and metrics other than cosine are scored plainly.
 *
 * <p>Immutable; thread-safe.
 *
 * @param tolerance largest relative tempo difference aligned, in [0, 0.5]; 0 turns alignment off
 * @param margin how much an aligned cosine is lowered before it competes with the plain one, in [0, 2]
 */
public record TempoAlignment(double tolerance, double margin) implements java.io.Serializable {

  /** Step of the tempo factors, relative. */
  public static final double STEP = 0.01;

  /** No alignment: plain cosine similarity. */
  public static final TempoAlignment OFF = new TempoAlignment(0, 0);

  /**
   * The default: tempi within ±20 % aligned, aligned cosines lowered by 0.11 (chosen on the extended
   * development corpus, docs/EVALUATION.md).
   */
  public static final TempoAlignment DEFAULT = new TempoAlignment(0.2, 0.11);

  private static final double SQRT2 = Math.sqrt(2);

  public TempoAlignment {
    if (!(tolerance >= 0 && tolerance <= 0.5)) {
      throw new IllegalArgumentException("tempo alignment tolerance must be in [0, 0.5]; tolerance=" + tolerance);
    }
    if (!(margin >= 0 && margin <= 2)) {
      throw new IllegalArgumentException("tempo alignment margin must be in [0, 2]; margin=" + margin);
    }
  }

  /** Whether alignment is on. */
  public boolean enabled() {
    return tolerance > 0;
  }

  /**
   * A tempo ratio folded by octaves into [1/√2, √2): a tempo estimate may be half or double another
   * of the same music.
   *
   * @param ratio a positive, finite ratio of two tempi
   */
  public static double fold(double ratio) {
    if (!(ratio > 0) || Double.isInfinite(ratio)) {
      throw new IllegalArgumentException("ratio must be positive and finite; ratio=" + ratio);
    }
    double f = ratio;
    while (f >= SQRT2) {
      f /= 2;
    }
    while (f < 1 / SQRT2) {
      f *= 2;
    }
    return f;
  }

  /**
   * The aligning step k (factor 1 + k · {@value #STEP}) between two tempi, or 0 when none applies
   * (a tempo unknown, equal after rounding, or further apart than {@code steps} steps).
   */
  static int step(double queryTempo, double rowTempo, int steps) {
    if (!(rowTempo > 0) || !(queryTempo > 0)) {
      return 0;
    }
    long k = Math.round((fold(queryTempo / rowTempo) - 1) / STEP);
    return Math.abs(k) <= steps ? (int) k : 0;
  }
}
