package org.rhythmsearch.eval;

import java.util.List;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.IvfTuner;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.LshTuner;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;
import org.rhythmsearch.index.Recall;
import org.rhythmsearch.index.VectorMatrix;

/**
 * The approximate side of the seed protocol: {@code trials} LSH indexes with hyperplane seeds 1000,
 * 1001, … ({@link SeedEvaluation.LshResult}), each scored against exact search and against the songs,
 * with the seed study's own bucket measure; and as many IVF indexes with those k-means seeds
 * ({@link SeedEvaluation.IvfResult}).
 */
final class SeedAnnTrials {

  static volatile long blackhole;

  private final int trials;
  private final int k;
  private final Metric metric;
  private final double targetRecall;

  SeedAnnTrials(int trials, int k, Metric metric, double targetRecall) {
    this.trials = trials;
    this.k = k;
    this.metric = metric;
    this.targetRecall = targetRecall;
  }

  /** Runs the trials on {@code db} (each row's song in {@code dbSong}) with the queries of {@code querySong}'s songs. */
  SeedEvaluation.LshResult run(VectorMatrix db, List<Integer> dbSong, List<float[]> queries, List<Integer> querySong) {
    ExactIndex exact = new ExactIndex(db);
    double pSum = 0;
    double pMin = Double.POSITIVE_INFINITY;
    double pMax = Double.NEGATIVE_INFINITY;
    double rSum = 0;
    double rMin = Double.POSITIVE_INFINITY;
    double bucketSum = 0;
    double micros = 0;
    double candidates = 0;
    int empty = 0;
    LshIndex.Params first = null;
    for (int t = 0; t < trials; t++) {
      LshIndex.Params params = LshTuner.choose(db, k, targetRecall, 1000L + t, 20_000).params();
      if (first == null) {
        first = params;
      }
      LshIndex lsh = new LshIndex(db, params);
      int correct = 0;
      int found = 0;
      for (int q = 0; q < queries.size(); q++) {
        LshIndex.Result r = lsh.search(queries.get(q), k, metric);
        candidates += r.candidates();
        if (r.neighbors().size() < k) {
          empty++;
        }
        for (Neighbor n : r.neighbors()) {
          if (dbSong.get(n.id()).equals(querySong.get(q))) {
            correct++;
          }
        }
        found += Recall.hits(r.neighbors(), Recall.truth(exact, queries.get(q), k, metric));
      }
      double p = correct / (double) (queries.size() * k);
      double recall = found / (double) (queries.size() * k);
      pSum += p;
      pMin = Math.min(pMin, p);
      pMax = Math.max(pMax, p);
      rSum += recall;
      rMin = Math.min(rMin, recall);
      micros += meanQueryMicros(qi -> lsh.search(queries.get(qi), k, metric).neighbors(), queries.size());
      // the seed's measure: its 4-bit, 1-table LSH, same-song excerpts anywhere in the query's bucket
      LshIndex seedStyle = LshIndex.throughOrigin(db, new LshIndex.Params(4, 1, 1, 1000L + t));
      int inBucket = 0;
      for (int q = 0; q < queries.size(); q++) {
        for (int row : seedStyle.bucket(queries.get(q))) {
          if (dbSong.get(row).equals(querySong.get(q))) {
            inBucket++;
          }
        }
      }
      bucketSum += inBucket / (double) (queries.size() * k);
    }
    int nq = queries.size() * trials;
    return new SeedEvaluation.LshResult(trials, first, pSum / trials, pMin, pMax, rSum / trials, rMin, bucketSum / trials,
        micros / trials, candidates / nq, empty);
  }

  /** The IVF trials on {@code db} (each row's song in {@code dbSong}) with the queries of {@code querySong}'s songs. */
  SeedEvaluation.IvfResult runIvf(VectorMatrix db, List<Integer> dbSong, List<float[]> queries, List<Integer> querySong) {
    ExactIndex exact = new ExactIndex(db);
    int[] group = dbSong.stream().mapToInt(Integer::intValue).toArray();
    double pSum = 0;
    double pMin = Double.POSITIVE_INFINITY;
    double pMax = Double.NEGATIVE_INFINITY;
    double rSum = 0;
    double rMin = Double.POSITIVE_INFINITY;
    double micros = 0;
    double scanned = 0;
    int empty = 0;
    IvfIndex.Params first = null;
    for (int t = 0; t < trials; t++) {
      IvfIndex.Params params = targetRecall > 0 ? IvfTuner.choose(db, group, k, targetRecall, 1000L + t).params()
          : IvfIndex.Params.forSize(db.rows(), 1000L + t);
      if (first == null) {
        first = params;
      }
      IvfIndex ivf = new IvfIndex(db, params);
      int correct = 0;
      int found = 0;
      for (int q = 0; q < queries.size(); q++) {
        IvfIndex.Result r = ivf.search(queries.get(q), k, params.probes(), params.rerank(), metric);
        scanned += r.scanned();
        if (r.neighbors().size() < k) {
          empty++;
        }
        for (Neighbor n : r.neighbors()) {
          if (dbSong.get(n.id()).equals(querySong.get(q))) {
            correct++;
          }
        }
        found += Recall.hits(r.neighbors(), Recall.truth(exact, queries.get(q), k, metric));
      }
      double p = correct / (double) (queries.size() * k);
      double recall = found / (double) (queries.size() * k);
      pSum += p;
      pMin = Math.min(pMin, p);
      pMax = Math.max(pMax, p);
      rSum += recall;
      rMin = Math.min(rMin, recall);
      micros += meanQueryMicros(qi -> ivf.nearest(queries.get(qi), k, metric), queries.size());
    }
    return new SeedEvaluation.IvfResult(trials, first, pSum / trials, pMin, pMax, rSum / trials, rMin, micros / trials,
        scanned / ((double) queries.size() * trials), empty);
  }

  /**
   * Mean time of one query, microseconds, measured after a warm-up (the JIT compiles the search loop
   * first): all {@code count} queries (by index) are repeated until at least 0.2 s have been timed.
   */
  static double meanQueryMicros(java.util.function.IntFunction<List<Neighbor>> search, int count) {
    long deadline = System.nanoTime() + 200_000_000L;
    long sink = 0; // results are consumed so the JIT cannot drop the searches
    while (System.nanoTime() < deadline) { // warm-up
      for (int q = 0; q < count; q++) {
        sink += search.apply(q).get(0).id();
      }
    }
    long timed = 0;
    long done = 0;
    while (timed < 200_000_000L) {
      long a = System.nanoTime();
      for (int q = 0; q < count; q++) {
        sink += search.apply(q).get(0).id();
      }
      timed += System.nanoTime() - a;
      done += count;
    }
    blackhole = sink;
    return timed / 1e3 / done;
  }

}
