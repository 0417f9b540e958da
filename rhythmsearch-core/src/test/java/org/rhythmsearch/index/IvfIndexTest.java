package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The inverted file with its 8-bit first pass (issue 16, points 1 and 2) against brute force, and its
 * guarantees: the quantised kernel equals the plain sum, codes decode within half a step, recall on
 * clustered data, exact scores for what it lists, never an empty answer, add/remove, seeded builds and
 * the memory budget.
 */
class IvfIndexTest {

  @Test
  void theQuantisedKernelsEqualThePlainSum() {
    SplittableRandom rnd = new SplittableRandom(3);
    for (int dim : new int[] {1, 7, 16, 33, 64, 1080}) {
      for (int rows : new int[] {1, 2, 3, 17}) {
        float[] w = new float[dim];
        byte[] codes = new byte[5 + rows * dim];
        for (int j = 0; j < dim; j++) {
          w[j] = (float) rnd.nextGaussian();
        }
        for (int i = 0; i < codes.length; i++) {
          codes[i] = (byte) rnd.nextInt(256);
        }
        float[] best = new float[rows];
        float[] scalar = new float[rows];
        Kernels.best().codeDots(w, codes, 5, rows, dim, best);
        Kernels.scalar().codeDots(w, codes, 5, rows, dim, scalar);
        for (int r = 0; r < rows; r++) {
          double want = 0;
          for (int j = 0; j < dim; j++) {
            want += (double) w[j] * codes[5 + r * dim + j];
          }
          double tol = 1e-4 * (Math.abs(want) + 128 * dim);
          assertThat((double) best[r]).as("dim %d row %d", dim, r).isCloseTo(want, within(tol));
          assertThat((double) scalar[r]).isCloseTo(want, within(tol));
        }
      }
    }
  }

  @Test
  void listsAreOrderedByDecreasingScoreThenByIndexLikeAComparatorSort() {
    SplittableRandom rnd = new SplittableRandom(8);
    for (int trial = 0; trial < 200; trial++) {
      int n = 1 + rnd.nextInt(300);
      float[] c = new float[n];
      for (int i = 0; i < n; i++) {
        // few distinct values (ties), both signs, zeros of both signs, extremes
        c[i] = switch (rnd.nextInt(6)) {
          case 0 -> 0f;
          case 1 -> -0f;
          case 2 -> rnd.nextBoolean() ? Float.MAX_VALUE : -Float.MAX_VALUE;
          case 3 -> (rnd.nextInt(5) - 2) * 0.25f;
          default -> (float) rnd.nextGaussian();
        };
      }
      int[] want = java.util.stream.IntStream.range(0, n).boxed()
          .sorted((a, b) -> c[a] != c[b] ? Float.compare(c[b] + 0f, c[a] + 0f) : Integer.compare(a, b))
          .mapToInt(Integer::intValue).toArray();
      assertThat(IvfIndex.descending(c)).as("trial %d", trial).containsExactly(want);
      for (int head : new int[] {0, 1, 3, n / 2, n - 1}) { // selected first, sorted, the rest on first need
        ListOrder order = new ListOrder(c, head);
        int[] got = new int[n];
        for (int i = 0; i < n; i++) {
          got[i] = order.get(i);
        }
        assertThat(got).as("trial %d, head %d", trial, head).containsExactly(want);
      }
    }
  }

  @Test
  void codesDecodeWithinHalfAStepAndDotsFollow() {
    VectorMatrix m = LshIndexTest.clustered(500, 24, 5, 4);
    float[] data = new float[500 * 24];
    for (int r = 0; r < 500; r++) {
      System.arraycopy(m.row(r), 0, data, r * 24, 24);
    }
    ScalarQuantizer q = ScalarQuantizer.train(data, 24, 500);
    float[] step = q.step();
    byte[] code = new byte[24];
    float[] query = m.row(7);
    for (int r = 0; r < 500; r++) {
      q.encode(data, r * 24, 1f, code, 0);
      double dot = 0;
      double decodedDot = 0;
      for (int j = 0; j < 24; j++) {
        assertThat(q.decode(j, code[j])).isCloseTo(data[r * 24 + j], within(step[j] / 2 + 1e-5f));
        dot += query[j] * data[r * 24 + j];
        decodedDot += query[j] * q.decode(j, code[j]);
      }
      float[] w = q.weights(query);
      double viaWeights = q.offset(query);
      for (int j = 0; j < 24; j++) {
        viaWeights += w[j] * code[j];
      }
      assertThat(viaWeights).isCloseTo(decodedDot, within(1e-3));
      assertThat(decodedDot).isCloseTo(dot, within(0.05 * Math.abs(dot) + 0.5));
    }
    // outside the trained range: clamped to its ends
    float[] far = new float[24];
    far[0] = 1e6f;
    q.encode(far, 0, 1f, code, 0);
    assertThat(code[0]).isEqualTo((byte) 127);
  }

