package org.rhythmsearch.index;

/** Exact scores of candidate rows in a {@link Metric} (higher is more similar): the re-rank step of both approximate indexes. */
final class Rerank {

  private Rerank() {}

  /**
   * The scores of rows {@code ids} of {@code data} ({@code dim} floats per row, norms in {@code norms})
   * against {@code query} of norm {@code qNorm}.
   */
  static float[] scores(Kernels kernels, float[] query, float qNorm, float[] data, float[] norms, int dim, int[] ids,
      Metric metric) {
    float[] scores = new float[ids.length];
    switch (metric) {
      case COSINE -> {
        kernels.dotsOfRows(query, data, dim, ids, scores);
        for (int c = 0; c < scores.length; c++) {
          float denom = qNorm * norms[ids[c]];
          scores[c] = denom > 0 ? scores[c] / denom : 0f;
        }
      }
      case EUCLIDEAN -> {
        kernels.distances(query, data, dim, ids, scores, true);
        for (int c = 0; c < scores.length; c++) {
          scores[c] = (float) -Math.sqrt(scores[c]);
        }
      }
      case L1 -> {
        kernels.distances(query, data, dim, ids, scores, false);
        for (int c = 0; c < scores.length; c++) {
          scores[c] = -scores[c];
        }
      }
      default -> throw new IllegalStateException();
    }
    return scores;
  }
}
