package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rhythmsearch.features.Vectors;

/**
 * Queries held out of a collection to measure an approximate index on it: whole groups (the tracks,
 * when given; else single rows), drawn with a seed until they hold {@value #QUERIES} rows (at most a fifth
 * of the data), are taken out. Their rows are the queries; the other rows are the base an index is built
 * over; the truth is exact search over the base. Real queries come from music that is not in the index,
 * so a query's own track must not help it.
 *
 * <p>Immutable; thread-safe for reading.
 */
public final class HeldOut {

  /** Rows held out as queries (at most a fifth of the data). */
  public static final int QUERIES = 200;

  private final VectorMatrix base;
  private final List<float[]> queries;
  private final List<Set<Integer>> truth;
  private final int groups;
  private final int k;

  private HeldOut(VectorMatrix base, List<float[]> queries, List<Set<Integer>> truth, int groups, int k) {
    this.base = base;
    this.queries = queries;
    this.truth = truth;
    this.groups = groups;
    this.k = k;
  }

  /**
   * The held-out queries of {@code vectors} with their exact top-{@code k} in the rest, or null when
   * none can be held out (too few rows or groups).
   *
   * @param group each row's group (its track), or null when rows are independent
   */
  public static HeldOut of(VectorMatrix vectors, int[] group, int k, long seed) {
    if (group != null && group.length != vectors.rows()) {
      throw new IllegalArgumentException("group has " + group.length + " rows, the vectors " + vectors.rows());
    }
    int n = vectors.rows();
    boolean[] held = rows(n, group, seed);
    int nq = 0;
    for (boolean h : held) {
      nq += h ? 1 : 0;
    }
    if (nq == 0 || nq == n) {
      return null;
    }
    int[] rest = new int[n - nq];
    List<float[]> queries = new ArrayList<>();
    Set<Integer> groups = new HashSet<>();
    int r2 = 0;
    for (int r = 0; r < n; r++) {
      if (held[r]) {
        queries.add(vectors.row(r));
        groups.add(group == null ? r : group[r]);
      } else {
        rest[r2++] = r;
      }
    }
    VectorMatrix base = vectors.select(rest);
    ExactIndex exact = new ExactIndex(base);
    List<Set<Integer>> truth = new ArrayList<>();
    for (float[] q : queries) {
      truth.add(Recall.truth(exact, q, k, Metric.COSINE));
    }
    return new HeldOut(base, List.copyOf(queries), List.copyOf(truth), groups.size(), k);
  }

  /** The rows an index is built over (the data without the held-out groups). */
  public VectorMatrix base() {
    return base;
  }

  /** The held-out queries. */
  public int queries() {
    return queries.size();
  }

  /** The groups (tracks) they came from. */
  public int groups() {
    return groups;
  }

  /** Recall@k of {@code index} (built over {@link #base()}) at its own budgets. */
  public double recall(ApproximateIndex index) {
    return recall(q -> index.nearest(q, k, Metric.COSINE));
  }

  /** Recall@k of the answers {@code search} gives each query. */
  public double recall(java.util.function.Function<float[], List<Neighbor>> search) {
    double found = 0;
    for (int q = 0; q < queries.size(); q++) {
      Set<Integer> t = truth.get(q);
      found += Recall.hits(search.apply(queries.get(q)), t) / (double) Math.max(1, t.size());
    }
    return found / queries.size();
  }

  /** One line for a report, e.g. "recall@10 0.997 on 204 held-out excerpts of 6 tracks". */
  public String describe(double recall) {
    return String.format("recall@%d %.3f on %d held-out excerpts of %d %s", k, recall, queries.size(), groups,
        groups == 1 ? "track" : "tracks");
  }

  /**
   * The held-out rows: whole groups in seeded random order until {@value #QUERIES} rows, never more than
   * a fifth of the rows (a group that would pass that is skipped).
   */
  public static boolean[] rows(int n, int[] group, long seed) {
    boolean[] held = new boolean[n];
    int cap = Math.min(QUERIES, n / 5);
    if (cap == 0) {
      return held;
    }
    if (group == null) {
      for (int r : Vectors.partialShuffle(n, cap, new SplittableRandom(seed))) {
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
    for (int g : Vectors.partialShuffle(groups, groups, new SplittableRandom(seed))) {
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
