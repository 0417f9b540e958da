package org.rhythmsearch.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.features.Vectors;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.ApproximateSearch;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;

/**
 * {@code bench index --aligned}: approximate search by the default tempo-aligned score on real vectors
 * with held-out queries. The truth is exact search by that score ({@link Similarity#all}). IVF answers two
 * ways, over a sweep of the lists probed: "bands", the product's path ({@link ApproximateSearch}: a plain
 * probe and one per tempo band, the union of their candidates re-scored exactly), and "plain", one plain
 * probe whose best candidates (a sweep of how many) are re-scored exactly by the aligned score. The
 * second finds only what plain cosine ranks near; it is the fair match for another library that can
 * only search plainly. One thread.
 *
 * <p>With an export folder it also writes what another program needs to search by the same score
 * ({@link #export}): each query rescaled at every step, the step between every query and every row, the
 * bands and the truth; {@code scripts/faiss-hnsw.py} searches FAISS HNSW with it.
 */
public final class AlignedRecall {

  /**
   * One point of an IVF curve: how ("bands" or "plain"), lists probed, candidates of the plain probe,
   * recall@10 against exact aligned search, queries/s, rows re-scored per query.
   */
  public record Point(String strategy, int probes, int candidates, double recallAt10, double qps,
      double rescoredPerQuery) {}

  /**
   * The {@code aligned} part of the {@code bench index --json} document; {@code plainOverlap}: the share
   * of the aligned top 10 that the plain top 10 holds as well.
   */
  public record Report(double tolerance, double margin, int steps, double exactQps, double plainOverlap, int lists,
      List<Point> curve) {}

  /** Candidates of the plain strategy's probe. */
  static final int[] PLAIN_CANDIDATES = {16, 32, 64, 128, 256};

  private AlignedRecall() {}

  /**
   * @param base the indexed rows, held as they are searched
   * @param baseTempo each row's tempo, BPM (NaN when unknown)
   * @param queries the query excerpts, held as the rows
   * @param queryTempo each query's tempo, BPM (NaN when unknown)
   * @param config the feature the vectors are of (the rescaling follows its lag axis)
   * @param export a folder for another program's baseline, or null
   */
  static Report run(VectorMatrix base, float[] baseTempo, VectorMatrix queries, float[] queryTempo, FeatureConfig config,
      VectorEncoding held, Path export, Consumer<String> progress) throws IOException {
    Similarity sim = new Similarity(config, Metric.COSINE, TempoAlignment.DEFAULT, held);
    if (!sim.aligns()) {
      throw new IllegalArgumentException("--aligned: the index's feature is not lag-indexed, so nothing aligns");
    }
    ExactIndex exact = new ExactIndex(base);
    int nq = queries.rows();
    progress.accept("aligned: exact truth for " + nq + " queries over " + base.rows() + " rows...");
    int[][] truth = new int[nq][];
    double exactSeconds = Timing.bestSeconds(2, () -> {
      for (int q = 0; q < nq; q++) {
        truth[q] = top(sim.all(exact, queries.row(q), queryTempo[q], baseTempo), null, 10);
      }
    });
    double overlap = 0;
    for (int q = 0; q < nq; q++) {
      overlap += hits(top(exact.scores(queries.row(q), Metric.COSINE), null, 10), truth[q]) / 10.0;
    }
    if (export != null) {
      export(export, sim, queries, queryTempo, baseTempo, truth);
      progress.accept("aligned: rescaled queries, steps and truth written to " + export);
    }
    IvfIndex.Params p = IvfIndex.Params.forSize(base.rows(), 42);
    IvfIndex trained = new IvfIndex(base, p);
    List<Point> curve = new ArrayList<>();
    for (int probes = 1; ; probes = Math.min(p.lists(), probes * 2)) {
      IvfIndex ivf = new IvfIndex(base, p.withBudget(probes, p.rerank()), trained.centroids(), trained.quantizer(),
          trained.assignment());
      boolean exactEverywhere = true;
      for (int n : PLAIN_CANDIDATES) {
        Point point = measure("plain", probes, n, nq, truth, q -> {
          int[] rows = ivf.candidates(queries.row(q), n, null);
          java.util.Arrays.sort(rows);
          return new ApproximateSearch.Scored(rows, sim.ofRows(exact, queries.row(q), queryTempo[q], baseTempo, rows));
        });
        curve.add(point);
        exactEverywhere &= point.recallAt10() == 1.0;
      }
      ApproximateSearch search = new ApproximateSearch(ivf, exact, baseTempo);
      Point point = measure("bands", probes, ApproximateSearch.PLAIN_CANDIDATES, nq, truth,
          q -> search.score(queries.row(q), queryTempo[q], sim));
      curve.add(point);
      progress.accept(String.format(Locale.ROOT, "aligned IVF: %d of %d lists: recall@10 %.3f, %.0f queries/s "
          + "(tempo bands); plain probe of %d: %.3f, %.0f queries/s", probes, p.lists(), point.recallAt10(),
          point.qps(), PLAIN_CANDIDATES[PLAIN_CANDIDATES.length - 1], curve.get(curve.size() - 2).recallAt10(),
          curve.get(curve.size() - 2).qps()));
      if (probes == p.lists() || (exactEverywhere && point.recallAt10() == 1.0)) {
        break;
      }
    }
    TempoAlignment a = sim.alignment();
    return new Report(a.tolerance(), a.margin(), sim.steps(), nq / exactSeconds, overlap / nq, p.lists(), curve);
  }

