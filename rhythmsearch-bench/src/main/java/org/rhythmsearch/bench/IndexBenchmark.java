package org.rhythmsearch.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rhythmsearch.features.Vectors;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;
import org.rhythmsearch.index.Recall;
import org.rhythmsearch.index.VectorMatrix;

/**
 * Index benchmark at catalogue scale, single thread, the same queries for every method: exact brute
 * force (the baseline), LSH and the inverted file with its 8-bit first pass (IVF; recall@10 against
 * exact, QPS, build time, bytes per vector, and a recall/QPS curve over probe and re-rank budgets).
 *
 * <p>Synthetic data model (seeded): a Gaussian mixture around real vectors. Each synthetic vector is a
 * real vector chosen uniformly at random plus Gaussian noise with, per dimension, {@code spread} times
 * the standard deviation of that dimension over the real vectors, then unit-normalised. Queries are
 * drawn from the same model with another stream, so none is in the base set.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class IndexBenchmark {

  /** One LSH operating point: probe and re-rank budgets (re-rank 0: every candidate) and what they gave. */
  public record Point(int probes, int rerank, double recallAt10, double qps, double candidatesPerQuery,
      double rerankedPerQuery) {}

  /** One IVF operating point: lists probed, re-rank budget, and what they gave. */
  public record IvfPoint(int probes, int rerank, double recallAt10, double qps, double scannedPerQuery) {}

  /** IVF's parameters, build time, memory per vector and curve. */
  public record Ivf(IvfIndex.Params params, double buildSeconds, double bytesPerVector, IvfPoint defaults,
      List<IvfPoint> curve) {}

  /** Re-rank budgets of IVF's curve. */
  public static final int[] IVF_RERANK = {32, 64, 128, 256, 512};

  /** Re-rank budgets of the curve (0: every candidate re-ranked, no Hamming pre-filter). */
  public static final int[] CURVE_RERANK = {0, 500, 1000, 2000, 4000, 8000};

  /** Recall levels at which methods are compared by their fastest point. */
  public static final double[] RECALL_LEVELS = {0.80, 0.90, 0.95, 0.99};

  /**
   * The point with the highest QPS among those with recall at or above {@code level} (the first of
   * equals), or null when none reaches it: the equal-recall comparison of two methods' curves.
   */
  public static <T> T fastestAtRecall(List<T> curve, java.util.function.ToDoubleFunction<T> recall,
      java.util.function.ToDoubleFunction<T> qps, double level) {
    T best = null;
    for (T p : curve) {
      if (recall.applyAsDouble(p) >= level && (best == null || qps.applyAsDouble(p) > qps.applyAsDouble(best))) {
        best = p;
      }
    }
    return best;
  }

  /** Result of a run. */
  public record Result(int n, int dim, int queries, double exactQps, LshIndex.Params params, double lshBuildSeconds,
      double lshRecallAt10, double lshQps, double lshBytesPerVector, List<Point> curve, List<Set<Integer>> truth,
      double[] neighborCosines, Ivf ivf) {}

  /** Ranks at which {@link Result#neighborCosines()} gives the mean cosine of a query's neighbour. */
  public static final int[] PROFILE_RANKS = {1, 10, 100, 1000};

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
    return around(real, n, seed, (rnd, data, o) -> {
      for (int j = 0; j < dim; j++) {
        data[o + j] += sigma[j] * (float) rnd.nextGaussian();
      }
    });
  }

  /** Noise added in place to {@code data[o .. o + dim)}, drawn from {@code rnd}. */
  private interface Noise {
    void add(SplittableRandom rnd, float[] data, int o);
  }

  /** {@code n} unit vectors: each a uniformly chosen row of {@code real} plus {@code noise}, normalised. */
  private static VectorMatrix around(VectorMatrix real, int n, long seed, Noise noise) {
    int dim = real.dim();
    float[] src = rowMajor(real);
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] data = new float[n * dim];
    for (int i = 0; i < n; i++) {
      int o = i * dim;
      System.arraycopy(src, rnd.nextInt(real.rows()) * dim, data, o, dim);
      noise.add(rnd, data, o);
      Vectors.normalizeInPlace(data, o, dim);
    }
    return new VectorMatrix(data, dim);
  }

  /**
   * Generates {@code n} unit vectors from the within-song model around {@code real}: a real vector
   * chosen uniformly at random plus {@code spread · Σ g_m (a_m − b_m) / √(2M)} over {@code M = 8}
   * random pairs (a_m, b_m) of real vectors of the same song ({@code song[r]} names row r's song) with
   * independent standard Gaussian weights {@code g_m}. The noise has zero mean and, at spread 1, the
   * covariance of the variation between excerpts of one real song, so a synthetic vector differs from
   * its centre about as much as two excerpts of a song differ, in the directions real songs vary in.
   *
   * @throws IllegalArgumentException when no song has two vectors
   */
  public static VectorMatrix withinSong(VectorMatrix real, int[] song, int n, double spread, long seed) {
    int dim = real.dim();
    List<int[]> pairs = new ArrayList<>();
    for (int a = 0; a < real.rows(); a++) {
      for (int b = a + 1; b < real.rows() && song[b] == song[a]; b++) {
        pairs.add(new int[] {a, b});
      }
    }
    if (pairs.isEmpty()) {
      throw new IllegalArgumentException("the within-song model needs a song with at least two excerpts");
    }
    final int m = 8;
    float[] src = rowMajor(real);
    double scale = spread / Math.sqrt(2.0 * m);
    return around(real, n, seed, (rnd, data, o) -> {
      for (int k = 0; k < m; k++) {
        int[] pr = pairs.get(rnd.nextInt(pairs.size()));
        float g = (float) (scale * rnd.nextGaussian());
        int oa = pr[0] * dim;
        int ob = pr[1] * dim;
        for (int j = 0; j < dim; j++) {
          data[o + j] += g * (src[oa + j] - src[ob + j]);
        }
      }
    });
  }

  /** The rows of {@code m} in one row-major array. */
  private static float[] rowMajor(VectorMatrix m) {
    float[] out = new float[m.rows() * m.dim()];
    for (int r = 0; r < m.rows(); r++) {
      System.arraycopy(m.row(r), 0, out, r * m.dim(), m.dim());
    }
    return out;
  }

  /**
   * Splits {@code real} into a base set and {@code queries} held-out rows (seeded choice), both unit
   * normalised: {@code [base, queries]}.
   */
  public static VectorMatrix[] holdOut(VectorMatrix real, int queries, long seed) {
    return holdOut(real, queries, holdOutOrder(real.rows(), queries, seed));
  }

  /** The rows {@link #holdOut} takes: the first {@code queries} are the queries, the rest the base, in that order. */
  static int[] holdOutOrder(int n, int queries, long seed) {
    if (queries < 1 || queries >= n) {
      throw new IllegalArgumentException("need 1 <= queries < " + n + " real vectors; queries=" + queries);
    }
    return Vectors.partialShuffle(n, queries, new SplittableRandom(seed));
  }

  /** {@link #holdOut} with the rows of {@link #holdOutOrder} given. */
  static VectorMatrix[] holdOut(VectorMatrix real, int queries, int[] idx) {
    int n = real.rows();
    int dim = real.dim();
    float[] q = new float[queries * dim];
    float[] b = new float[(n - queries) * dim];
    for (int i = 0; i < n; i++) {
      float[] dst = i < queries ? q : b;
      int o = (i < queries ? i : i - queries) * dim;
      System.arraycopy(real.row(idx[i]), 0, dst, o, dim);
      Vectors.normalizeInPlace(dst, o, dim);
    }
    return new VectorMatrix[] {new VectorMatrix(b, dim), new VectorMatrix(q, dim)};
  }

  /**
   * Runs the comparison on {@code base} with {@code queries}.
   *
   * @param params LSH parameters (e.g. from {@link org.rhythmsearch.index.LshTuner})
   * @param exactQueries how many of the queries the (slow) exact baseline times; all get exact truth
   * @param planesThroughOrigin LSH hyperplanes through the origin instead of the mean direction
   * @param progress receives one line per stage (exact truth, build, each probe budget of the curve)
   */
  public static Result run(VectorMatrix base, VectorMatrix queries, LshIndex.Params params, int exactQueries,
      boolean planesThroughOrigin, java.util.function.Consumer<String> progress) {
    ExactIndex exact = new ExactIndex(base);
    int nq = queries.rows();
    List<Set<Integer>> truth = new ArrayList<>();
    progress.accept("exact search of " + queries.rows() + " queries over " + base.rows() + " vectors (the truth)...");
    // how hard the data is: the mean cosine of the 1st, 10th, 100th and 1000th neighbour
    double[] profile = new double[PROFILE_RANKS.length];
    int deepest = Math.min(PROFILE_RANKS[PROFILE_RANKS.length - 1], base.rows());
    for (int q = 0; q < nq; q++) {
      List<Neighbor> ranked = exact.search(queries.row(q), deepest, Metric.COSINE, null);
      Set<Integer> t = new HashSet<>();
      for (Neighbor n : ranked.subList(0, Math.min(10, ranked.size()))) {
        t.add(n.id());
      }
      truth.add(t);
      for (int i = 0; i < PROFILE_RANKS.length; i++) {
        profile[i] += ranked.get(Math.min(PROFILE_RANKS[i], ranked.size()) - 1).score() / nq;
      }
    }
    // the exact baseline (warm JIT): timed now and again after the LSH curve, the better pass counts,
    // as for every LSH point, so a slow moment of the machine does not flatter the ratios
    int timedExact = Math.min(exactQueries, nq);
    double exactSeconds = timeExact(exact, queries, timedExact);
    progress.accept("building LSH " + params + "...");
    long b0 = System.nanoTime();
    LshIndex lsh = planesThroughOrigin ? LshIndex.throughOrigin(base, params) : new LshIndex(base, params);
    double build = (System.nanoTime() - b0) / 1e9;
    for (int q = 0; q < nq; q++) { // JIT warm-up over every query before any point is timed
      lsh.search(queries.row(q), 10, Metric.COSINE, 16 * params.tables(), 1000);
      lsh.search(queries.row(q), 10, Metric.COSINE, 4 * params.tables(), 0);
    }
    List<Point> curve = new ArrayList<>();
    Point atDefault = null;
    for (int perTable = 1; perTable <= 256; perTable *= 2) {
      int probes = perTable * params.tables();
      progress.accept("LSH curve: " + probes + " probes, re-rank budgets " + java.util.Arrays.toString(CURVE_RERANK));
      for (int rerank : CURVE_RERANK) {
        Point p = measure(lsh, queries, truth, probes, rerank);
        curve.add(p);
        if (probes == params.probes() && rerank == params.rerank()) {
          atDefault = p;
        }
      }
    }
    if (atDefault == null) {
      atDefault = measure(lsh, queries, truth, params.probes(), params.rerank());
    }
    double bytes = 4.0 * base.dim() + lsh.bytesPerVector();
    lsh = null; // IVF is built without LSH's tables in memory
    Ivf ivf = ivf(base, queries, truth, progress);
    exactSeconds = Math.min(exactSeconds, timeExact(exact, queries, timedExact));
    double exactQps = timedExact / exactSeconds;
    return new Result(base.rows(), base.dim(), nq, exactQps, params, build, atDefault.recallAt10(), atDefault.qps(), bytes, curve,
        truth, profile, ivf);
  }

  /**
   * IVF with its size-based lists: build time, memory, the point of its size-based budget, and the curve
   * over probes and re-rank budgets.
   */
  static Ivf ivf(VectorMatrix base, VectorMatrix queries, List<Set<Integer>> truth,
      java.util.function.Consumer<String> progress) {
    IvfIndex.Params p = IvfIndex.Params.forSize(base.rows(), 42);
    progress.accept("building IVF " + p + "...");
    long b0 = System.nanoTime();
    IvfIndex ivf = new IvfIndex(base, p);
    double build = (System.nanoTime() - b0) / 1e9;
    for (int q = 0; q < queries.rows(); q++) { // JIT warm-up
      ivf.search(queries.row(q), 10, Math.min(p.lists(), 8), 64);
    }
    List<IvfPoint> curve = new ArrayList<>();
    for (int probes = 1; ; probes = Math.min(p.lists(), probes * 2)) {
      progress.accept("IVF curve: " + probes + " of " + p.lists() + " lists, re-rank budgets "
          + java.util.Arrays.toString(IVF_RERANK));
      boolean exactEverywhere = true;
      for (int rerank : IVF_RERANK) {
        IvfPoint point = measureIvf(ivf, queries, truth, probes, rerank);
        curve.add(point);
        exactEverywhere &= point.recallAt10() == 1.0;
      }
      if (probes == p.lists() || exactEverywhere) { // more lists cannot raise recall, only cost
        break;
      }
    }
    IvfPoint defaults = measureIvf(ivf, queries, truth, p.probes(), p.rerank());
    progress.accept(String.format("IVF at its size-based budget (%d lists, re-rank %d): recall@10 %.3f", p.probes(),
        p.rerank(), defaults.recallAt10()));
    return new Ivf(p, build, ivf.bytesPerVector(), defaults, curve);
  }

  private static IvfPoint measureIvf(IvfIndex ivf, VectorMatrix queries, List<Set<Integer>> truth, int probes,
      int rerank) {
    int nq = queries.rows();
    double[] sums = new double[2];
    double best = Timing.bestSeconds(2, () -> {
      java.util.Arrays.fill(sums, 0);
      for (int q = 0; q < nq; q++) {
        IvfIndex.Result r = ivf.search(queries.row(q), 10, probes, rerank);
        sums[0] += Recall.hits(r.neighbors(), truth.get(q));
        sums[1] += r.scanned();
      }
    });
    return new IvfPoint(probes, rerank, sums[0] / (10.0 * nq), nq / best, sums[1] / nq);
  }

  /** Seconds for exact top-10 searches of the first {@code count} queries. */
  private static double timeExact(ExactIndex exact, VectorMatrix queries, int count) {
    long sink = 0;
    long e0 = System.nanoTime();
    for (int q = 0; q < count; q++) {
      sink += exact.search(queries.row(q), 10, Metric.COSINE, null).get(0).id();
    }
    double seconds = (System.nanoTime() - e0) / 1e9;
    blackhole = sink;
    return seconds;
  }

  /** Recall and the better QPS of two timed passes over the queries (after a warm-up pass over 50 of them). */
  private static Point measure(LshIndex lsh, VectorMatrix queries, List<Set<Integer>> truth, int probes, int rerank) {
    int nq = queries.rows();
    for (int q = 0; q < Math.min(nq, 50); q++) { // warm-up
      lsh.search(queries.row(q), 10, Metric.COSINE, probes, rerank);
    }
    double[] sums = new double[3]; // found, candidates, re-ranked: the same in every pass
    double best = Timing.bestSeconds(2, () -> {
      java.util.Arrays.fill(sums, 0);
      for (int q = 0; q < nq; q++) {
        LshIndex.Result r = lsh.search(queries.row(q), 10, Metric.COSINE, probes, rerank);
        sums[0] += Recall.hits(r.neighbors(), truth.get(q));
        sums[1] += r.candidates();
        sums[2] += r.reranked();
      }
    });
    return new Point(probes, rerank, sums[0] / (10.0 * nq), nq / best, sums[1] / nq, sums[2] / nq);
  }
}
