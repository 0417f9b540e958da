package org.rhythmsearch.eval;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;
import org.rhythmsearch.index.VectorMatrix;

/**
 * Index benchmark at catalogue scale, single thread, the same queries for every method: exact brute
 * force (the baseline) and LSH (recall@10 against exact, QPS, build time, bytes per vector, and a
 * recall/QPS curve over probe budgets).
 *
 * <p>Synthetic data model (seeded): a Gaussian mixture around real vectors. Each synthetic vector is a
 * real vector chosen uniformly at random plus Gaussian noise with, per dimension, {@code spread} times
 * the standard deviation of that dimension over the real vectors, then unit-normalised. Queries are
 * drawn from the same model with another stream, so none is in the base set.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class IndexBenchmark {

  /** One LSH operating point. */
  public record Point(int probes, double recallAt10, double qps, double candidatesPerQuery) {}

  /** Result of a run. */
  public record Result(int n, int dim, int queries, double exactQps, LshIndex.Params params, double lshBuildSeconds,
      double lshRecallAt10, double lshQps, double lshBytesPerVector, List<Point> curve, List<Set<Integer>> truth) {}

  /** Written with the exact searches' results so the timed loop has an observable effect. */
  static volatile long blackhole;

  private IndexBenchmark() {}

  /** Generates {@code n} vectors from the mixture model around {@code real}. */
  public static VectorMatrix synthetic(VectorMatrix real, int n, double spread, long seed) {
    int dim = real.dim();
    double[] mean = new double[dim];
    double[] var = new double[dim];
    for (int r = 0; r < real.rows(); r++) {
      float[] v = real.row(r);
      for (int j = 0; j < dim; j++) {
        mean[j] += v[j];
      }
    }
    for (int j = 0; j < dim; j++) {
      mean[j] /= real.rows();
    }
    for (int r = 0; r < real.rows(); r++) {
      float[] v = real.row(r);
      for (int j = 0; j < dim; j++) {
        var[j] += (v[j] - mean[j]) * (v[j] - mean[j]);
      }
    }
    float[] sigma = new float[dim];
    for (int j = 0; j < dim; j++) {
      sigma[j] = (float) (spread * Math.sqrt(var[j] / Math.max(1, real.rows() - 1)));
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      float[] c = real.row(rnd.nextInt(real.rows()));
      double ss = 0;
      for (int j = 0; j < dim; j++) {
        float v = c[j] + sigma[j] * (float) rnd.nextGaussian();
        data[i * dim + j] = v;
        ss += (double) v * v;
      }
      float inv = ss > 0 ? (float) (1 / Math.sqrt(ss)) : 0f;
      for (int j = 0; j < dim; j++) {
        data[i * dim + j] *= inv;
      }
    }
    return new VectorMatrix(data, dim);
  }

  /**
   * Runs the comparison on {@code base} with {@code queries}.
   *
   * @param params LSH parameters (e.g. from {@link org.rhythmsearch.index.LshTuner})
   * @param exactQueries how many of the queries the (slow) exact baseline times; all get exact truth
   */
  public static Result run(VectorMatrix base, VectorMatrix queries, LshIndex.Params params, int exactQueries) {
    ExactIndex exact = new ExactIndex(base);
    int nq = queries.rows();
    List<Set<Integer>> truth = new ArrayList<>();
    long sink = 0;
    for (int q = 0; q < nq; q++) {
      Set<Integer> t = new HashSet<>();
      for (Neighbor n : exact.search(queries.row(q), 10, Metric.COSINE, null)) {
        t.add(n.id());
      }
      truth.add(t);
    }
    // time the exact baseline on a warm JIT
    long e0 = System.nanoTime();
    int timedExact = Math.min(exactQueries, nq);
    for (int q = 0; q < timedExact; q++) {
      sink += exact.search(queries.row(q), 10, Metric.COSINE, null).get(0).id();
    }
    double exactQps = timedExact / ((System.nanoTime() - e0) / 1e9);
    long b0 = System.nanoTime();
    LshIndex lsh = new LshIndex(base, params);
    double build = (System.nanoTime() - b0) / 1e9;
    List<Point> curve = new ArrayList<>();
    Point atDefault = null;
    for (int perTable = 1; perTable <= 64; perTable *= 2) {
      int probes = perTable * params.tables();
      Point p = measure(lsh, queries, truth, probes);
      curve.add(p);
      if (probes == params.probes()) {
        atDefault = p;
      }
    }
    if (atDefault == null) {
      atDefault = measure(lsh, queries, truth, params.probes());
    }
    // vectors (4·d) + norms (4) + per table a code and a row id (8)
    double bytes = 4.0 * base.dim() + 4 + 8.0 * params.tables();
    blackhole = sink;
    return new Result(base.rows(), base.dim(), nq, exactQps, params, build, atDefault.recallAt10(), atDefault.qps(), bytes, curve,
        truth);
  }

  private static Point measure(LshIndex lsh, VectorMatrix queries, List<Set<Integer>> truth, int probes) {
    int nq = queries.rows();
    for (int q = 0; q < Math.min(nq, 50); q++) { // warm-up
      lsh.search(queries.row(q), 10, Metric.COSINE, probes);
    }
    double found = 0;
    double candidates = 0;
    long t0 = System.nanoTime();
    for (int q = 0; q < nq; q++) {
      LshIndex.Result r = lsh.search(queries.row(q), 10, Metric.COSINE, probes);
      candidates += r.candidates();
      Set<Integer> t = truth.get(q);
      for (Neighbor n : r.neighbors()) {
        if (t.contains(n.id())) {
          found++;
        }
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Point(probes, found / (10.0 * nq), nq / seconds, candidates / nq);
  }
}
