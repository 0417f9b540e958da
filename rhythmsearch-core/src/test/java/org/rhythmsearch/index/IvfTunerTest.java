package org.rhythmsearch.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The IVF budget tuner (issue 16, point 3): it holds out whole groups (tracks), reports the recall a
 * separately built index really has on them, and its choice for a target is the cheapest that reaches it.
 */
class IvfTunerTest {

  /** 4 000 clustered rows in groups of 20 consecutive rows (a group stands for a track). */
  private static final VectorMatrix DATA = LshIndexTest.clustered(4_000, 32, 60, 11);

  private static int[] groups(int n) {
    int[] g = new int[n];
    for (int r = 0; r < n; r++) {
      g[r] = r / 20;
    }
    return g;
  }

  @Test
  void wholeGroupsAreHeldOutUpToTwoHundredRowsAndAFifth() {
    int[] g = groups(4_000);
    boolean[] held = HeldOut.rows(4_000, g, 7);
    int rows = 0;
    for (int r = 0; r < held.length; r++) {
      rows += held[r] ? 1 : 0;
      assertThat(held[r]).as("row %d is held out with its whole group", r).isEqualTo(held[g[r] * 20]);
    }
    assertThat(rows).isEqualTo(200);
    assertThat(HeldOut.rows(4_000, g, 8)).as("another seed, other groups").isNotEqualTo(held);
    boolean[] small = HeldOut.rows(60, groups(60), 7);
    int smallRows = 0;
    for (boolean h : small) {
      smallRows += h ? 1 : 0;
    }
    assertThat(smallRows).as("never more than a fifth: 12 of 60 rows, so no group of 20 fits").isZero();
    assertThat(IvfTuner.choose(new VectorMatrix(new float[60 * 32], 32), groups(60), 10, 0, 1).recall()).isNaN();
  }

  @Test
  void theReportedRecallIsWhatAnIndexWithoutTheHeldOutTracksReallyHasOnThem() {
    int[] g = groups(4_000);
    IvfTuner.Choice c = IvfTuner.choose(DATA, g, 10, 0, 5);
    assertThat(c.params()).isEqualTo(IvfIndex.Params.forSize(4_000, 5));
    assertThat(c.queries()).isEqualTo(200);
    assertThat(c.heldOutGroups()).isEqualTo(10);
    assertThat(independentRecall(g, c.params(), 5)).isEqualTo(c.recall());
  }

  @Test
  void aTargetGetsTheCheapestBudgetThatReachesIt() {
    int[] g = groups(4_000);
    IvfTuner.Choice c = IvfTuner.choose(DATA, g, 10, 0.97, 5);
    assertThat(c.targetReached()).isTrue();
    assertThat(c.recall()).isGreaterThanOrEqualTo(0.97);
    assertThat(independentRecall(g, c.params(), 5)).isEqualTo(c.recall());
    if (c.params().probes() > 1) {
      // half the lists at the same re-rank budget does not reach it: the search doubles, so this was the first that did
      IvfIndex.Params fewer = c.params().withBudget(c.params().probes() / 2, c.params().rerank());
      assertThat(independentRecall(g, fewer, 5)).isLessThan(0.97);
    }
    // a higher target never costs less: per re-rank budget it needs at least as many lists
    IvfTuner.Choice all = IvfTuner.choose(DATA, g, 10, 1.0, 5);
    assertThat(cost(all)).isGreaterThanOrEqualTo(cost(c));
  }

  /** The tuner's cost: bytes read per query in units of d (a code d bytes, a re-ranked row 4·d). */
  private static double cost(IvfTuner.Choice c) {
    return c.scannedPerQuery() + 4.0 * Math.min(c.scannedPerQuery(), c.params().rerank());
  }

  /** Recall@10 of the held-out rows against an index built here over the others, counted here. */
  private static double independentRecall(int[] g, IvfIndex.Params p, long seed) {
    boolean[] held = HeldOut.rows(DATA.rows(), g, seed);
    List<float[]> queries = new ArrayList<>();
    List<float[]> rest = new ArrayList<>();
    for (int r = 0; r < DATA.rows(); r++) {
      (held[r] ? queries : rest).add(DATA.row(r));
    }
    float[] flat = new float[rest.size() * DATA.dim()];
    for (int i = 0; i < rest.size(); i++) {
      System.arraycopy(rest.get(i), 0, flat, i * DATA.dim(), DATA.dim());
    }
    VectorMatrix base = new VectorMatrix(flat, DATA.dim());
    IvfIndex ivf = new IvfIndex(base, p);
    ExactIndex exact = new ExactIndex(base);
    double sum = 0;
    for (float[] q : queries) {
      List<Neighbor> truth = exact.search(q, 10, Metric.COSINE, i -> false);
      Set<Integer> ids = new java.util.HashSet<>();
      truth.forEach(n -> ids.add(n.id()));
      int hits = 0;
      for (Neighbor n : ivf.search(q, 10, p.probes(), p.rerank()).neighbors()) {
        hits += ids.contains(n.id()) ? 1 : 0;
      }
      sum += hits / 10.0;
    }
    return sum / queries.size();
  }
}
