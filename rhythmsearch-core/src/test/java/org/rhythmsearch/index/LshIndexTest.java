package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Multi-table multi-probe LSH against brute force, and its guarantees. */
class LshIndexTest {

  /** Seeded clustered data: {@code clusters} Gaussian centres, points around them (sigma 0.3). */
  static VectorMatrix clustered(int n, int dim, int clusters, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[][] centres = new float[clusters][dim];
    for (float[] c : centres) {
      for (int j = 0; j < dim; j++) {
        c[j] = (float) rnd.nextGaussian();
      }
    }
    float[] data = new float[n * dim];
    for (int r = 0; r < n; r++) {
      float[] c = centres[rnd.nextInt(clusters)];
      for (int j = 0; j < dim; j++) {
        data[r * dim + j] = c[j] + 0.3f * (float) rnd.nextGaussian();
      }
    }
    return new VectorMatrix(data, dim);
  }

  @Test
  void recallAgainstBruteForceIsHighOnClusteredData() {
    VectorMatrix m = clustered(5000, 64, 50, 1);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(12, 8, 96, 42));
    ExactIndex exact = new ExactIndex(m);
    SplittableRandom rnd = new SplittableRandom(2);
    double recall = 0;
    int queries = 100;
    for (int q = 0; q < queries; q++) {
      float[] query = m.row(rnd.nextInt(m.rows()));
      for (int j = 0; j < query.length; j++) {
        query[j] += 0.1f * (float) rnd.nextGaussian();
      }
      Set<Integer> truth = new HashSet<>();
      exact.search(query, 10, Metric.COSINE, null).forEach(n -> truth.add(n.id()));
      LshIndex.Result r = lsh.search(query, 10, Metric.COSINE);
      recall += r.neighbors().stream().filter(n -> truth.contains(n.id())).count() / 10.0;
      assertThat(r.candidates()).as("LSH must not scan everything").isLessThan(m.rows() / 2);
    }
    assertThat(recall / queries).as("mean recall@10 (seed 42)").isGreaterThanOrEqualTo(0.9);
  }

  @Test
  void neverFewerThanRequestedWhenTheIndexHoldsEnough() {
    VectorMatrix m = clustered(2000, 32, 20, 3);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(20, 2, 2, 7)); // 20 bits: most buckets are empty
    SplittableRandom rnd = new SplittableRandom(4);
    for (int q = 0; q < 50; q++) {
      float[] query = new float[32];
      for (int j = 0; j < 32; j++) {
        query[j] = (float) rnd.nextGaussian() * 5; // far from every cluster
      }
      int k = 1 + rnd.nextInt(100);
      LshIndex.Result r = lsh.search(query, k, Metric.COSINE);
      assertThat(r.neighbors()).as("query %d, k %d", q, k).hasSize(k);
      assertThat(r.neighbors()).isSortedAccordingTo(Neighbor::compareTo);
    }
  }

  @Test
  void theSameSeedGivesTheSameAnswersAndAnotherSeedOtherPlanes() {
    VectorMatrix m = clustered(1000, 16, 10, 5);
    LshIndex a = new LshIndex(m, new LshIndex.Params(8, 4, 16, 99));
    LshIndex b = new LshIndex(m, new LshIndex.Params(8, 4, 16, 99));
    for (int q = 0; q < 20; q++) {
      assertThat(a.search(m.row(q), 5, Metric.COSINE)).isEqualTo(b.search(m.row(q), 5, Metric.COSINE));
    }
    float[] p1 = Hyperplanes.generate(new LshIndex.Params(8, 4, 16, 99), 16);
    float[] p2 = Hyperplanes.generate(new LshIndex.Params(8, 4, 16, 100), 16);
    assertThat(p1).isNotEqualTo(p2);
  }

  @Test
  void addedVectorsAreFoundAndRemovedOnesNeverReturned() {
    VectorMatrix m = clustered(500, 16, 5, 6);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(6, 4, 8, 1));
    float[] fresh = new float[16];
    fresh[3] = 10;
    fresh[7] = -4;
    int id = lsh.add(fresh);
    assertThat(id).isEqualTo(500);
    assertThat(lsh.search(fresh, 1, Metric.COSINE).neighbors().get(0).id()).isEqualTo(id);
    assertThat(lsh.remove(id)).isTrue();
    assertThat(lsh.remove(id)).isFalse();
    assertThat(lsh.search(fresh, 10, Metric.COSINE).neighbors()).extracting(Neighbor::id).doesNotContain(id);
    assertThat(lsh.remove(3)).isTrue();
    assertThat(lsh.search(m.row(3), 5, Metric.COSINE).neighbors()).extracting(Neighbor::id).doesNotContain(3);
    assertThat(lsh.liveSize()).isEqualTo(499);
  }

  @Test
  void tinyIndexesAnswerWithWhatTheyHold() {
    LshIndex one = new LshIndex(new VectorMatrix(new float[] {1, 0, 0}, 3), new LshIndex.Params(4, 2, 2, 1));
    assertThat(one.search(new float[] {0, 1, 0}, 5, Metric.COSINE).neighbors()).extracting(Neighbor::id).containsExactly(0);
    LshIndex two = new LshIndex(new VectorMatrix(new float[] {1, 0, 0, -1, 0, 0}, 3), new LshIndex.Params(4, 2, 2, 1));
    assertThat(two.search(new float[] {1, 0.1f, 0}, 5, Metric.COSINE).neighbors()).extracting(Neighbor::id)
        .containsExactly(0, 1);
    LshIndex empty = new LshIndex(new VectorMatrix(new float[0], 3), new LshIndex.Params(4, 2, 2, 1));
    assertThat(empty.search(new float[] {1, 0, 0}, 3, Metric.COSINE).neighbors()).isEmpty();
  }

  @Test
  void badArgumentsAreClearErrors() {
    LshIndex lsh = new LshIndex(new VectorMatrix(new float[6], 3), new LshIndex.Params(4, 2, 2, 1));
    assertThatThrownBy(() -> lsh.search(new float[4], 1, Metric.COSINE))
        .hasMessage("vector dimension 4 does not match the index dimension 3");
    assertThatThrownBy(() -> lsh.add(new float[2])).hasMessageContaining("dimension 2");
    assertThatThrownBy(() -> new LshIndex.Params(25, 1, 1, 0)).hasMessageContaining("bits=25");
    assertThatThrownBy(() -> new LshIndex.Params(8, 4, 2, 0)).hasMessageContaining("probes=2");
  }

  @Test
  void concurrentQueriesAgreeWithSequentialOnes() throws Exception {
    VectorMatrix m = clustered(3000, 32, 30, 8);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(10, 6, 30, 40, 3)); // with the Hamming pre-filter
    List<LshIndex.Result> sequential = new ArrayList<>();
    for (int q = 0; q < 200; q++) {
      sequential.add(lsh.search(m.row(q * 7), 10, Metric.COSINE));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<LshIndex.Result>> parallel = new ArrayList<>();
      for (int q = 0; q < 200; q++) {
        int qq = q;
        parallel.add(pool.submit(() -> lsh.search(m.row(qq * 7), 10, Metric.COSINE)));
      }
      for (int q = 0; q < 200; q++) {
        assertThat(parallel.get(q).get()).as("query %d", q).isEqualTo(sequential.get(q));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aReRankBudgetAboveTheCandidatesChangesNothingAndOtherwiseBoundsTheExactWork() {
    VectorMatrix m = clustered(4000, 32, 40, 11);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(9, 4, 32, 7));
    for (int q = 0; q < 50; q++) {
      float[] query = m.row(q * 13);
      LshIndex.Result all = lsh.search(query, 10, Metric.COSINE, 32, 0);
      assertThat(all.reranked()).isEqualTo(all.candidates());
      LshIndex.Result roomy = lsh.search(query, 10, Metric.COSINE, 32, all.candidates());
      assertThat(roomy.neighbors()).isEqualTo(all.neighbors());
      LshIndex.Result tight = lsh.search(query, 10, Metric.COSINE, 32, 25);
      assertThat(tight.candidates()).isEqualTo(all.candidates());
      assertThat(tight.reranked()).isEqualTo(Math.min(25, all.candidates()));
      assertThat(tight.neighbors()).hasSize(10);
      // a budget below k still re-ranks k candidates: never fewer answers than asked for
      assertThat(lsh.search(query, 10, Metric.COSINE, 32, 3).neighbors()).hasSize(10);
    }
  }

  @Test
  void theHammingPreFilterKeepsAnExactCopyOfTheQuery() {
    // spread-out random data: the query's copy is the only candidate at Hamming distance 0
    SplittableRandom rnd = new SplittableRandom(5);
    float[] data = new float[3000 * 24];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) rnd.nextGaussian();
    }
    VectorMatrix m = new VectorMatrix(data, 24);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(4, 2, 8, 1, 3)); // 4 bits: hundreds of candidates
    for (int q = 0; q < 100; q++) {
      LshIndex.Result r = lsh.search(m.row(q * 29), 1, Metric.COSINE);
      assertThat(r.candidates()).isGreaterThan(100);
      assertThat(r.reranked()).isEqualTo(1);
      assertThat(r.neighbors().get(0).id()).isEqualTo(q * 29);
    }
  }

  @Test
  void bytesPerVectorCountsNormSketchIdsAndBucketDirectories() {
    // 4 (norm) + 8 (sketch) + 4 L (ids) + 4 (2^K + 1) L / n
    assertThat(LshIndex.bytesPerVector(new LshIndex.Params(17, 4, 16, 1), 1_000_000))
        .isCloseTo(4 + 8 + 16 + 4.0 * 131073 * 4 / 1_000_000, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aDifferingSketchBitCostsItsLogLikelihoodRatio() {
    // log((1 - Phi(-x)) / Phi(-x)) from tabulated normal tails: Phi(-1) = 0.158655, Phi(-2) = 0.0227501
    assertThat(SketchFilter.flipCost(0)).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(SketchFilter.flipCost(1)).isCloseTo(Math.log(0.841345 / 0.158655), org.assertj.core.data.Offset.offset(1e-4));
    assertThat(SketchFilter.flipCost(2)).isCloseTo(Math.log(0.9772499 / 0.0227501), org.assertj.core.data.Offset.offset(1e-4));
    // far tail: Mills ratio, about x^2 / 2 + log(x sqrt(2 pi)), continuous where the formula switches
    assertThat(SketchFilter.flipCost(30)).isCloseTo(450 + Math.log(30 * Math.sqrt(2 * Math.PI)), org.assertj.core.data.Offset.offset(0.01));
    assertThat(SketchFilter.flipCost(40)).isCloseTo(800 + Math.log(40 * Math.sqrt(2 * Math.PI)), org.assertj.core.data.Offset.offset(0.01));
    double previous = -1;
    for (double x = 0; x < 50; x += 0.25) {
      assertThat(SketchFilter.flipCost(x)).as("x=%s", x).isGreaterThan(previous);
      previous = SketchFilter.flipCost(x);
    }
  }

  @Test
  void theSketchPreFilterKeepsTrueNeighboursFarMoreOftenThanChance() {
    VectorMatrix m = clustered(6000, 32, 30, 13);
    LshIndex lsh = new LshIndex(m, new LshIndex.Params(8, 4, 32, 9));
    ExactIndex exact = new ExactIndex(m);
    double keptTrue = 0;
    double chance = 0;
    for (int q = 0; q < 60; q++) {
      float[] query = m.row(q * 97);
      LshIndex.Result all = lsh.search(query, 10, Metric.COSINE, 32, 0);
      int budget = all.candidates() / 10;
      LshIndex.Result tight = lsh.search(query, 10, Metric.COSINE, 32, budget);
      assertThat(tight.reranked()).isEqualTo(budget);
      Set<Integer> truth = new HashSet<>();
      exact.search(query, 10, Metric.COSINE, null).forEach(n -> truth.add(n.id()));
      long inAll = all.neighbors().stream().filter(n -> truth.contains(n.id())).count();
      keptTrue += tight.neighbors().stream().filter(n -> truth.contains(n.id())).count();
      chance += inAll * (double) budget / all.candidates(); // a random tenth of the candidates
    }
    assertThat(keptTrue).as("true neighbours kept by the pre-filter vs a random tenth").isGreaterThan(4 * chance);
  }

  @Test
  void planesThroughTheMeanDirectionSplitDataInANarrowConeThatPlanesThroughTheOriginDoNot() {
    // clustered data shifted far along (1, 1, ..., 1): every pair has cosine > 0.9, like rhythm vectors
    VectorMatrix c = clustered(4000, 32, 40, 17);
    float[] d = c.data().clone();
    for (int i = 0; i < d.length; i++) {
      d[i] += 4f;
    }
    VectorMatrix m = new VectorMatrix(d, 32);
    LshIndex.Params p = new LshIndex.Params(10, 4, 16, 23);
    LshIndex centred = new LshIndex(m, p);
    LshIndex origin = LshIndex.throughOrigin(m, p);
    ExactIndex exact = new ExactIndex(m);
    double[] recall = new double[2];
    double[] candidates = new double[2];
    for (int q = 0; q < 100; q++) {
      float[] query = m.row(q * 37);
      Set<Integer> truth = new HashSet<>();
      exact.search(query, 10, Metric.COSINE, null).forEach(n -> truth.add(n.id()));
      LshIndex[] both = {centred, origin};
      for (int i = 0; i < 2; i++) {
        LshIndex.Result r = both[i].search(query, 10, Metric.COSINE);
        recall[i] += r.neighbors().stream().filter(n -> truth.contains(n.id())).count() / 1000.0;
        candidates[i] += r.candidates() / 100.0;
      }
    }
    assertThat(distinctCodes(centred, 0)).as("buckets used, centred vs origin")
        .isGreaterThan(4 * distinctCodes(origin, 0));
    assertThat(candidates[0]).as("candidates per query, centred vs origin").isLessThan(candidates[1] / 2);
    assertThat(recall[0]).as("recall, centred").isGreaterThan(0.9);
  }

  private static long distinctCodes(LshIndex lsh, int table) {
    return Arrays.stream(lsh.rowCodes(table)).distinct().count();
  }
}
