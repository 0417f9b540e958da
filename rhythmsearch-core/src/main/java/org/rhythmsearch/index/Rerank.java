package org.rhythmsearch.index;

/** Exact scores of candidate rows in a {@link Metric} (higher is more similar): the re-rank step of both approximate indexes. */
final class Rerank {

  private Rerank() {}

  /**
   * The scores of rows {@code ids} of {@code vectors} against {@code query} of norm {@code qNorm}.
   */
  static float[] scores(Kernels kernels, float[] query, float qNorm, VectorMatrix vectors, int[] ids, Metric metric) {
    float[] scores = new float[ids.length];
    switch (metric) {
      case COSINE -> {
        vectors.dotsOfRows(kernels, query, ids, scores);
        for (int c = 0; c < scores.length; c++) {
          float denom = qNorm * vectors.norm(ids[c]);
          scores[c] = denom > 0 ? scores[c] / denom : 0f;
        }
      }
      case EUCLIDEAN -> {
        vectors.distances(kernels, query, ids, scores, true);
        for (int c = 0; c < scores.length; c++) {
          scores[c] = (float) -Math.sqrt(scores[c]);
        }
      }
      case L1 -> {
        vectors.distances(kernels, query, ids, scores, false);
        for (int c = 0; c < scores.length; c++) {
          scores[c] = -scores[c];
        }
      }
      default -> throw new IllegalStateException();
    }
    return scores;
  }
}
