package org.rhythmsearch.index;

import java.util.Locale;

/**
 * How two vectors are compared. Every metric is reported as a score where higher is more similar:
 * cosine similarity, or the negated Euclidean / L1 distance. Persisted by {@link #id()}.
 */
public enum Metric {
  /** Cosine similarity {@code <a, b> / (|a| |b|)} (zero vectors score 0). */
  COSINE("cosine"),
  /** Negated Euclidean distance. */
  EUCLIDEAN("euclidean"),
  /** Negated L1 (Manhattan) distance. */
  L1("l1");

  private final String id;

  Metric(String id) {
    this.id = id;
  }

  /** Stable lower-case name, e.g. "cosine". */
  public String id() {
    return id;
  }

  /**
   * The metric called {@code name} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the known metrics
   */
  public static Metric byId(String name) {
    for (Metric m : values()) {
      if (m.id.equals(name.toLowerCase(Locale.ROOT))) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown metric '" + name + "'; known: cosine, euclidean, l1");
  }
}
