package org.rhythmsearch.index;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rhythmsearch.features.Vectors;

/**
 * Chooses LSH parameters for a recall target so users need not guess: on a sample of the data,
 * candidate (bits, tables, probes) settings are measured against exact search, and the one with the
 * fewest candidates examined per query that reaches the target recall@k is chosen.
 *
 * <p>Grid: bits around the size-based default (±2), tables 2 or 4 (at most 4 keeps the index within
 * 4·d + 32 bytes per vector), every candidate re-ranked, probes from one per table doubling
 * up to 64 per table. Queries are held-out rows of the data (seeded shuffle): they are not in the
 * tuning index, as real queries are not in the searched collection.
 *
 * <p>Stateless; thread-safe.
 */
public final class LshTuner {

  /** The chosen setting and what was measured for it. */
  public record Choice(LshIndex.Params params, double recall, double candidatesPerQuery, int sampleSize,
      int queries, boolean targetReached) {}

  private LshTuner() {}

  /** Queries the tuner holds out for its recall measure. */
  public static final int TUNING_QUERIES = 200;

  /**
   * The LSH parameters for {@code vectors}: the size-based defaults ({@link LshIndex.Params#forSize})
   * when {@code targetRecall} is 0 or there are fewer than 10 rows, else the cheapest setting that
   * reaches {@code targetRecall} (recall@k) on a sample of at most {@code maxSample} rows
   * ({@link #tune}), its bits scaled from the sample's size to the whole data's (about 8 rows per
   * bucket either way).
   *
   * @return the choice; for the size-based defaults its recall and candidates are NaN
   */
  public static Choice choose(VectorMatrix vectors, int k, double targetRecall, long seed, int maxSample) {
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("targetRecall must be in [0, 1]; targetRecall=" + targetRecall);
    }
    int n = vectors.rows();
    if (targetRecall == 0 || n < 10) {
      return new Choice(LshIndex.Params.forSize(n, seed), Double.NaN, Double.NaN, n, 0, false);
    }
    Choice c = tune(vectors, k, targetRecall, seed, maxSample, TUNING_QUERIES);
    if (c.sampleSize() >= n) {
      return c;
    }
    LshIndex.Params p = c.params();
    int bits = LshIndex.Params.forSize(n, seed).bits() - LshIndex.Params.forSize(c.sampleSize(), seed).bits() + p.bits();
    return new Choice(new LshIndex.Params(Math.max(1, Math.min(LshIndex.MAX_BITS, bits)), p.tables(), p.probes(),
        p.rerank(), p.seed()), c.recall(), c.candidatesPerQuery(), c.sampleSize(), c.queries(), c.targetReached());
  }

  /** A one-line description of a {@link #choose} result, e.g. for a command's report. */
  public static String describe(Choice c, int k, double targetRecall) {
    if (Double.isNaN(c.recall())) {
      return "size-based defaults";
    }
    return String.format("tuned for recall@" + k + " %.2f: measured %.3f with %.0f candidates per query%s", targetRecall,
        c.recall(), c.candidatesPerQuery(), c.targetReached() ? "" : " (target not reached: best found)");
  }

  /**
   * @param vectors the data (a sample of at most {@code maxSample} rows is used)
   * @param k neighbours per query for the recall measure
   * @param targetRecall recall@k to reach, in (0, 1]
   * @param seed seed of the sample, the noise and the hyperplanes
   */
  public static Choice tune(VectorMatrix vectors, int k, double targetRecall, long seed, int maxSample, int queries) {
    if (!(targetRecall > 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("targetRecall must be in (0, 1]; targetRecall=" + targetRecall);
    }
    if (vectors.rows() == 0) {
      throw new IllegalArgumentException("cannot tune on an empty index");
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    // held-out queries: rows of the data that are not in the tuning index, like real queries
    int nq = Math.min(queries, Math.max(1, vectors.rows() / 5));
    VectorMatrix shuffled = sample(vectors, Math.min(vectors.rows(), maxSample + nq), rnd);
    int dim = shuffled.dim();
    List<float[]> qs = new ArrayList<>();
    for (int i = 0; i < nq; i++) {
      qs.add(shuffled.row(i));
    }
    float[] rest = new float[(shuffled.rows() - nq) * dim];
    for (int r = nq; r < shuffled.rows(); r++) {
      System.arraycopy(shuffled.row(r), 0, rest, (r - nq) * dim, dim);
    }
    VectorMatrix sample = new VectorMatrix(rest, dim);
    if (sample.rows() == 0) {
      throw new IllegalArgumentException("cannot tune on " + vectors.rows() + " vector(s): too few");
    }
    ExactIndex exact = new ExactIndex(sample);
    List<Set<Integer>> truth = new ArrayList<>();
    for (float[] q : qs) {
      truth.add(Recall.truth(exact, q, k, Metric.COSINE));
    }
    int base = LshIndex.Params.forSize(sample.rows(), seed).bits();
    Choice best = null;
    Choice bestMiss = null;
    for (int bits = Math.max(2, base - 2); bits <= Math.min(24, base + 2); bits++) {
      for (int tables : new int[] {2, 4}) {
        LshIndex lsh = new LshIndex(sample, new LshIndex.Params(bits, tables, tables, seed));
        for (int perTable = 1; perTable <= 64; perTable *= 2) {
          int probes = perTable * tables;
          double found = 0;
          double candidates = 0;
          for (int i = 0; i < qs.size(); i++) {
            LshIndex.Result r = lsh.search(qs.get(i), k, Metric.COSINE, probes);
            candidates += r.candidates();
            Set<Integer> t = truth.get(i);
            found += Recall.hits(r.neighbors(), t) / (double) t.size();
          }
          double recall = found / qs.size();
          Choice c = new Choice(new LshIndex.Params(bits, tables, probes, seed), recall, candidates / qs.size(),
              sample.rows(), qs.size(), recall >= targetRecall);
          if (c.targetReached() && (best == null || c.candidatesPerQuery() < best.candidatesPerQuery())) {
            best = c;
          }
          if (bestMiss == null || c.recall() > bestMiss.recall()) {
            bestMiss = c;
          }
          if (c.targetReached()) {
            break; // more probes only cost more
          }
        }
      }
    }
    return best != null ? best : bestMiss;
  }

  /** {@code count} distinct rows in seeded random order. */
  private static VectorMatrix sample(VectorMatrix m, int count, SplittableRandom rnd) {
    int dim = m.dim();
    float[] data = new float[count * dim];
    int[] idx = Vectors.partialShuffle(m.rows(), count, rnd);
    for (int i = 0; i < count; i++) {
      System.arraycopy(m.row(idx[i]), 0, data, i * dim, dim);
    }
    return new VectorMatrix(data, dim);
  }

}
