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

  /** The parameters, for reports, e.g. {@code "ivf lists=148 probes=10 rerank=256 seed=42"}. */
  String describe();
}