  @Test
  void findsTheExactNeighboursOnClusteredDataAndListsExactScores() {
    VectorMatrix m = LshIndexTest.clustered(20_000, 48, 200, 5);
    IvfIndex ivf = new IvfIndex(m, IvfIndex.Params.forSize(m.rows(), 42));
    assertThat(ivf.params().lists()).isEqualTo(141);
    ExactIndex exact = new ExactIndex(m);
    SplittableRandom rnd = new SplittableRandom(6);
    int queries = 100;
    double recall = 0;
    double recallAll = 0;
    for (int q = 0; q < queries; q++) {
      float[] query = m.row(rnd.nextInt(m.rows()));
      for (int j = 0; j < query.length; j++) {
        query[j] += 0.1f * (float) rnd.nextGaussian();
      }
      Set<Integer> truth = Recall.truth(exact, query, 10, Metric.COSINE);
      IvfIndex.Result r = ivf.search(query, 10);
      assertThat(r.neighbors()).hasSize(10);
      assertThat(r.scanned()).as("a probe scans a fraction").isLessThan(m.rows() / 4);
      recall += Recall.hits(r.neighbors(), truth) / 10.0;
      for (Neighbor n : r.neighbors()) {
        float[] one = new float[1];
        exact.cosinesOfRows(query, new int[] {n.id()}, one);
        assertThat(n.score()).isCloseTo(one[0], within(1e-5f));
      }
      recallAll += Recall.hits(ivf.search(query, 10, ivf.params().lists(), 256).neighbors(), truth) / 10.0;
    }
    assertThat(recall / queries).as("recall@10 at the default budget").isGreaterThanOrEqualTo(0.95);
    assertThat(recallAll / queries).as("recall@10 probing every list").isGreaterThanOrEqualTo(0.99);
    assertThat(ivf.bytesPerVector()).isLessThanOrEqualTo(5 * 48 + 32);
    assertThat(java.util.Arrays.stream(ivf.listSizes()).sum()).isEqualTo(m.rows());
  }

  @Test
  void neverGivesAnEmptyAnswerAndFollowsAddsAndRemoves() {
    VectorMatrix m = LshIndexTest.clustered(50, 16, 5, 7);
    IvfIndex ivf = new IvfIndex(m, new IvfIndex.Params(10, 1, 4, 1));
    float[] query = m.row(3);
    assertThat(ivf.search(query, 20).neighbors()).hasSize(20);
    assertThat(ivf.search(query, 100).neighbors()).hasSize(50);
    assertThat(ivf.search(query, 1).neighbors().get(0)).extracting(Neighbor::id).isEqualTo(3);

    assertThat(ivf.remove(3)).isTrue();
    assertThat(ivf.remove(3)).isFalse();
    assertThat(ivf.liveSize()).isEqualTo(49);
    assertThat(ivf.search(query, 100).neighbors()).hasSize(49).noneMatch(n -> n.id() == 3);

    float[] fresh = query.clone();
    fresh[0] += 1e-3f;
    int id = ivf.add(fresh);
    assertThat(id).isEqualTo(50);
    List<Neighbor> top = ivf.search(fresh, 1).neighbors();
    assertThat(top.get(0).id()).isEqualTo(50);
    assertThat(top.get(0).score()).isCloseTo(1f, within(1e-5f));
    assertThat(m.row(0)).as("the caller's matrix is not written").isEqualTo(LshIndexTest.clustered(50, 16, 5, 7).row(0));
    assertThatThrownBy(() -> ivf.search(new float[3], 1)).hasMessageContaining("dimension");
  }

  @Test
  void aSeededBuildIsRepeatableAndStoredCentroidsRebuildIt() {
    VectorMatrix m = LshIndexTest.clustered(3000, 32, 30, 8);
    IvfIndex.Params p = new IvfIndex.Params(40, 4, 50, 9);
    IvfIndex a = new IvfIndex(m, p);
    IvfIndex b = new IvfIndex(m, p);
    IvfIndex c = new IvfIndex(m, p, a.centroids(), a.quantizer());
    for (int l = 0; l < 40; l++) {
      assertThat(b.centroids().row(l)).isEqualTo(a.centroids().row(l));
    }
    assertThat(c.listSizes()).isEqualTo(a.listSizes());
    float[] query = m.row(11);
    assertThat(b.search(query, 10).neighbors()).isEqualTo(a.search(query, 10).neighbors());
    assertThat(c.search(query, 10).neighbors()).isEqualTo(a.search(query, 10).neighbors());
    assertThatThrownBy(() -> new IvfIndex(m, new IvfIndex.Params(41, 4, 50, 9), a.centroids(), a.quantizer()))
        .hasMessageContaining("41 lists");
  }

  @Test
  void refusesNonsenseParameters() {
    assertThatThrownBy(() -> new IvfIndex.Params(0, 1, 1, 1)).hasMessageContaining("lists");
    assertThatThrownBy(() -> new IvfIndex.Params(4, 5, 1, 1)).hasMessageContaining("probes");
    assertThatThrownBy(() -> new IvfIndex.Params(4, 1, 0, 1)).hasMessageContaining("rerank");
    assertThat(IvfIndex.Params.forSize(1_000_000, 1)).extracting(IvfIndex.Params::lists, IvfIndex.Params::probes)
        .containsExactly(1000, 63);
  }
}
