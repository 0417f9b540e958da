package org.rhythmsearch.index;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rhythmsearch.features.Vectors;

/**
 * The training of {@link IvfIndex}'s lists: spherical k-means on a seeded sample of unit rows. Apart from
 * the index, which lays out and searches what this trains (as Lucene keeps a graph's builder apart from
 * its searcher).
 *
 * <p>Stateless; thread-safe (uses the common pool for its parallel loops).
 */
final class SphericalKMeans {

  private SphericalKMeans() {}

  /** The unit rows of a seeded sample of {@code 32 · lists} rows (at least 4 096; all when fewer). */
  static float[] unitSample(VectorMatrix vectors, IvfIndex.Params p) {
    int n = vectors.rows();
    int dim = vectors.dim();
    int m = (int) Math.min(n, Math.max(4_096L, 32L * p.lists()));
    int[] pick = Vectors.partialShuffle(n, m, new SplittableRandom(p.seed()));
    float[] out = new float[m * dim];
    for (int i = 0; i < m; i++) {
      int r = pick[i];
      float norm = vectors.norm(r);
      vectors.rowInto(r, out, i * dim);
      for (int j = i * dim; j < (i + 1) * dim; j++) {
        out[j] = norm > 0 ? out[j] / norm : 0f;
      }
    }
    return out;
  }

  /**
   * Spherical k-means of the unit rows {@code x}: {@code min(lists, rows)} centroids, seeded by
   * k-means++ (each next seed drawn with probability proportional to 1 − its best cosine so far), then
   * {@value IvfIndex#ITERATIONS} rounds of assigning each row to its most similar centroid and setting each
   * centroid to its rows' normalised mean; an emptied list takes the row its centroid serves worst.
   */
  static VectorMatrix train(float[] x, int dim, IvfIndex.Params p) {
    int n = x.length / dim;
    int k = Math.min(p.lists(), n);
    Kernels kernels = Kernels.best();
    SplittableRandom rnd = new SplittableRandom(p.seed() ^ 0x9E3779B97F4A7C15L);
    float[] c = new float[p.lists() * dim];
    double[] gap = new double[n];
    Arrays.fill(gap, Double.MAX_VALUE);
    int first = rnd.nextInt(n);
    System.arraycopy(x, first * dim, c, 0, dim);
    for (int s = 1; s <= k; s++) {
      int prev = s - 1;
      float[] centre = Arrays.copyOfRange(c, prev * dim, s * dim);
      IntStream.range(0, n).parallel().forEach(i ->
          gap[i] = Math.min(gap[i], Math.max(0, 1 - kernels.dot(centre, x, i * dim, dim))));
      double total = 0;
      for (double g : gap) {
        total += g; // in order: the same seed picks the same rows
      }
      if (s == k) {
        break;
      }
      double target = rnd.nextDouble() * total;
      int pick = n - 1;
      for (int i = 0; i < n; i++) {
        target -= gap[i];
        if (target < 0) {
          pick = i;
          break;
        }
      }
      System.arraycopy(x, pick * dim, c, s * dim, dim);
    }
    // lists beyond the rows (tiny indexes): copies of the first centroid, never nearest before it
    for (int s = k; s < p.lists(); s++) {
      System.arraycopy(c, 0, c, s * dim, dim);
    }
    int[] assign = new int[n];
    float[] best = new float[n];
    for (int it = 0; it < IvfIndex.ITERATIONS; it++) {
      VectorMatrix cm = new VectorMatrix(c.clone(), dim);
      IntStream.range(0, n).parallel().forEach(i -> {
        float[] s = new float[cm.rows()];
        assign[i] = IvfIndex.nearest(kernels, Arrays.copyOfRange(x, i * dim, (i + 1) * dim), cm, s);
        best[i] = s[assign[i]];
      });
      double[] sum = new double[k * dim];
      int[] count = new int[k];
      for (int i = 0; i < n; i++) {
        int l = assign[i];
        count[l]++;
        for (int j = 0; j < dim; j++) {
          sum[l * dim + j] += x[i * dim + j];
        }
      }
      boolean[] taken = new boolean[n];
      for (int l = 0; l < k; l++) {
        if (count[l] == 0) {
          int worst = -1;
          for (int i = 0; i < n; i++) {
            if (!taken[i] && (worst < 0 || best[i] < best[worst])) {
              worst = i;
            }
          }
          taken[worst] = true;
          System.arraycopy(x, worst * dim, c, l * dim, dim);
          continue;
        }
        double norm = 0;
        for (int j = 0; j < dim; j++) {
          norm += sum[l * dim + j] * sum[l * dim + j];
        }
        norm = Math.sqrt(norm);
        for (int j = 0; j < dim; j++) {
          c[l * dim + j] = norm > 0 ? (float) (sum[l * dim + j] / norm) : 0f;
        }
      }
    }
    return new VectorMatrix(c, dim);
  }

}
