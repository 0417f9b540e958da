package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Exact top-k against a straightforward reference implementation, on random data. */
class ExactIndexTest {

  /** The reference: score every row in double precision, sort by (score desc, id asc), take k. */
  static List<Neighbor> reference(float[] data, int dim, float[] q, int k, Metric metric) {
    List<double[]> scored = new ArrayList<>();
    for (int r = 0; r < data.length / dim; r++) {
      double dot = 0;
      double nq = 0;
      double nr = 0;
      double l2 = 0;
      double l1 = 0;
      for (int j = 0; j < dim; j++) {
        double a = q[j];
        double b = data[r * dim + j];
        dot += a * b;
        nq += a * a;
        nr += b * b;
        l2 += (a - b) * (a - b);
        l1 += Math.abs(a - b);
      }
      double s = switch (metric) {
        case COSINE -> nq * nr > 0 ? dot / Math.sqrt(nq * nr) : 0;
        case EUCLIDEAN -> -Math.sqrt(l2);
        case L1 -> -l1;
      };
      scored.add(new double[] {s, r});
    }
    scored.sort(Comparator.<double[]>comparingDouble(x -> -x[0]).thenComparingDouble(x -> x[1]));
    List<Neighbor> out = new ArrayList<>();
    for (int i = 0; i < Math.min(k, scored.size()); i++) {
      out.add(new Neighbor((int) scored.get(i)[1], (float) scored.get(i)[0]));
    }
    return out;
  }

