package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * Exact ("traditional algorithm", Foote et al. 2002; the seed study's baseline) k-nearest-neighbour
 * search by brute force over a {@link VectorMatrix}: every row is scored, the best k kept in a
 * bounded heap. Ties are broken by lower row id, so results are deterministic.
 *
 * <p>Thread-safe: the index is immutable; each call allocates its own score buffer.
 */
public final class ExactIndex {

  private final VectorMatrix vectors;
  private final Kernels kernels;

  public ExactIndex(VectorMatrix vectors) {
    this(vectors, Kernels.best());
  }

  /** An index on the scalar loops even when SIMD is available (a baseline for benchmarks and tests). */
  public static ExactIndex scalar(VectorMatrix vectors) {
    return new ExactIndex(vectors, Kernels.scalar());
  }

  ExactIndex(VectorMatrix vectors, Kernels kernels) {
    this.vectors = vectors;
    this.kernels = kernels;
  }

  /** The indexed vectors. */
  public VectorMatrix vectors() {
    return vectors;
  }

  /** Whether the SIMD kernels are in use. */
  public boolean vectorized() {
    return kernels instanceof SimdKernels;
  }

  /**
   * Scores of {@code query} against every row ({@link Metric}: higher is more similar).
   *
   * @throws IllegalArgumentException when the query's dimension differs from the index's
   */
  public float[] scores(float[] query, Metric metric) {
    if (query.length != vectors.dim()) {
      throw new IllegalArgumentException(
          "query dimension " + query.length + " does not match the index dimension " + vectors.dim());
    }
    float[] out = new float[vectors.rows()];
    switch (metric) {
      case COSINE -> {
        kernels.dots(query, vectors, out);
        double qn = 0;
        for (float v : query) {
          qn += (double) v * v;
        }
        float qNorm = (float) Math.sqrt(qn);
        for (int r = 0; r < out.length; r++) {
          float denom = qNorm * vectors.norm(r);
          out[r] = denom > 0 ? out[r] / denom : 0f;
        }
      }
      case EUCLIDEAN -> {
        kernels.squaredDistances(query, vectors, out);
        for (int r = 0; r < out.length; r++) {
          out[r] = (float) -Math.sqrt(out[r]);
        }
      }
      case L1 -> {
        kernels.l1Distances(query, vectors, out);
        for (int r = 0; r < out.length; r++) {
          out[r] = -out[r];
        }
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }

  /**
   * Cosine similarities of {@code query} with the given rows only: {@code out[i]} for row
   * {@code rows[i]} (zero vectors score 0).
   *
   * @throws IllegalArgumentException when the query's dimension differs from the index's
   */
  public float[] cosinesOfRows(float[] query, int[] rows) {
    if (query.length != vectors.dim()) {
      throw new IllegalArgumentException(
          "query dimension " + query.length + " does not match the index dimension " + vectors.dim());
    }
    float[] out = new float[rows.length];
    kernels.dotsOfRows(query, vectors.data(), vectors.dim(), rows, out);
    double qn = 0;
    for (float v : query) {
      qn += (double) v * v;
    }
    float qNorm = (float) Math.sqrt(qn);
    for (int i = 0; i < rows.length; i++) {
      float denom = qNorm * vectors.norm(rows[i]);
      out[i] = denom > 0 ? out[i] / denom : 0f;
    }
    return out;
  }

  /**
   * The {@code k} rows most similar to {@code query}, best first.
   *
   * @param k number of results, {@code >= 1}; fewer are returned when fewer rows qualify
   * @param exclude rows to leave out (e.g. the query's own excerpts), or null
   */
  public List<Neighbor> search(float[] query, int k, Metric metric, IntPredicate exclude) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    return topK(scores(query, metric), k, exclude);
  }

  /** The best {@code k} entries of {@code scores}, best first, ties to the lower index. */
  public static List<Neighbor> topK(float[] scores, int k, IntPredicate exclude) {
    PriorityQueue<Neighbor> heap = new PriorityQueue<>(k + 1, Collections.reverseOrder());
    for (int r = 0; r < scores.length; r++) {
      if (exclude != null && exclude.test(r)) {
        continue;
      }
      float s = scores[r];
      if (Float.isNaN(s)) {
        continue;
      }
      if (heap.size() < k) {
        heap.add(new Neighbor(r, s));
      } else {
        Neighbor worst = heap.peek();
        if (s > worst.score()) { // equal score: the earlier (lower id) entry stays
          heap.poll();
          heap.add(new Neighbor(r, s));
        }
      }
    }
    List<Neighbor> out = new ArrayList<>(heap);
    Collections.sort(out);
    return out;
  }
}
