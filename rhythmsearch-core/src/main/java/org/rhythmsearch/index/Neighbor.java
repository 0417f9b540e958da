package org.rhythmsearch.index;

/**
 * A search result: the row of a vector in its index and its score (higher is more similar).
 *
 * @param id row of the vector in the {@link VectorMatrix}
 * @param score similarity score of the {@link Metric} used
 */
public record Neighbor(int id, float score) implements Comparable<Neighbor> {

  /** Best first: higher score, then lower id (deterministic tie-breaking). */
  @Override
  public int compareTo(Neighbor o) {
    int c = Float.compare(o.score, score);
    return c != 0 ? c : Integer.compare(id, o.id);
  }
}
