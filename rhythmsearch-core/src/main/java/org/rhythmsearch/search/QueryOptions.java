package org.rhythmsearch.search;

import org.rhythmsearch.index.Metric;

/**
 * How a query is answered, in one value every front end fills from its own input.
 *
 * <p>Immutable; thread-safe.
 *
 * @param k number of tracks returned, {@code >= 1}
 * @param aggregation how excerpt similarities make a track's score
 * @param metric similarity of two excerpt vectors
 * @param lsh search through the stored LSH index instead of exactly (not tempo-aligned)
 * @param tempoTolerance exhaustive tempo-tolerant search over factors 1 − t … 1 + t, in [0, 1); 0 = off
 * @param alignment tempo alignment of exact search ({@link TempoAlignment#DEFAULT} by default)
 */
public record QueryOptions(int k, Aggregation aggregation, Metric metric, boolean lsh, double tempoTolerance,
    TempoAlignment alignment) {

  /** Tracks returned by default. */
  public static final int DEFAULT_K = 10;

  public QueryOptions {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    if (!(tempoTolerance >= 0 && tempoTolerance < 1)) {
      throw new IllegalArgumentException("tempo tolerance must be in [0, 1); tempoTolerance=" + tempoTolerance);
    }
    if (aggregation == null || metric == null || alignment == null) {
      throw new IllegalArgumentException("aggregation, metric and alignment must not be null");
    }
  }

  /** The defaults of {@code rhythmsearch query}: 10 tracks, mean aggregation, cosine, exact, tempo-aligned. */
  public static QueryOptions defaults() {
    return new QueryOptions(DEFAULT_K, TrackSearch.DEFAULT_AGGREGATION, Metric.COSINE, false, 0, TempoAlignment.DEFAULT);
  }
}
