package org.rhythmsearch.index;

import org.rhythmsearch.util.Named;

/**
 * How two vectors are compared. Every metric is reported as a score where higher is more similar:
 * cosine similarity, or the negated Euclidean / L1 distance. Persisted by {@link #id()}.
 */
public enum Metric implements Named {
  /** Cosine similarity {@code <a, b> / (|a| |b|)} (zero vectors score 0). */
  COSINE,
  /** Negated Euclidean distance. */
  EUCLIDEAN,
  /** Negated L1 (Manhattan) distance. */
  L1;
}
