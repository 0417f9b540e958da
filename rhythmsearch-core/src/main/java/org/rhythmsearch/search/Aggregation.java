package org.rhythmsearch.search;

import java.util.Locale;

/**
 * How the excerpt-level similarities between a query track and an indexed track become the track's
 * score. Persisted and named by {@link #id()}.
 */
public enum Aggregation {
  /** The best similarity of any query excerpt with any of the track's excerpts. */
  MAX("max"),
  /**
   * For each query excerpt its best similarity with the track's excerpts, averaged over the query
   * excerpts: a track must match the query throughout, not in one place.
   */
  MEAN("mean"),
  /**
   * Each query excerpt votes for the track of its nearest indexed excerpt; score = votes, ties broken
   * by {@link #MAX}.
   */
  VOTE("vote");

  private final String id;

  Aggregation(String id) {
    this.id = id;
  }

  /** Stable lower-case name. */
  public String id() {
    return id;
  }

  /** The aggregation called {@code name} (case-insensitive). */
  public static Aggregation byId(String name) {
    for (Aggregation a : values()) {
      if (a.id.equals(name.toLowerCase(Locale.ROOT))) {
        return a;
      }
    }
    throw new IllegalArgumentException("unknown aggregation '" + name + "'; known: max, mean, vote");
  }
}
