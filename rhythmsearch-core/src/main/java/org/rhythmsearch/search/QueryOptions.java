package org.rhythmsearch.search;

import org.rhythmsearch.index.Metric;
import org.rhythmsearch.util.Named;

/**
 * How a query is answered, in one value every front end fills from its own input.
 *
 * <p>Immutable; thread-safe.
 *
 * @param k number of tracks returned, {@code >= 1}
 * @param aggregation how excerpt similarities make a track's score
 * @param metric similarity of two excerpt vectors
 * @param search exact, through the stored approximate index (LSH or IVF: its candidates scored as
 *     exact search scores them), or {@link Search#AUTO}: through it where it was measured faster with
 *     enough recall ({@link QueryService#autoUsesApproximate})
 * @param tempoTolerance exhaustive tempo-tolerant search over factors 1 − t … 1 + t, in [0, 1); 0 = off
 * @param alignment tempo alignment of the score ({@link TempoAlignment#DEFAULT} by default), in every search
 */
public record QueryOptions(int k, Aggregation aggregation, Metric metric, Search search, double tempoTolerance,
    TempoAlignment alignment) {

  /** Exact or approximate search. */
  public enum Search implements Named {
    /** Through the approximate index where it was measured faster with enough recall, else exact. */
    AUTO,
    /** Every stored excerpt compared (tempo-aligned when asked). */
    EXACT,
    /** Through the stored approximate index; an error when the index has none. */
    APPROXIMATE
  }

  /** With {@code approximate} true: {@link Search#APPROXIMATE}, else {@link Search#EXACT}. */
  public QueryOptions(int k, Aggregation aggregation, Metric metric, boolean approximate, double tempoTolerance,
      TempoAlignment alignment) {
    this(k, aggregation, metric, approximate ? Search.APPROXIMATE : Search.EXACT, tempoTolerance, alignment);
  }

  /** Tracks returned by default. */
  public static final int DEFAULT_K = 10;

  public QueryOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    if (!(tempoTolerance >= 0 && tempoTolerance < 1)) {
      throw new IllegalArgumentException("tempo tolerance must be in [0, 1); tempoTolerance=" + tempoTolerance);
    }
    if (aggregation == null || metric == null || search == null || alignment == null) {
      throw new IllegalArgumentException("aggregation, metric, search and alignment must not be null");
    }
  }

  /**
   * The defaults of {@code rhythmsearch query}: 10 tracks, mean aggregation, cosine, through the
   * approximate index when there is one ({@link Search#AUTO}), else exact and tempo-aligned.
   */
  public static QueryOptions defaults() {
    return new QueryOptions(DEFAULT_K, TrackSearch.DEFAULT_AGGREGATION, Metric.COSINE, Search.AUTO, 0,
        TempoAlignment.DEFAULT);
  }

  /** These options with another search. */
  public QueryOptions withSearch(Search s) {
    return new QueryOptions(k, aggregation, metric, s, tempoTolerance, alignment);
  }
}
