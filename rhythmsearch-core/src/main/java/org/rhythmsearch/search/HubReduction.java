package org.rhythmsearch.search;

import java.util.Arrays;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.util.Checks;

/**
 * Hub reduction by local scaling: some excerpts ("hubs") are near to very many others, whatever the
 * query, and crowd the answers (Schnitzer et al., "Local and global scaling reduce hubs in space", JMLR
 * 2012, on music similarity). Each indexed excerpt y gets its hubness r<sub>y</sub>: the mean of its
 * {@code k} best scores ({@link Similarity}) against the excerpts of other tracks; a query's score for
 * y is lowered by half of it, {@code s(q, y) − (r_y − r̄) / 2}, the cross-domain similarity local scaling
 * of Conneau et al. (ICLR 2018) without the query's own term, which does not change its ranking. The
 * mean r̄ over the rows is added back so scores keep their scale.
 *
 * <p>Measured so far in {@code eval} only ({@code --hub-k}; docs/EVALUATION.md, "Retrieval quality III"):
 * {@code query}, {@code serve}, the approximate indexes' stores and the Spark graph do not apply it yet.
 *
 * <p>Stateless; thread-safe.
 */
public final class HubReduction {

  private HubReduction() {}

  /**
   * The penalty of every row of {@code index} ({@code (r_y − r̄) / 2}, see the class comment): each row
   * scored as a query against all rows by {@code similarity} (tempi {@code rowTempo}, BPM, NaN when
   * unknown), its own track's rows ({@code rowTrack}) left out. A row with fewer than {@code k} rows of
   * other tracks averages those it has (none: r = r̄).
   *
   * @param k neighbours averaged, {@code >= 1}
   */
  public static float[] penalties(Similarity similarity, ExactIndex index, float[] rowTempo, int[] rowTrack, int k) {
    Checks.atLeastOne(k, "k");
    int n = index.vectors().rows();
    if (rowTempo.length != n || rowTrack.length != n) {
      throw new IllegalArgumentException(n + " rows but " + rowTempo.length + " tempi and " + rowTrack.length + " tracks");
    }
    double[] r = new double[n];
    boolean[] has = new boolean[n];
    double sum = 0;
    int counted = 0;
    for (int i = 0; i < n; i++) {
      float[] s = similarity.all(index, index.vectors().row(i), rowTempo[i], rowTempo);
      int m = 0;
      for (int j = 0; j < n; j++) {
        if (rowTrack[j] != rowTrack[i] && !Float.isNaN(s[j])) {
          s[m++] = s[j];
        }
      }
      if (m == 0) {
        continue;
      }
      r[i] = meanOfLargest(s, m, k);
      has[i] = true;
      sum += r[i];
      counted++;
    }
    double mean = counted == 0 ? 0 : sum / counted;
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = has[i] ? (float) ((r[i] - mean) / 2) : 0f;
    }
    return out;
  }

  /** The mean of the {@code min(k, m)} largest of {@code s[0..m)} (reorders that range). */
  static double meanOfLargest(float[] s, int m, int k) {
    int take = Math.min(k, m);
    Arrays.sort(s, 0, m);
    double t = 0;
    for (int i = m - take; i < m; i++) {
      t += s[i];
    }
    return t / take;
  }

  /** Lowers {@code scores[r]} (of row r) by {@code penalties[r]}, in place. */
  public static void apply(float[] scores, float[] penalties) {
    if (scores.length != penalties.length) {
      throw new IllegalArgumentException(scores.length + " scores but " + penalties.length + " penalties");
    }
    for (int r = 0; r < scores.length; r++) {
      scores[r] -= penalties[r];
    }
  }

  /** Lowers {@code scores[i]} (of row {@code rows[i]}) by {@code penalties[rows[i]]}, in place. */
  public static void apply(float[] scores, int[] rows, float[] penalties) {
    for (int i = 0; i < rows.length; i++) {
      scores[i] -= penalties[rows[i]];
    }
  }
}
