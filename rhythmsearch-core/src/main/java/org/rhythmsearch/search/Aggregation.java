package org.rhythmsearch.search;

import org.rhythmsearch.util.Named;

/**
 * How the excerpt-level similarities between a query track and an indexed track become the track's
 * score. Persisted and named by {@link #id()}.
 */
public enum Aggregation implements Named {
  /** The best similarity of any query excerpt with any of the track's excerpts. */
  MAX,
  /**
   * For each query excerpt its best similarity with the track's excerpts, averaged over the query
   * excerpts: a track must match the query throughout, not in one place.
   */
  MEAN,
  /**
   * Each query excerpt votes for the track of its nearest indexed excerpt; score = votes, ties broken
   * by {@link #MAX}.
   */
  VOTE;
}
