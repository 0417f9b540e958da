package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Chooses, and measures, the search budget of an {@link IvfIndex}: how many lists a query probes and
 * how many first-pass candidates are re-ranked exactly.
 *
 * <p>Protocol: whole groups (the tracks, when given; else single rows), drawn with a seed until they
 * hold {@value #TUNING_QUERIES} rows (at most a fifth of the data), are held out: their rows are the
 * queries, and the tuning index is built over the other rows with the lists the whole data will have.
 * Real queries come from music that is not in the index, so a query's own track must not help it.
 * Recall@k is counted against exact search over the same rows ({@link Recall}).
 *
 * <p>Without a target the size-based budget ({@link IvfIndex.Params#forSize}) is kept and only
 * measured. With one, for each re-rank budget of {@link #RERANKS} the fewest lists reaching it are
 * found (doubling), and the cheapest of those is chosen, the cost counted as bytes read per query: a
 * scanned code is d bytes, a re-ranked row 4·d. When no budget reaches the target, the most accurate one
 * measured is returned and said so.
 *
 * <p>Stateless; thread-safe.
 */
public final class IvfTuner {

  /** Rows held out as queries (at most a fifth of the data). */
  public static final int TUNING_QUERIES = 200;

  /** Re-rank budgets tried with a target. */
  static final int[] RERANKS = {64, 128, 256, 512, 1024};

  /**
   * The chosen budget with what was measured for it.
   *
   * @param recall recall@k on the held-out queries (NaN when too few rows to hold any out)
   * @param scannedPerQuery codes scanned per query
   * @param queries held-out queries
   * @param heldOutGroups groups (tracks) they came from
   */
  public record Choice(IvfIndex.Params params, double recall, double scannedPerQuery, int queries, int heldOutGroups,
      boolean targetReached) {

    /** One line for a report. */
    public String describe(int k, double targetRecall) {
      if (Double.isNaN(recall)) {
        return "size-based defaults (too few vectors to measure)";
      }
      String m = String.format("recall@%d %.3f on %d held-out excerpts of %d %s, %.0f codes scanned per query", k, recall,
          queries, heldOutGroups, heldOutGroups == 1 ? "track" : "tracks", scannedPerQuery);
      if (targetRecall <= 0) {
        return "size-based defaults: " + m;
      }
      return String.format("tuned for recall@%d %.2f: %s%s", k, targetRecall, m,
          targetReached ? "" : " (target not reached: the best found)");
    }
  }

  private IvfTuner() {}

  /**
   * Chooses (with {@code targetRecall} > 0) or just measures (0) the budget for an IVF index over
   * {@code vectors}.
   *
   * @param group each row's group (its track), or null when rows are independent
   * @param seed seed of the held-out draw and of the index
   */
  public static Choice choose(VectorMatrix vectors, int[] group, int k, double targetRecall, long seed) {
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("targetRecall must be in [0, 1]; targetRecall=" + targetRecall);
    }
    if (group != null && group.length != vectors.rows()) {
      throw new IllegalArgumentException("group has " + group.length + " rows, the vectors " + vectors.rows());
    }
    int n = vectors.rows();
    IvfIndex.Params defaults = IvfIndex.Params.forSize(n, seed);
    boolean[] held = heldOut(n, group, seed);
    int nq = 0;
    for (boolean h : held) {
      nq += h ? 1 : 0;
    }
    if (nq == 0 || nq == n) {
      return new Choice(defaults, Double.NaN, Double.NaN, 0, 0, false);
    }
    int dim = vectors.dim();
    float[] rest = new float[(n - nq) * dim];
    List<float[]> queries = new ArrayList<>();
    java.util.Set<Integer> groups = new java.util.HashSet<>();
    int r2 = 0;
    for (int r = 0; r < n; r++) {
      if (held[r]) {
        queries.add(vectors.row(r));
        groups.add(group == null ? r : group[r]);
      } else {
        System.arraycopy(vectors.data(), r * dim, rest, r2++ * dim, dim);
      }
    }
    VectorMatrix base = new VectorMatrix(rest, dim);
    ExactIndex exact = new ExactIndex(base);
    List<Set<Integer>> truth = new ArrayList<>();
    for (float[] q : queries) {
      truth.add(Recall.truth(exact, q, k, Metric.COSINE));
    }
    IvfIndex index = new IvfIndex(base, defaults);
    if (targetRecall == 0) {
      double[] m = measure(index, queries, truth, k, defaults.probes(), defaults.rerank());
      return new Choice(defaults, m[0], m[1], nq, groups.size(), false);
    }
    Choice best = null;
    Choice mostAccurate = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int rerank : RERANKS) {
      for (int probes = 1; ; probes = Math.min(defaults.lists(), probes * 2)) {
        double[] m = measure(index, queries, truth, k, probes, rerank);
        Choice c = new Choice(defaults.withBudget(probes, rerank), m[0], m[1], nq, groups.size(), m[0] >= targetRecall);
        if (mostAccurate == null || c.recall() > mostAccurate.recall()) {
          mostAccurate = c;
        }
        if (c.targetReached()) {
          double cost = m[1] + 4.0 * Math.min(m[1], rerank);
          if (cost < bestCost) {
            bestCost = cost;
            best = c;
          }
          break;
        }
        if (probes == defaults.lists()) {
          break;
        }
      }
    }
    return best != null ? best : mostAccurate;
  }

  /** Recall@k and codes scanned per query at one budget. */
  private static double[] measure(IvfIndex index, List<float[]> queries, List<Set<Integer>> truth, int k, int probes,
      int rerank) {
    double found = 0;
    double scanned = 0;
    for (int q = 0; q < queries.size(); q++) {
      IvfIndex.Result r = index.search(queries.get(q), k, probes, rerank);
      scanned += r.scanned();
      found += Recall.hits(r.neighbors(), truth.get(q)) / (double) Math.max(1, truth.get(q).size());
    }
    return new double[] {found / queries.size(), scanned / queries.size()};
  }

  /**
   * The held-out rows: whole groups in seeded random order until {@value #TUNING_QUERIES} rows, never
   * more than a fifth of the rows (a group that would pass that is skipped).
   */
  static boolean[] heldOut(int n, int[] group, long seed) {
    boolean[] held = new boolean[n];
    int cap = Math.min(TUNING_QUERIES, n / 5);
    if (cap == 0) {
      return held;
    }
    if (group == null) {
      for (int r : org.rhythmsearch.features.Vectors.partialShuffle(n, cap, new SplittableRandom(seed))) {
        held[r] = true;
      }
      return held;
    }
    int groups = 0;
    for (int g : group) {
      groups = Math.max(groups, g + 1);
    }
    int[] size = new int[groups];
    for (int g : group) {
      size[g]++;
    }
    boolean[] take = new boolean[groups];
    int taken = 0;
    for (int g : org.rhythmsearch.features.Vectors.partialShuffle(groups, groups, new SplittableRandom(seed))) {
      if (taken >= cap) {
        break;
      }
      if (size[g] > 0 && taken + size[g] <= n / 5) {
        take[g] = true;
        taken += size[g];
      }
    }
    for (int r = 0; r < n; r++) {
      held[r] = take[group[r]];
    }
    return held;
  }
}
