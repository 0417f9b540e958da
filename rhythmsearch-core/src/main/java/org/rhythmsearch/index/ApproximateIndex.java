package org.rhythmsearch.index;

import java.util.List;
import org.rhythmsearch.util.Named;

/**
 * An approximate k-NN index over the rows of a matrix: {@link LshIndex} (random hyperplanes, the
 * study's method) or {@link IvfIndex} (inverted file with an 8-bit first pass). Row ids are the
 * matrix's rows. Both re-rank their candidates exactly in the asked {@link Metric}, and both answer
 * with {@code min(k, live rows)} neighbours: never nothing from a non-empty index.
 */
public sealed interface ApproximateIndex permits LshIndex, IvfIndex {

  /** The kinds, with the size from which {@code auto} picks IVF. */
  enum Kind implements Named {
    LSH, IVF;

    /**
     * Rows from which {@link #forSize} picks IVF: the measured cross-over of the two at their
     * defaults (docs/EVALUATION.md, "Which index, by size"; {@code scripts/ann-crossover.sh}).
     */
    public static final int IVF_FROM_ROWS = 500;

    /** The kind {@code index --ann auto} builds for {@code rows} vectors. */
    public static Kind forSize(int rows) {
      return rows >= IVF_FROM_ROWS ? IVF : LSH;
    }
  }

  /** Which kind this is. */
  Kind kind();

  /** Rows ever added, removed ones included (ids run from 0 to size − 1). */
  int size();

  /** Rows not removed. */
  int liveSize();

  /**
   * The {@code k} live rows most similar to {@code query} (best first) among the candidates the index's
   * own budgets give, their scores exact in {@code metric}.
   */
  List<Neighbor> nearest(float[] query, int k, Metric metric);

  /**
   * Up to {@code n} live rows that {@code filter} accepts (every live row when null), the best by the
   * index's first pass over the index's own budget (IVF: the 8-bit codes of the probed lists; LSH: the
   * sketch distance among the probed buckets' rows), in no particular order, for the caller to score
   * exactly (e.g. tempo-aligned). With a null filter the answer holds {@code min(n, live rows)} rows, as
   * {@link #nearest} does; with a filter it may hold fewer.
   */
  int[] candidates(float[] query, int n, RowFilter filter);

  /**
   * {@link #candidates(float[], int, RowFilter)} for several probes at once ({@code out[i]} for {@code
   * queries[i]}, {@code n[i]}, {@code filters[i]}): the same answers, with work shared where the index
   * can (IVF ranks its lists for all of them in one pass over the centroids).
   */
  default int[][] candidates(float[][] queries, int[] n, RowFilter[] filters) {
    int[][] out = new int[queries.length][];
    for (int i = 0; i < queries.length; i++) {
      out[i] = candidates(queries[i], n[i], filters[i]);
    }
    return out;
  }

  /**
   * A hint that searches will be filtered by {@code labels} (one per row): the index may lay itself
   * out so that such searches read only the accepted rows (IVF orders each list by label; LSH does
   * nothing). Answers do not change. Must not run concurrently with anything else.
   */
  default void orderByLabel(short[] labels) {}

  /** The parameters, for reports, e.g. {@code "ivf lists=148 probes=10 rerank=256 seed=42"}. */
  String describe();
}
