package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.eval.AudioFiles;
import org.rhythmsearch.eval.ExtractionBenchmark;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rhythmsearch bench …}: speed measurements. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks.",
    subcommands = {BenchCommand.Extract.class, BenchCommand.Exact.class, BenchCommand.Load.class, BenchCommand.Index.class})
final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark: extract, exact, load or index");
  }

  /** {@code rhythmsearch bench extract PATH...}. */
  @Command(name = "extract", mixinStandardHelpOptions = true,
      description = {
        "Feature-extraction speed on one thread, as multiples of real time (audio seconds per CPU second):",
        "end to end (decode + resample + features) and from 22050-Hz PCM (features only).",
        "Folders are walked for wav aif aiff au ogg mp3 flac files. The fastest of --rounds passes is reported."
      },
      exitCodeListHeading = "%nExit codes:%n",
      exitCodeList = {"0:measured", "1:some files could not be decoded (the rest were measured)", "2:usage error"})
  static final class Extract implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Audio files or folders.")
    List<Path> paths;

    @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
        completionCandidates = FeatureOption.Names.class, defaultValue = FeatureConfigs.DEFAULT_NAME,
        description = "Feature configuration: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    FeatureConfig feature = FeatureConfigs.DEFAULT;

    @Option(names = "--rounds", defaultValue = "3", description = "Measured passes (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--warmup-files", defaultValue = "3",
        description = "Files processed first to warm up the JIT, not counted (default: ${DEFAULT-VALUE}).")
    int warmupFiles;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() {
      if (rounds < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--rounds must be >= 1; --rounds=" + rounds);
      }
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      List<Path> files = AudioFiles.expand(paths);
      if (files.isEmpty()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no audio files under " + paths);
      }
      boolean tty = System.console() != null;
      ExtractionBenchmark.Result r = new ExtractionBenchmark(feature).run(files, warmupFiles, rounds, s -> {
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
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("feature", feature.id());
      doc.put("files", r.files());
      doc.put("failedFiles", r.failedFiles());
      doc.put("excerpts", r.excerpts());
      doc.put("audioSeconds", r.audioSeconds());
      doc.put("cpuSeconds", r.cpuSeconds());
      doc.put("decodeSeconds", r.decodeSeconds());
      doc.put("resampleSeconds", r.resampleSeconds());
      doc.put("featureSeconds", r.featureSeconds());
      doc.put("xRealtime", r.xRealtime());
      doc.put("xRealtimeFromPcm", r.xRealtimeFromPcm());
      doc.put("xRealtimeDecode", r.xRealtimeDecode());
      doc.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
      if (json) {
        Json.write(out, doc);
      } else {
        out.printf("%d files, %.1f s of audio, feature %s, one thread%n", r.files(), r.audioSeconds(), feature.id());
        out.printf("  end to end : %8.0f x realtime (%.2f CPU s)%n", r.xRealtime(), r.cpuSeconds());
        out.printf("  decode     : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeDecode(), r.decodeSeconds());
        out.printf("  resample   : %8.0f x realtime (%.2f CPU s)%n", r.audioSeconds() / r.resampleSeconds(), r.resampleSeconds());
        out.printf("  from PCM   : %8.0f x realtime (%.2f CPU s)%n", r.xRealtimeFromPcm(), r.featureSeconds());
        out.flush();
      }
      err.flush();
      return r.failedFiles() > 0 ? 1 : 0;
    }
  }

  /** {@code rhythmsearch bench exact}: nanoseconds per vector of brute-force search. */
  @Command(name = "exact", mixinStandardHelpOptions = true,
      description = "Brute-force search speed in nanoseconds per scored vector, Vector API kernel vs scalar loops "
          + "(same process, seeded random unit vectors, one thread).")
  static final class Exact implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--vectors", defaultValue = "100000", description = "Vectors (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--dim", defaultValue = "216", description = "Dimension (default: ${DEFAULT-VALUE}, the default feature's).")
    int dim;

    @Option(names = "--queries", defaultValue = "20", description = "Queries per timed round (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--metric", defaultValue = "cosine", description = "cosine, euclidean or l1 (default: ${DEFAULT-VALUE}).")
    String metric;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() {
      if (vectors < 1 || dim < 1 || queries < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--vectors, --dim and --queries must be >= 1");
      }
      org.rhythmsearch.index.Metric m;
      try {
        m = org.rhythmsearch.index.Metric.byId(metric);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      org.rhythmsearch.eval.SearchBenchmarks.ExactResult r =
          org.rhythmsearch.eval.SearchBenchmarks.exact(vectors, dim, queries, m, 42);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vectors", r.vectors());
        doc.put("dim", r.dim());
        doc.put("metric", r.metric().id());
        doc.put("simdAvailable", r.simdAvailable());
        doc.put("nsPerVector", r.simdNsPerVector());
        doc.put("scalarNsPerVector", r.scalarNsPerVector());
        doc.put("speedupOverScalar", r.scalarNsPerVector() / r.simdNsPerVector());
        Json.write(out, doc);
      } else {
        out.printf("%d vectors x %d dims, %s, one thread:%n", r.vectors(), r.dim(), r.metric().id());
        out.printf("  %s: %.1f ns per vector%n", r.simdAvailable() ? "Vector API" : "scalar (no Vector API module)",
            r.simdNsPerVector());
        out.printf("  scalar     : %.1f ns per vector (%.1fx slower)%n", r.scalarNsPerVector(),
            r.scalarNsPerVector() / r.simdNsPerVector());
        out.flush();
      }
      return 0;
    }
  }

  /** {@code rhythmsearch bench load}: index write and load time. */
  @Command(name = "load", mixinStandardHelpOptions = true,
      description = "Writes N random excerpt vectors into a temporary SQLite index and times loading them for search.")
  static final class Load implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--excerpts", defaultValue = "100000", description = "Excerpts (default: ${DEFAULT-VALUE}).")
    int excerpts;

    @Option(names = "--feature", paramLabel = "NAME", converter = FeatureOption.class,
        completionCandidates = FeatureOption.Names.class, defaultValue = FeatureConfigs.DEFAULT_NAME,
        description = "Feature (sets the dimension; default: ${DEFAULT-VALUE}).")
    FeatureConfig feature = FeatureConfigs.DEFAULT;

    @Option(names = "--dir", paramLabel = "DIR", description = "Folder for the temporary index (default: the system temp folder).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (excerpts < 1) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--excerpts must be >= 1");
      }
      org.rhythmsearch.eval.SearchBenchmarks.LoadResult r =
          org.rhythmsearch.eval.SearchBenchmarks.load(dir, feature, excerpts, 42);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("excerpts", r.excerpts());
        doc.put("tracks", r.tracks());
        doc.put("dim", r.dim());
        doc.put("writeSeconds", r.writeSeconds());
        doc.put("loadSeconds", r.loadSeconds());
        doc.put("fileBytes", r.fileBytes());
        Json.write(out, doc);
      } else {
        out.printf("%d excerpts (%d tracks, %d dims): written in %.2f s, loaded in %.2f s; file %.1f MB%n", r.excerpts(),
            r.tracks(), r.dim(), r.writeSeconds(), r.loadSeconds(), r.fileBytes() / 1e6);
        out.flush();
      }
      return 0;
    }
  }

  /** {@code rhythmsearch bench index}: exact vs LSH at catalogue scale. */
  @Command(name = "index", mixinStandardHelpOptions = true,
      description = {
        "Exact brute force vs LSH on N vectors, one thread, the same queries: recall@10 vs exact, QPS, build time,",
        "bytes per vector, and a recall/QPS curve over probe budgets. Synthetic data: a seeded Gaussian mixture",
        "around the real vectors of --index DB (each vector = a random real vector + per-dimension noise of",
        "--spread x that dimension's std, unit-normalised). Baseline: Lucene 9.12 HNSW (defaults M=16, beam 100),",
        "built on one thread in memory; --no-hnsw skips it (a single-threaded 1 M build takes tens of minutes)."
      })
  static final class Index implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--vectors", defaultValue = "1000000", description = "Base vectors (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--exact-queries", defaultValue = "200",
        description = "Queries timed for the exact baseline (all get exact truth; default: ${DEFAULT-VALUE}).")
    int exactQueries;

    @Option(names = "--source", defaultValue = "synthetic", description = "synthetic (default).")
    String source;

    @Option(names = "--index", paramLabel = "DB", required = true,
        description = "Index whose real vectors seed the synthetic model (e.g. data/demo.db).")
    Path db;

    @Option(names = "--dim", description = "Expected dimension (must match the index's feature).")
    Integer dim;

    @Option(names = "--spread", defaultValue = "0.5", description = "Noise relative to each dimension's std (default: ${DEFAULT-VALUE}).")
    double spread;

    @Option(names = "--target-recall", defaultValue = "0",
        description = "Tune LSH on a 50 000-vector sample for this recall@10 (0: size-based defaults).")
    double targetRecall;

    @Option(names = "--no-hnsw", description = "Skip the Lucene HNSW baseline.")
    boolean noHnsw;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (!"synthetic".equals(source)) {
        throw new CommandLine.ParameterException(spec.commandLine(),
            "--source " + source + ": only 'synthetic' is supported in this build (.npy/.fvecs input comes with issue 5)");
      }
      if (vectors < 10 || queries < 1 || exactQueries < 1 || !(spread > 0)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "need --vectors >= 10, --queries >= 1, --spread > 0");
      }
      org.rhythmsearch.index.VectorMatrix real;
      try (org.rhythmsearch.store.SqliteStore store = org.rhythmsearch.store.SqliteStore.openExisting(db)) {
        real = store.snapshot().vectors();
      }
      if (real.rows() == 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), db + " holds no vectors");
      }
      if (dim != null && dim != real.dim()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--dim " + dim + " but " + db + " holds dimension " + real.dim());
      }
      PrintWriter err = spec.commandLine().getErr();
      err.printf("generating %d + %d vectors of dimension %d around %d real ones...%n", vectors, queries, real.dim(), real.rows());
      err.flush();
      org.rhythmsearch.index.VectorMatrix base = org.rhythmsearch.eval.IndexBenchmark.synthetic(real, vectors, spread, 1);
      org.rhythmsearch.index.VectorMatrix qs = org.rhythmsearch.eval.IndexBenchmark.synthetic(real, queries, spread, 2);
      org.rhythmsearch.index.LshIndex.Params params;
      if (targetRecall > 0) {
        org.rhythmsearch.index.LshTuner.Choice c = org.rhythmsearch.index.LshTuner.tune(base, 10, targetRecall, 42, 50_000, 200);
        params = new org.rhythmsearch.index.LshIndex.Params(
            org.rhythmsearch.index.LshIndex.Params.forSize(vectors, 42).bits() - org.rhythmsearch.index.LshIndex.Params.forSize(
                c.sampleSize(), 42).bits() + c.params().bits(), c.params().tables(), c.params().probes(), 42);
        err.printf("tuned on %d vectors: %s (sample recall %.3f); bits scaled to the full size: %d%n", c.sampleSize(),
            c.params(), c.recall(), params.bits());
      } else {
        params = org.rhythmsearch.index.LshIndex.Params.forSize(vectors, 42);
      }
      err.println("running exact and LSH searches...");
      err.flush();
      org.rhythmsearch.eval.IndexBenchmark.Result r = org.rhythmsearch.eval.IndexBenchmark.run(base, qs, params, exactQueries);
      HnswBaseline.Result h = null;
      if (!noHnsw) {
        err.println("building Lucene HNSW (one thread)...");
        err.flush();
        h = HnswBaseline.run(base, qs, r.truth());
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", r.n());
        doc.put("dim", r.dim());
        doc.put("queries", r.queries());
        doc.put("exact", Map.of("qps", r.exactQps()));
        Map<String, Object> lsh = new LinkedHashMap<>();
        lsh.put("recallAt10", r.lshRecallAt10());
        lsh.put("qps", r.lshQps());
        lsh.put("buildSeconds", r.lshBuildSeconds());
        lsh.put("bytesPerVector", r.lshBytesPerVector());
        lsh.put("xBruteForce", r.lshQps() / r.exactQps());
        lsh.put("params", Map.of("bits", r.params().bits(), "tables", r.params().tables(), "probes", r.params().probes(),
            "seed", r.params().seed()));
        List<Map<String, Object>> curve = new java.util.ArrayList<>();
        for (org.rhythmsearch.eval.IndexBenchmark.Point p : r.curve()) {
          curve.add(Map.of("probes", p.probes(), "recallAt10", p.recallAt10(), "qps", p.qps(),
              "candidatesPerQuery", p.candidatesPerQuery()));
        }
        lsh.put("curve", curve);
        doc.put("lsh", lsh);
        if (h != null) {
          doc.put("hnsw", Map.of("recallAt10", h.recallAt10(), "qps", h.qps(), "buildSeconds", h.buildSeconds(),
              "lshQpsOverHnsw", r.lshQps() / h.qps(), "lshBuildOverHnsw", r.lshBuildSeconds() / h.buildSeconds()));
        } else {
          doc.put("hnsw", null);
        }
        Json.write(out, doc);
      } else {
        out.printf("%d vectors x %d dims, %d queries, one thread%n", r.n(), r.dim(), r.queries());
        out.printf("  exact: %.1f QPS%n", r.exactQps());
        out.printf("  LSH %s: recall@10 %.3f, %.1f QPS (%.1fx brute force), build %.1f s, %.0f bytes/vector%n", r.params(),
            r.lshRecallAt10(), r.lshQps(), r.lshQps() / r.exactQps(), r.lshBuildSeconds(), r.lshBytesPerVector());
        for (org.rhythmsearch.eval.IndexBenchmark.Point p : r.curve()) {
          out.printf("    probes %5d: recall@10 %.3f  %8.1f QPS  %8.0f candidates%n", p.probes(), p.recallAt10(), p.qps(),
              p.candidatesPerQuery());
        }
        if (h != null) {
          out.printf("  Lucene HNSW: recall@10 %.3f, %.1f QPS (%.1fx brute force), build %.1f s (LSH build %.3fx of it)%n",
              h.recallAt10(), h.qps(), h.qps() / r.exactQps(), h.buildSeconds(), r.lshBuildSeconds() / h.buildSeconds());
        } else {
          out.println("  Lucene HNSW: skipped (--no-hnsw)");
        }
        out.flush();
      }
      return 0;
    }
  }
}
