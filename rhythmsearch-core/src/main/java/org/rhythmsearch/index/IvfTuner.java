package org.rhythmsearch.index;


/**
 * Chooses, and measures, the search budget of an {@link IvfIndex}: how many lists a query probes and
 * how many first-pass candidates are re-ranked exactly.
 *
 * <p>Protocol ({@link HeldOut}): whole groups (the tracks) are held out as queries, and the tuning index
 * is built over the other rows with the lists the whole data will have. Recall@k is counted against
 * exact search over the same rows ({@link Recall}).
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
    IvfIndex.Params defaults = IvfIndex.Params.forSize(vectors.rows(), seed);
    HeldOut held = HeldOut.of(vectors, group, k, seed);
    if (held == null) {
      return new Choice(defaults, Double.NaN, Double.NaN, 0, 0, false);
    }
    IvfIndex index = new IvfIndex(held.base(), defaults);
    if (targetRecall == 0) {
      double[] m = measure(index, held, k, defaults.probes(), defaults.rerank());
      return new Choice(defaults, m[0], m[1], held.queries(), held.groups(), false);
    }
    Choice best = null;
    Choice mostAccurate = null;
    double bestCost = Double.POSITIVE_INFINITY;
    for (int rerank : RERANKS) {
      for (int probes = 1; ; probes = Math.min(defaults.lists(), probes * 2)) {
        double[] m = measure(index, held, k, probes, rerank);
        Choice c = new Choice(defaults.withBudget(probes, rerank), m[0], m[1], held.queries(), held.groups(),
            m[0] >= targetRecall);
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
  private static double[] measure(IvfIndex index, HeldOut held, int k, int probes, int rerank) {
    double[] scanned = new double[1];
    double recall = held.recall(q -> {
      IvfIndex.Result r = index.search(q, k, probes, rerank);
      scanned[0] += r.scanned();
      return r.neighbors();
    });
    return new double[] {recall, scanned[0] / held.queries()};
  }
}
