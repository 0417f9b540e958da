package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.List;
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
        vectors.dots(kernels, query, out);
        float qNorm = VectorMatrix.norm(query);
        for (int r = 0; r < out.length; r++) {
          float denom = qNorm * vectors.norm(r);
          out[r] = denom > 0 ? out[r] / denom : 0f;
        }
      }
      case EUCLIDEAN -> {
        vectors.distances(kernels, query, null, out, true);
        for (int r = 0; r < out.length; r++) {
          out[r] = (float) -Math.sqrt(out[r]);
        }
      }
      case L1 -> {
        vectors.distances(kernels, query, null, out, false);
        for (int r = 0; r < out.length; r++) {
          out[r] = -out[r];
        }
      }
      default -> throw new IllegalStateException();
    }
    return out;
  }

  /**
   * Scores of {@code query} with the given rows in {@code metric} ({@code out[i]} for row {@code rows[i]},
   * the same numbers {@link #scores} gives them): the exact re-scoring of an approximate index's candidates.
   *
   * @throws IllegalArgumentException when the query's dimension differs from the index's
   */
  public float[] scoresOfRows(float[] query, int[] rows, Metric metric) {
    if (query.length != vectors.dim()) {
      throw new IllegalArgumentException(
          "query dimension " + query.length + " does not match the index dimension " + vectors.dim());
    }
    return Rerank.scores(kernels, query, VectorMatrix.norm(query), vectors, rows, metric);
  }

  /**
   * Cosine similarities of {@code query} with the given rows, {@code out[i] = cos(query, row rows[i])}:
   * the gathered re-ranking of candidates (rows read in the order given).
   *
   * @throws IllegalArgumentException when the query's dimension differs from the index's or
   *     {@code out} is shorter than {@code rows}
   */
  public void cosinesOfRows(float[] query, int[] rows, float[] out) {
    cosinesOfRows(query, VectorMatrix.norm(query), rows, out);
  }

  /** {@link #cosinesOfRows(float[], int[], float[])} with the query's norm given. */
  public void cosinesOfRows(float[] query, float qNorm, int[] rows, float[] out) {
    if (query.length != vectors.dim() || out.length < rows.length) {
      throw new IllegalArgumentException("query dimension " + query.length + " (index " + vectors.dim() + "), out length "
          + out.length + " for " + rows.length + " rows");
    }
    vectors.dotsOfRows(kernels, query, rows, out);
    for (int i = 0; i < rows.length; i++) {
      float denom = qNorm * vectors.norm(rows[i]);
      out[i] = denom > 0 ? out[i] / denom : 0f;
    }
  }

  /**
   * Cosine similarities of every row with {@code query} ({@code plain}) and, where {@code which[r] >= 0},
   * with {@code alternatives[which[r]]} ({@code other}; NaN elsewhere), reading each row once.
   *
   * @throws IllegalArgumentException when a dimension differs from the index's or {@code which} has
   *     another length than the row count
   */
  public void pairedCosines(float[] query, float[][] alternatives, int[] which, float[] plain, float[] other) {
    float[] altNorm = new float[alternatives.length];
    for (int a = 0; a < alternatives.length; a++) {
      if (alternatives[a] != null) {
        altNorm[a] = VectorMatrix.norm(alternatives[a]);
      }
    }
    pairedCosines(query, alternatives, altNorm, which, plain, other);
  }

  /**
   * {@link #pairedCosines(float[], float[][], int[], float[], float[])} with the alternatives' norms given
   * ({@code altNorm[a]} of {@code alternatives[a]}; only those that {@code which} names are read).
   */
  public void pairedCosines(float[] query, float[][] alternatives, float[] altNorm, int[] which, float[] plain,
      float[] other) {
    int rows = vectors.rows();
    if (query.length != vectors.dim() || which.length != rows || plain.length != rows || other.length != rows) {
      throw new IllegalArgumentException("query dimension " + query.length + " (index " + vectors.dim()
          + "), which/plain/other lengths " + which.length + "/" + plain.length + "/" + other.length + " (rows " + rows + ")");
    }
    for (int a = 0; a < alternatives.length; a++) {
      if (alternatives[a] != null && alternatives[a].length != vectors.dim()) {
        throw new IllegalArgumentException("alternative " + a + " has dimension " + alternatives[a].length);
      }
    }
    java.util.Arrays.fill(other, Float.NaN);
    vectors.pairedDots(kernels, query, alternatives, which, plain, other);
    float qNorm = VectorMatrix.norm(query);
    for (int r = 0; r < rows; r++) {
      float rn = vectors.norm(r);
      float denom = qNorm * rn;
      plain[r] = denom > 0 ? plain[r] / denom : 0f;
      if (which[r] >= 0) {
        float denomA = altNorm[which[r]] * rn;
        other[r] = denomA > 0 ? other[r] / denomA : 0f;
      }
    }
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
    int[] top = topKIndices(scores, k, exclude);
    List<Neighbor> out = new ArrayList<>(top.length);
    for (int r : top) {
      out.add(new Neighbor(r, scores[r]));
    }
    return out;
  }

  /**
   * The indexes {@link #topK} returns, in its order, without an object per entry: a heap of indexes
   * whose top is the worst kept (the lower score; of equal scores the higher index), replaced only by a
   * strictly higher score, so that of equal scores the lower indexes stay.
   */
  public static int[] topKIndices(float[] scores, int k, IntPredicate exclude) {
    int[] heap = new int[Math.max(0, Math.min(k, scores.length))];
    int size = 0;
    for (int r = 0; r < scores.length; r++) {
      if (exclude != null && exclude.test(r)) {
        continue;
      }
      float s = scores[r];
      if (Float.isNaN(s)) {
        continue;
      }
      if (size < heap.length) {
        heap[size] = r;
        siftUp(heap, size++, scores);
      } else if (size > 0 && s > scores[heap[0]]) {
        heap[0] = r;
        siftDown(heap, size, scores);
      }
    }
    int[] out = new int[size];
    for (int i = size - 1; i >= 0; i--) { // the worst leaves first: it goes last
      out[i] = heap[0];
      heap[0] = heap[i];
      siftDown(heap, i, scores);
    }
    return out;
  }

  /** Whether index {@code a} ranks below {@code b} ({@link Neighbor#compareTo}: higher score first, then lower index). */
  private static boolean worse(float[] scores, int a, int b) {
    int c = Float.compare(scores[a], scores[b]);
    return c < 0 || (c == 0 && a > b);
  }

  private static void siftUp(int[] heap, int i, float[] scores) {
    int x = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!worse(scores, x, heap[parent])) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = x;
  }

  private static void siftDown(int[] heap, int size, float[] scores) {
    int i = 0;
    int x = heap[0];
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && worse(scores, heap[child + 1], heap[child])) {
        child++;
      }
      if (!worse(scores, heap[child], x)) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = x;
  }

}
