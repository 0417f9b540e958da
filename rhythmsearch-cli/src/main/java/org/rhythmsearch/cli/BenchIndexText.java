package org.rhythmsearch.cli;

import java.io.PrintWriter;
import org.rhythmsearch.bench.AlignedRecall;
import org.rhythmsearch.bench.HnswBaseline;
import org.rhythmsearch.bench.IndexBench;
import org.rhythmsearch.bench.IndexBenchmark;

/** The text form of {@code bench index}'s report ({@link BenchIndexCommand}; {@code --json} prints the record). */
final class BenchIndexText {

  private BenchIndexText() {}

  static void print(PrintWriter out, IndexBench.Report r) {
    double[] cos = r.neighborCosineByRank().values().stream().mapToDouble(Double::doubleValue).toArray();
    IndexBench.Lsh l = r.lsh();
    out.printf("%d vectors x %d dims, %d queries, one thread; data: %s%n", r.n(), r.dim(), r.queries(), r.data());
    out.printf("  mean cosine of the query's 1st / 10th / 100th / 1000th neighbour: %.3f / %.3f / %.3f / %.3f%n",
        cos[0], cos[1], cos[2], cos[3]);
    out.printf("  exact: %.1f QPS%n", r.exact().qps());
    out.printf("  LSH %s, planes through the %s: recall@10 %.3f, %.1f QPS (%.1fx brute force), build %.1f s, "
        + "%.0f bytes/vector%n", l.params(), l.params().planes(), l.recallAt10(), l.qps(), l.xBruteForce(),
        l.buildSeconds(), l.bytesPerVector());
    for (IndexBench.LshPoint p : l.curve()) {
      out.printf("    probes %5d rerank %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)  %8.0f candidates %7.0f re-ranked%n",
          p.probes(), p.rerank(), p.recallAt10(), p.qps(), p.qps() / r.exact().qps(), p.candidatesPerQuery(),
          p.rerankedPerQuery());
    }
    IndexBench.Ivf v = r.ivf();
    out.printf("  IVF, %d lists, 8-bit first pass: build %.1f s, %.0f bytes/vector; defaults (%d lists, re-rank %d): "
        + "recall@10 %.3f, %.1f QPS (%.1fx)%n", v.lists(), v.buildSeconds(), v.bytesPerVector(), v.defaults().probes(),
        v.defaults().rerank(), v.defaults().recallAt10(), v.defaults().qps(), v.defaults().qps() / r.exact().qps());
    for (IndexBenchmark.IvfPoint p : v.curve()) {
      out.printf("    lists %5d rerank %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)  %8.0f scanned%n", p.probes(), p.rerank(),
          p.recallAt10(), p.qps(), p.qps() / r.exact().qps(), p.scannedPerQuery());
    }
    IndexBench.Hnsw h = r.hnsw();
    IndexBench.Hnsw h8 = r.hnswInt8();
    if (h != null || h8 != null) {
      out.println("  " + (h != null ? h : h8).lucene());
    }
    if (h != null) {
      out.printf("  Lucene HNSW: build %.1f s%s (LSH build %.3fx of it), %.0f bytes/vector on disk%n", h.buildSeconds(),
          h.reusedStoredGraph() ? ", stored graph reused" : "", h.lshBuildOverHnsw(), h.indexBytesPerVector());
      for (HnswBaseline.Point p : h.curve()) {
        out.printf("    ef %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)%n", p.ef(), p.recallAt10(), p.qps(),
            p.qps() / r.exact().qps());
      }
    }
    if (h8 != null) {
      out.printf("  Lucene HNSW, int8 vectors: build %.1f s%s, %.0f bytes/vector on disk%n", h8.buildSeconds(),
          h8.reusedStoredGraph() ? ", stored graph reused" : "", h8.indexBytesPerVector());
      for (HnswBaseline.Point p : h8.curve()) {
        out.printf("    ef %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)%n", p.ef(), p.recallAt10(), p.qps(),
            p.qps() / r.exact().qps());
      }
    }
    if (h == null && h8 == null) {
      out.println("  Lucene HNSW: skipped (--no-hnsw)");
    }
    out.printf("  index --ann auto would build %s here: at its defaults recall@10 %.3f, %.1f QPS (%.1fx brute force)%n",
        r.auto().kind(), r.auto().recallAt10(), r.auto().qps(), r.auto().xBruteForce());
    out.println("  at equal recall (fastest point of each curve):");
    for (IndexBench.AtRecall a : r.atRecall()) {
      out.printf("    recall >= %.2f: LSH %s, IVF %s, HNSW %s, HNSW int8 %s; fastest: %s%n", a.recallAtLeast(),
          a.lshQps() == null ? "not reached" : String.format("%.1f QPS (%.1fx brute force)", a.lshQps(), a.lshXBruteForce()),
          a.ivfQps() == null ? "not reached" : String.format("%.1f QPS (%.1fx brute force)", a.ivfQps(), a.ivfXBruteForce()),
          a.hnswQps() == null ? (h == null ? "skipped" : "not reached")
              : String.format("%.1f QPS (%.1fx brute force)", a.hnswQps(), a.hnswXBruteForce()),
          a.hnswInt8Qps() == null ? (h8 == null ? "skipped" : "not reached")
              : String.format("%.1f QPS (%.1fx brute force)", a.hnswInt8Qps(), a.hnswInt8XBruteForce()),
          a.best() == null ? "none" : a.best().method());
    }
    AlignedRecall.Report al = r.aligned();
    if (al != null) {
      out.printf("  by the tempo-aligned score (tolerance %.2f, margin %.2f): exact %.1f QPS; the plain top 10 holds "
          + "%.3f of its top 10; IVF:%n", al.tolerance(), al.margin(), al.exactQps(), al.plainOverlap());
      for (AlignedRecall.Point p : al.curve()) {
        out.printf("    %-5s lists %5d, plain probe %4d: recall@10 %.3f  %8.1f QPS (%6.1fx)  %6.0f re-scored%n",
            p.strategy(), p.probes(), p.candidates(), p.recallAt10(), p.qps(), p.qps() / al.exactQps(),
            p.rescoredPerQuery());
      }
    }
    out.flush();
  }
}