  /** Recall and the better queries/s of two timed passes of {@code search} over every query, after a warm-up pass. */
  private static Point measure(String strategy, int probes, int candidates, int nq, int[][] truth,
      java.util.function.IntFunction<ApproximateSearch.Scored> search) {
    for (int q = 0; q < nq; q++) {
      search.apply(q);
    }
    double[] sums = new double[2];
    double seconds = Timing.bestSeconds(2, () -> {
      sums[0] = 0;
      sums[1] = 0;
      for (int q = 0; q < nq; q++) {
        ApproximateSearch.Scored s = search.apply(q);
        sums[0] += hits(top(s.scores(), s.rows(), 10), truth[q]);
        sums[1] += s.rows().length;
      }
    });
    return new Point(strategy, probes, candidates, sums[0] / (10.0 * nq), nq / seconds, sums[1] / nq);
  }

  /** The {@code k} best of {@code scores} (ties: the lower index first), as rows ({@code rows[i]} for {@code scores[i]}; null: i). */
  static int[] top(float[] scores, int[] rows, int k) {
    int[] best = ExactIndex.topKIndices(scores, k, null);
    if (rows != null) {
      for (int i = 0; i < best.length; i++) {
        best[i] = rows[best[i]];
      }
    }
    return best;
  }

  private static int hits(int[] answer, int[] truth) {
    int h = 0;
    for (int a : answer) {
      for (int t : truth) {
        if (a == t) {
          h++;
          break;
        }
      }
    }
    return h;
  }

  /**
   * Writes, beside {@link IndexBench#export}'s files: {@code scaled.f32} (per query, 2 · steps + 1 unit
   * vectors: the query rescaled by step −steps … steps, the middle one the query itself), {@code steps.i8}
   * (per query, one signed byte per row: the step its aligned score rescales by, 0 when none), {@code
   * truth-aligned.i32} (per query, the exact top 10 rows by the aligned score, best first) and {@code
   * aligned.json} (steps, margin, the product's candidates per probe and its bands: lowest, highest and
   * probing step).
   */
  static void export(Path dir, Similarity sim, VectorMatrix queries, float[] queryTempo, float[] baseTempo,
      int[][] truth) throws IOException {
    Files.createDirectories(dir);
    int steps = sim.steps();
    int dim = queries.dim();
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("scaled.f32")), 1 << 20)) {
      ByteBuffer b = ByteBuffer.allocate(4 * dim).order(ByteOrder.LITTLE_ENDIAN);
      for (int q = 0; q < queries.rows(); q++) {
        float[] v = queries.row(q);
        for (int k = -steps; k <= steps; k++) {
          float[] s = k == 0 ? v.clone() : PostProcessing.tempoScaled(sim.config(), v, 1 + k * TempoAlignment.STEP);
          Vectors.normalizeInPlace(s, 0, dim);
          b.clear();
          b.asFloatBuffer().put(s);
          out.write(b.array());
        }
      }
    }
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("steps.i8")), 1 << 20)) {
      byte[] row = new byte[baseTempo.length];
      for (int q = 0; q < queries.rows(); q++) {
        for (int r = 0; r < row.length; r++) {
          row[r] = (byte) sim.step(queryTempo[q], baseTempo[r]);
        }
        out.write(row);
      }
    }
    ByteBuffer t = ByteBuffer.allocate(4 * 10 * truth.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int[] top : truth) {
      for (int i = 0; i < 10; i++) {
        t.putInt(i < top.length ? top[i] : -1);
      }
    }
    Files.write(dir.resolve("truth-aligned.i32"), t.array());
    StringBuilder bands = new StringBuilder();
    for (int[] band : ApproximateSearch.bands(steps, ApproximateSearch.GROUP_STEPS)) {
      bands.append(bands.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "[%d, %d, %d]", band[0], band[1],
          (band[0] + band[1]) / 2));
    }
    Files.writeString(dir.resolve("aligned.json"), String.format(Locale.ROOT,
        "{\"steps\": %d, \"margin\": %s, \"plainCandidates\": %d, \"bandCandidates\": %d, \"bands\": [%s]}%n", steps,
        sim.alignment().margin(), ApproximateSearch.PLAIN_CANDIDATES, ApproximateSearch.BAND_CANDIDATES, bands));
  }
}
