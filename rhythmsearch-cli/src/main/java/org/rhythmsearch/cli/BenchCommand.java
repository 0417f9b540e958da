package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.rhythmsearch.bench.AlignedRecall;
import org.rhythmsearch.bench.ExtractionBenchmark;
import org.rhythmsearch.bench.HnswBaseline;
import org.rhythmsearch.bench.IndexBench;
import org.rhythmsearch.bench.IndexBenchmark;
import org.rhythmsearch.bench.SearchBenchmarks;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch bench …}: speed measurements (the benchmarks live in rhythmsearch-bench). */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {BenchCommand.Extract.class, BenchCommand.Exact.class, BenchCommand.Load.class, BenchCommand.Index.class,
      BenchKernelsCommand.class, BenchServeCommand.class, BenchAlignedCommand.class,
      BenchMakeIndexCommand.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: extract, exact, load, index, aligned, kernels or serve");
  }

  /** {@code rhythmsearch bench extract PATH...}. */
  @Command(name = "extract")
  static final class Extract extends Cmd {

    /** The {@code --json} document. */
    record ExtractReport(String feature, int files, int failedFiles, int excerpts, double audioSeconds, double cpuSeconds,
        double decodeSeconds, double resampleSeconds, double featureSeconds, double xRealtime, double xRealtimeFromPcm,
        double xRealtimeDecode, String java) {}

      @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
    List<Path> paths;

    @Mixin Options.Feature feature;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3", converter = Options.PositiveInt.class,
        description = "Measured passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-files", paramLabel = "N", defaultValue = "3",
        description = "Files processed first to warm up the JIT, not counted (default: ${DEFAULT-VALUE}).")
    int warmupFiles;

    @Mixin Options.JsonOutput json;

    @Override
    public Integer call() {
      PrintWriter out = out();
      PrintWriter err = err();
      List<Path> files = audioFiles(paths);
      if (files.isEmpty()) {
        throw usage("no audio files under " + paths);
      }
      boolean tty = Progress.enabled();
      ExtractionBenchmark.Result r = new ExtractionBenchmark(feature.orDefault()).run(files, warmupFiles, rounds, s -> {
        if (tty) {
          err.print("\r\033[K" + s);
          err.flush();
        }
      });
      if (tty) {
        err.print("\r\033[K");
      }
      for (String f : r.failures()) {
        err.println("rhythmsearch: " + f);
      }
      ExtractReport doc = new ExtractReport(feature.orDefault().id(), r.files(), r.failedFiles(), r.excerpts(), r.audioSeconds(),
          r.cpuSeconds(), r.decodeSeconds(), r.resampleSeconds(), r.featureSeconds(), r.xRealtime(), r.xRealtimeFromPcm(),
          r.xRealtimeDecode(), System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      if (json.json) {
        Json.write(out, doc);
      } else {
        out.printf("%d files, %.1f s of audio, feature %s, one thread%n", r.files(), r.audioSeconds(), feature.orDefault().id());
        out.printf("  end to end : %8.0f x realtime (%.2f CPU s)%n", r.xRealtime(), r.cpuSeconds());
        out.printf("  decode     : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeDecode(), r.decodeSeconds());
        out.printf("  resample   : %8.0f x realtime (%.2f CPU s)%n", r.audioSeconds() / r.resampleSeconds(), r.resampleSeconds());
        out.printf("  from PCM   : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeFromPcm(), r.featureSeconds());
        out.flush();
      }
      err.flush();
      return r.failedFiles() > 0 || inputProblems > 0 ? 1 : 0;
    }
  }

  /** {@code rhythmsearch bench exact}: nanoseconds per vector of brute-force search. */
  @Command(name = "exact")
  static final class Exact extends Cmd {

    @Mixin Options.Workload workload = new Options.Workload(100_000, 20);

    @Option(names = "--dim", paramLabel = "D", defaultValue = "1080", description = "Dimension (default: ${DEFAULT-VALUE}, the default feature's).")
    int dim;

    @Mixin Options.Metrics metric;

    @Mixin Options.JsonOutput json;

    /** The {@code --json} document (the tempo-aligned figures are null when --dim is not the default feature's). */
    record ExactReport(int vectors, int dim, String metric, boolean simdAvailable, double nsPerVector,
        double scalarNsPerVector, double speedupOverScalar, double tempoAlignedNsPerVector, double tempoAlignedOverPlain) {}

    @Override
    public Integer call() {
      if (workload.vectors < 1 || dim < 1 || workload.queries < 1) {
        throw usage("--vectors, --dim and --queries must be >= 1");
      }
      SearchBenchmarks.ExactResult r = SearchBenchmarks.exact(workload.vectors, dim, workload.queries, metric.metric, 42);
      double simd = r.simdNsPerVector();
      return report(json.json, new ExactReport(r.vectors(), r.dim(), r.metric().id(), r.simdAvailable(), simd,
          r.scalarNsPerVector(), r.scalarNsPerVector() / simd, r.alignedNsPerVector(), r.alignedNsPerVector() / simd), out -> {
            out.printf("%d vectors x %d dims, %s, one thread:%n", r.vectors(), r.dim(), r.metric().id());
            out.printf("  %s: %.1f ns per vector%n", r.simdAvailable() ? "Vector API" : "scalar (no Vector API module)", simd);
            out.printf("  scalar     : %.1f ns per vector (%.1fx slower)%n", r.scalarNsPerVector(), r.scalarNsPerVector() / simd);
            if (!Double.isNaN(r.alignedNsPerVector())) {
              out.printf("  tempo-aligned (default): %.1f ns per vector (%.2fx plain)%n", r.alignedNsPerVector(),
                  r.alignedNsPerVector() / simd);
            }
          });
    }
  }

  /** {@code rhythmsearch bench load}: index write and load time. */
  @Command(name = "load")
  static final class Load extends Cmd {

    @Option(names = "--excerpts", paramLabel = "N", defaultValue = "100000", description = "Excerpts (default: ${DEFAULT-VALUE}).")
    int excerpts;

    @Mixin Options.Feature feature;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder for the temporary index (default: the system temp folder).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--redis", paramLabel = "redis://HOST:PORT/PREFIX",
        description = "Also write and load the same excerpts in Redis under this (empty) prefix, beside SQLite.")
    String redis;

    @Mixin Options.JsonOutput json;

    /** SQLite, and Redis when asked, in one run. */
    record Report(SearchBenchmarks.LoadResult sqlite, SearchBenchmarks.LoadResult redis) {}

    @Override
    public Integer call() throws Exception {
      if (excerpts < 1) {
        throw usage("--excerpts must be >= 1");
      }
      if (redis != null && !Stores.isServer(redis)) {
        throw usage("--redis must be a redis:// or rediss:// address; --redis=" + redis);
      }
      SearchBenchmarks.LoadResult r = SearchBenchmarks.load(dir, feature.orDefault(), excerpts, 42);
      SearchBenchmarks.LoadResult x = redis == null ? null : SearchBenchmarks.load(redis, feature.orDefault(), excerpts,
          42);
      Object doc = x == null ? r : new Report(r, x);
      return report(json.json, doc, out -> {
        out.printf("%d excerpts (%d tracks, %d dims): written in %.2f s, loaded in %.2f s; file %.1f MB%n",
            r.excerpts(), r.tracks(), r.dim(), r.writeSeconds(), r.loadSeconds(), r.fileBytes() / 1e6);
        if (x != null) {
          out.printf("Redis %s: written in %.2f s, loaded in %.2f s (%.2f x SQLite's load time); %.1f MB of Redis "
              + "memory, %.0f bytes per excerpt (%.2f x its %d float32 values)%n", redis, x.writeSeconds(),
              x.loadSeconds(), x.loadSeconds() / r.loadSeconds(), x.fileBytes() / 1e6,
              x.fileBytes() / (double) x.excerpts(), x.fileBytes() / (double) x.excerpts() / (4.0 * x.dim()), x.dim());
        }
      });
    }
  }

  /** {@code rhythmsearch bench index}: exact vs LSH at catalogue scale. */
  @Command(name = "index")
  static final class Index extends Cmd {

    @Mixin Options.Workload workload = new Options.Workload(1_000_000, 1000);

    @Option(names = "--exact-queries", paramLabel = "Q", defaultValue = "200", description = "Queries timed for the "
        + "exact baseline, before and after the curves, the better pass counting (default: ${DEFAULT-VALUE}).")
    int exactQueries;

    @Option(names = "--source", defaultValue = "synthetic", paramLabel = "synthetic|real", description = "synthetic "
        + "(default): --vectors from --model around the real vectors; real: the real vectors, --queries held out.")
    IndexBench.Source source;

    @Option(names = "--model", defaultValue = "within-song", paramLabel = "within-song|iid",
        description = "Synthetic model: within-song (default: a real vector + Gaussian noise shaped like the variation "
            + "between excerpts of one real song, x --spread) or iid (a real vector + per-dimension noise of --spread x "
            + "that dimension's std).")
    IndexBench.Model model;

    @Option(names = "--index", paramLabel = "DB", required = true,
        description = "Index whose real vectors are the data or seed the synthetic model (e.g. data/demo.db).")
    Path db;

    @Option(names = "--hop", paramLabel = "SECONDS",
        description = "Re-extract the index's tracks with excerpts every SECONDS (a dense real set) instead of using the "
            + "stored vectors.")
    Double hop;

    @Option(names = "--dim", paramLabel = "D", description = "Expected dimension (must match the index's feature).")
    Integer dim;

    @Option(names = "--spread", paramLabel = "S", description = "Noise scale of the model (default: 1 for within-song, 0.5 for iid).")
    Double spread;

    @Option(names = "--target-recall", paramLabel = "R", defaultValue = "0",
        description = "Tune LSH on a 50 000-vector sample for this recall@10 (0: size-based defaults).")
    double targetRecall;

    @Option(names = "--bits", paramLabel = "K", description = "LSH bits per table K (default: from the size, or tuned).")
    Integer bits;

    @Option(names = "--tables", paramLabel = "L", description = "LSH tables L (default: from the size, or tuned).")
    Integer tables;

    @Option(names = "--probes", paramLabel = "P", description = "LSH probe budget of the reported point (default: from the size, or tuned).")
    Integer probes;

    @Option(names = "--rerank", paramLabel = "R", description = "LSH re-rank budget of the reported point (0: every candidate; default: "
        + "from the size, or tuned).")
    Integer rerank;

    @Option(names = "--planes", defaultValue = "mean", paramLabel = "mean|origin",
        description = "LSH hyperplanes through the data's mean direction (default) or through the origin "
            + "(Charikar's scheme as such, for comparison).")
    String planes;

    @Option(names = "--held", paramLabel = "float32|int8",
        description = "How base and queries are held: float32 (default here, as computed, so that earlier figures "
            + "reproduce) or int8 (as a new index holds them; every method then searches the same values).")
    VectorEncoding held;

    @Option(names = "--export", paramLabel = "DIR",
        description = "Also write the base and query vectors to DIR (base.f32, queries.f32: little-endian float32 "
            + "rows; meta.json) for another program's baseline, e.g. scripts/faiss-hnsw.py.")
    Path export;

    @Option(names = "--aligned", description = "Also search by the default tempo-aligned score (--source real only): "
        + "exact aligned search as the truth, IVF through the product's tempo-band probes; with --export, also what "
        + "scripts/faiss-hnsw.py needs to search FAISS by the same score.")
    boolean aligned;

    @Option(names = "--hnsw-dir", paramLabel = "DIR",
        description = "Keep the Lucene HNSW index in DIR and reuse it when a later run has the same data (default: in "
            + "memory, rebuilt every run).")
    Path hnswDir;

    @Option(names = "--no-hnsw", description = "Skip the Lucene HNSW baseline.")
    boolean noHnsw;

    @Option(names = "--hnsw-formats", paramLabel = "FORMAT[,FORMAT]", split = ",", defaultValue = "float32,int8",
        description = "The Lucene HNSW vector formats to measure: float32, int8 (default: ${DEFAULT-VALUE}); the int8 "
            + "graph is kept beside --hnsw-dir, in DIR-int8.")
    List<String> hnswFormats;

    @Mixin Options.JsonOutput json;

    private java.util.Set<HnswBaseline.Format> hnswFormats() {
      java.util.Set<HnswBaseline.Format> out = java.util.EnumSet.noneOf(HnswBaseline.Format.class);
      if (noHnsw) {
        return out;
      }
      for (String f : hnswFormats) {
        try {
          out.add(HnswBaseline.Format.valueOf(f.trim().toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw usage("--hnsw-formats: unknown format '" + f + "'; known: float32, int8");
        }
      }
      return out;
    }

    @Override
    public Integer call() throws Exception {
      if (!hnswFormats().isEmpty() && !onClasspath("org.apache.lucene.index.IndexWriter")) {
        throw usage("the Lucene HNSW baseline is not in this installation (the release archive leaves Lucene and "
            + "JMH out): give --no-hnsw, or run from a source tree built with mvn -B package");
      }
      if (!List.of("mean", "origin").contains(planes)) {
        throw usage("--planes " + planes + ": use mean or origin");
      }
      IndexBench.Report r;
      try {
        r = IndexBench.run(new IndexBench.Config(db.toString(), workload.vectors, workload.queries, exactQueries, source, model, hop, dim,
            spread, targetRecall, bits, tables, probes, rerank, "origin".equals(planes), hnswDir, hnswFormats(), export,
            held, aligned),
            err());
      } catch (IllegalArgumentException e) {
        throw usage(e.getMessage());
      }
      IndexBench.Report report = r;
      return report(json.json, report, out -> print(out, report));
    }

    private static void print(PrintWriter out, IndexBench.Report r) {
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
}
