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
import org.rhythmsearch.search.ApproximateSearch;
import org.rhythmsearch.search.HubReduction;
import org.rhythmsearch.search.Similarity;

/**
 * The approximate side of the seed protocol: {@code trials} LSH indexes with hyperplane seeds 1000,
 * 1001, … ({@link SeedEvaluation.LshResult}), each scored against exact search and against the songs,
 * with the seed study's own bucket measure; and as many IVF indexes with those k-means seeds
 * ({@link SeedEvaluation.IvfResult}). Both search as {@code query --search approximate} does
 * ({@link ApproximateSearch}: candidates scored by the evaluation's {@link Similarity}, tempo
 * alignment included), and recall is counted against exact search with that same similarity.
 */
final class SeedAnnTrials {

  static volatile long blackhole;

  private final int trials;
  private final int k;
  private final Similarity similarity;
  private final double targetRecall;
  private final float[] rowTempo;
  private final double[] queryTempo;
  private final float[] rowPenalty;

  /**
   * @param rowTempo the database rows' tempi, BPM (NaN when unknown)
   * @param queryTempo the queries' tempi, BPM (NaN when unknown)
   * @param rowPenalty the database rows' hub penalties ({@link HubReduction}), or null
   */
  SeedAnnTrials(int trials, int k, Similarity similarity, double targetRecall, float[] rowTempo, double[] queryTempo,
      float[] rowPenalty) {
    this.rowPenalty = rowPenalty;
    this.trials = trials;
    this.k = k;
    this.similarity = similarity;
    this.targetRecall = targetRecall;
    this.rowTempo = rowTempo;
    this.queryTempo = queryTempo;
  }

  /** One search's answer and its work (candidates scored exactly). */
  private record Answer(List<Neighbor> neighbors, int work) {}

  /** Figures over the trials: P@k and recall of the exact top-k (mean, min, max), query time, work, short answers. */
  private final class Tally {
    final ExactIndex exact;
    final List<Integer> dbSong;
    final List<float[]> queries;
    final List<Integer> querySong;
    double pSum;
    double pMin = Double.POSITIVE_INFINITY;
    double pMax = Double.NEGATIVE_INFINITY;
    double rSum;
    double rMin = Double.POSITIVE_INFINITY;
    double micros;
    double work;
    int empty;

    Tally(VectorMatrix db, List<Integer> dbSong, List<float[]> queries, List<Integer> querySong) {
      this.exact = new ExactIndex(db);
      this.dbSong = dbSong;
      this.queries = queries;
      this.querySong = querySong;
    }

    /** Scores one trial's index, given as its search of query number q. */
    void trial(java.util.function.IntFunction<Answer> search) {
      int correct = 0;
      int found = 0;
      for (int q = 0; q < queries.size(); q++) {
        Answer a = search.apply(q);
        work += a.work();
        if (a.neighbors().size() < k) {
          empty++;
        }
        for (Neighbor n : a.neighbors()) {
          if (dbSong.get(n.id()).equals(querySong.get(q))) {
            correct++;
          }
        }
        found += Recall.hits(a.neighbors(), truth(q));
      }
      double p = correct / (double) (queries.size() * k);
      double recall = found / (double) (queries.size() * k);
      pSum += p;
      pMin = Math.min(pMin, p);
      pMax = Math.max(pMax, p);
      rSum += recall;
      rMin = Math.min(rMin, recall);
      micros += meanQueryMicros(qi -> search.apply(qi).neighbors(), queries.size());
    }

    /** The exact top k of query q by the same similarity. */
    java.util.Set<Integer> truth(int q) {
      java.util.Set<Integer> t = new java.util.HashSet<>();
      float[] scores = similarity.all(exact, queries.get(q), queryTempo[q], rowTempo);
      if (rowPenalty != null) {
        HubReduction.apply(scores, rowPenalty);
      }
      for (Neighbor n : ExactIndex.topK(scores, k, null)) {
        t.add(n.id());
      }
      return t;
    }

    /** Query q through {@code ann}'s candidates, scored by the similarity: its top k and the candidates scored. */
    Answer approximate(ApproximateSearch ann, int q) {
      ApproximateSearch.Scored c = ann.score(queries.get(q), queryTempo[q], similarity);
      if (rowPenalty != null) {
        HubReduction.apply(c.scores(), c.rows(), rowPenalty);
      }
      List<Neighbor> top = ExactIndex.topK(c.scores(), k, null);
      List<Neighbor> out = new java.util.ArrayList<>(top.size());
      for (Neighbor n : top) {
        out.add(new Neighbor(c.rows()[n.id()], n.score()));
      }
      return new Answer(out, c.rows().length);
    }

    double workPerQuery() {
      return work / ((double) queries.size() * trials);
    }
  }

  /** Runs the LSH trials on {@code db} (each row's song in {@code dbSong}) with the queries of {@code querySong}'s songs. */
  SeedEvaluation.LshResult run(VectorMatrix db, List<Integer> dbSong, List<float[]> queries, List<Integer> querySong) {
    Tally tally = new Tally(db, dbSong, queries, querySong);
    double bucketSum = 0;
    LshIndex.Params first = null;
    for (int t = 0; t < trials; t++) {
      LshIndex.Params params = LshTuner.choose(db, k, targetRecall, 1000L + t, 20_000).params();
      if (first == null) {
        first = params;
      }
      ApproximateSearch lsh = new ApproximateSearch(new LshIndex(db, params), tally.exact, rowTempo);
      tally.trial(q -> tally.approximate(lsh, q));
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
    return new SeedEvaluation.LshResult(trials, first, tally.pSum / trials, tally.pMin, tally.pMax, tally.rSum / trials,
        tally.rMin, bucketSum / trials, tally.micros / trials, tally.workPerQuery(), tally.empty);
  }

  /** The IVF trials, on the same data and queries as {@link #run}. */
  SeedEvaluation.IvfResult runIvf(VectorMatrix db, List<Integer> dbSong, List<float[]> queries, List<Integer> querySong) {
    Tally tally = new Tally(db, dbSong, queries, querySong);
    int[] group = dbSong.stream().mapToInt(Integer::intValue).toArray();
    IvfIndex.Params first = null;
    for (int t = 0; t < trials; t++) {
      IvfIndex.Params params = targetRecall > 0 ? IvfTuner.choose(db, group, k, targetRecall, 1000L + t).params()
          : IvfIndex.Params.forSize(db.rows(), 1000L + t);
      if (first == null) {
        first = params;
      }
      ApproximateSearch ivf = new ApproximateSearch(new IvfIndex(db, params), tally.exact, rowTempo);
      tally.trial(q -> tally.approximate(ivf, q));
    }
    return new SeedEvaluation.IvfResult(trials, first, tally.pSum / trials, tally.pMin, tally.pMax, tally.rSum / trials,
        tally.rMin, tally.micros / trials, tally.workPerQuery(), tally.empty);
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