  @Test
  void topKIndicesKeepTheBestAndOfEqualScoresTheLowerIndexes() {
    for (long seed = 1; seed <= 500; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int n = rnd.nextInt(300);
      int k = rnd.nextInt(40);
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) { // few distinct values: many ties; some NaN, skipped
        int v = rnd.nextInt(12);
        scores[i] = v == 11 ? Float.NaN : (v - 5) / 4f;
      }
      java.util.function.IntPredicate exclude = seed % 3 == 0 ? r -> r % 7 == 0 : null;
      List<Integer> expected = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (!Float.isNaN(scores[i]) && (exclude == null || !exclude.test(i))) {
          expected.add(i);
        }
      }
      expected.sort(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i));
      int[] got = ExactIndex.topKIndices(scores, k, exclude);
      assertThat(got).as("seed %d n %d k %d", seed, n, k)
          .containsExactly(expected.subList(0, Math.min(k, expected.size())).stream().mapToInt(i -> i).toArray());
      List<Neighbor> neighbors = ExactIndex.topK(scores, k, exclude);
      assertThat(neighbors).extracting(Neighbor::id).containsExactly(java.util.Arrays.stream(got).boxed()
          .toArray(Integer[]::new));
    }
  }

  @Test
  void topKEqualsTheReferenceOnRandomData() {
    for (long seed = 1; seed <= 300; seed++) {
      SplittableRandom rnd = new SplittableRandom(seed);
      int dim = 1 + rnd.nextInt(260);
      int n = 1 + rnd.nextInt(400);
      int k = 1 + rnd.nextInt(Math.min(n, 20) + 3);
      Metric metric = Metric.values()[rnd.nextInt(3)];
      float[] data = new float[n * dim];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) rnd.nextGaussian();
      }
      // duplicates make exact ties: the lower id must win
      for (int d = 0; d < n / 10; d++) {
        int from = rnd.nextInt(n);
        int to = rnd.nextInt(n);
        System.arraycopy(data, from * dim, data, to * dim, dim);
      }
      float[] q = new float[dim];
      for (int j = 0; j < dim; j++) {
        q[j] = (float) rnd.nextGaussian();
      }
      List<Neighbor> expected = reference(data, dim, q, k, metric);
      VectorMatrix m = new VectorMatrix(data, dim);
      for (ExactIndex index : new ExactIndex[] {new ExactIndex(m), ExactIndex.scalar(m)}) {
        List<Neighbor> got = index.search(q, k, metric, null);
        assertThat(got).as("seed %d n %d dim %d k %d %s simd=%s", seed, n, dim, k, metric, index.vectorized())
            .hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
          float tol = 1e-4f * Math.max(1, Math.abs(expected.get(i).score()));
          assertThat(got.get(i).score()).as("seed %d rank %d", seed, i).isCloseTo(expected.get(i).score(),
              org.assertj.core.api.Assertions.within(tol));
          // the id must match unless the reference's neighbours are within float noise of each other
          int gotId = got.get(i).id();
          if (gotId != expected.get(i).id()) {
            float gap = Math.abs(reference(data, dim, q, n, metric).stream()
                .filter(x -> x.id() == gotId).findFirst().orElseThrow().score() - expected.get(i).score());
            assertThat(gap).as("seed %d rank %d: different id with a real score gap", seed, i).isLessThanOrEqualTo(tol);
          }
        }
      }
    }
  }

  @Test
  void exactDuplicatesTieToTheLowerId() {
    float[] v = {1, 2, 3};
    float[] data = new float[12];
    for (int r = 0; r < 4; r++) {
      System.arraycopy(v, 0, data, r * 3, 3);
    }
    List<Neighbor> got = new ExactIndex(new VectorMatrix(data, 3)).search(v, 2, Metric.COSINE, null);
    assertThat(got).extracting(Neighbor::id).containsExactly(0, 1);
    List<Neighbor> excluded = new ExactIndex(new VectorMatrix(data, 3)).search(v, 2, Metric.L1, r -> r < 2);
    assertThat(excluded).extracting(Neighbor::id).containsExactly(2, 3);
  }

  @Test
  void dimensionMismatchIsAClearError() {
    ExactIndex index = new ExactIndex(new VectorMatrix(new float[10], 5));
    assertThatThrownBy(() -> index.search(new float[4], 1, Metric.COSINE, null))
        .hasMessage("query dimension 4 does not match the index dimension 5");
    assertThatThrownBy(() -> index.search(new float[5], 0, Metric.COSINE, null)).hasMessageContaining("k=0");
  }

  @Test
  void simdAndScalarKernelsAgree() {
    SplittableRandom rnd = new SplittableRandom(5);
    int dim = 216;
    float[] data = new float[1000 * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    VectorMatrix m = new VectorMatrix(data, dim);
    float[] q = m.row(17);
    assertThat(new ExactIndex(m).vectorized()).as("surefire runs with the Vector API module").isTrue();
    for (Metric metric : Metric.values()) {
      float[] a = new ExactIndex(m).scores(q, metric);
      float[] b = ExactIndex.scalar(m).scores(q, metric);
      for (int r = 0; r < a.length; r++) {
        assertThat(a[r]).as("%s row %d", metric, r).isCloseTo(b[r], org.assertj.core.api.Assertions.within(1e-3f));
      }
    }
  }

  @Test
  void gatheredRowDotsAgreeWithTheScalarKernelForEveryBatchRemainder() {
    assertThat(Kernels.best()).as("the tests run with the Vector API module").isInstanceOf(SimdKernels.class);
    SplittableRandom rnd = new SplittableRandom(8);
    for (int dim : new int[] {3, 16, 215}) {
      float[] data = new float[500 * dim];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) rnd.nextGaussian();
      }
      float[] q = new float[dim];
      for (int j = 0; j < dim; j++) {
        q[j] = (float) rnd.nextGaussian();
      }
      for (int count = 0; count <= 41; count++) { // 16- and 8-row batches plus every remainder
        int[] rows = new int[count];
        for (int i = 0; i < count; i++) {
          rows[i] = rnd.nextInt(500);
        }
        float[] simd = new float[count];
        float[] scalar = new float[count];
        Kernels.best().dotsOfRows(q, data, dim, rows, simd);
        Kernels.scalar().dotsOfRows(q, data, dim, rows, scalar);
        for (int i = 0; i < count; i++) {
          assertThat(simd[i]).as("dim %d, %d rows, row %d", dim, count, i).isCloseTo(scalar[i],
              org.assertj.core.api.Assertions.within(1e-3f));
        }
      }
    }
  }

  @Test
  void pairedCosinesEqualTwoSeparateScansOnBothKernels() {
    SplittableRandom rnd = new SplittableRandom(13);
    for (int dim : new int[] {5, 216, 1080}) {
      float[] data = new float[300 * dim];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) rnd.nextGaussian();
      }
      VectorMatrix m = new VectorMatrix(data, dim);
      float[] q = m.row(3);
      float[][] alternatives = new float[4][];
      for (int a = 0; a < 3; a++) { // alternative 3 stays null: never used
        alternatives[a] = new float[dim];
        for (int j = 0; j < dim; j++) {
          alternatives[a][j] = (float) rnd.nextGaussian() * (a + 1);
        }
      }
      int[] which = new int[m.rows()];
      for (int r = 0; r < which.length; r++) {
        which[r] = rnd.nextInt(4) - 1; // -1: plain only
        which[r] = which[r] == 3 ? -1 : which[r];
      }
      for (ExactIndex index : new ExactIndex[] {new ExactIndex(m), ExactIndex.scalar(m)}) {
        float[] plain = new float[m.rows()];
        float[] other = new float[m.rows()];
        index.pairedCosines(q, alternatives, which, plain, other);
        float[] expected = index.scores(q, Metric.COSINE);
        float[][] expectedAlt = new float[3][];
        for (int a = 0; a < 3; a++) {
          expectedAlt[a] = index.scores(alternatives[a], Metric.COSINE);
        }
        for (int r = 0; r < m.rows(); r++) {
          assertThat(plain[r]).as("dim %d row %d", dim, r).isCloseTo(expected[r], org.assertj.core.api.Assertions.within(1e-5f));
          if (which[r] < 0) {
            assertThat(other[r]).isNaN();
          } else {
            assertThat(other[r]).as("dim %d row %d alternative %d", dim, r, which[r])
                .isCloseTo(expectedAlt[which[r]][r], org.assertj.core.api.Assertions.within(1e-5f));
          }
        }
      }
    }
  }
}
