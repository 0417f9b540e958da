package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.audio.AudioFiles;
import org.rhythmsearch.eval.ExtractionBenchmark;
import org.rhythmsearch.eval.IndexBenchmark;
import org.rhythmsearch.eval.SearchBenchmarks;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.LshTuner;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.SqliteStore;
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
        "Folders are walked for wav aif aiff au ogg opus mp3 flac files. The fastest of --rounds passes is reported."
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
      description = "Brute-force search speed in nanoseconds per scored vector, Vector API kernel vs scalar loops, "
          + "and the default tempo-aligned scoring when --dim is the default feature's (same process, seeded random "
          + "unit vectors, one thread).")
  static final class Exact implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--vectors", defaultValue = "100000", description = "Vectors (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--dim", defaultValue = "1080", description = "Dimension (default: ${DEFAULT-VALUE}, the default feature's).")
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
      Metric m;
      try {
        m = Metric.byId(metric);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      SearchBenchmarks.ExactResult r =
          SearchBenchmarks.exact(vectors, dim, queries, m, 42);
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
        doc.put("tempoAlignedNsPerVector", Json.finiteOrNull(r.alignedNsPerVector()));
        doc.put("tempoAlignedOverPlain", Json.finiteOrNull(r.alignedNsPerVector() / r.simdNsPerVector()));
        Json.write(out, doc);
      } else {
        out.printf("%d vectors x %d dims, %s, one thread:%n", r.vectors(), r.dim(), r.metric().id());
        out.printf("  %s: %.1f ns per vector%n", r.simdAvailable() ? "Vector API" : "scalar (no Vector API module)",
            r.simdNsPerVector());
        out.printf("  scalar     : %.1f ns per vector (%.1fx slower)%n", r.scalarNsPerVector(),
            r.scalarNsPerVector() / r.simdNsPerVector());
        if (!Double.isNaN(r.alignedNsPerVector())) {
          out.printf("  tempo-aligned (default): %.1f ns per vector (%.2fx plain)%n", r.alignedNsPerVector(),
              r.alignedNsPerVector() / r.simdNsPerVector());
        }
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
      SearchBenchmarks.LoadResult r =
          SearchBenchmarks.load(dir, feature, excerpts, 42);
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
        "Exact brute force vs LSH vs Lucene 9.12 HNSW on the same data and queries,",
        "one thread: recall@10 against exact search, QPS (and x brute force), build",
        "time, bytes per vector, a recall/QPS curve over LSH probe and re-rank",
        "budgets and over HNSW's ef, and the fastest point of each at recall",
        "0.80/0.90/0.95/0.99.%n",
        "Data (--source): synthetic vectors from a seeded model around the real",
        "vectors of --index DB (--model), or the real vectors themselves with held-",
        "out queries (--hop for a dense set).%n",
        "HNSW: Lucene's defaults (M=16, beam 100), one segment, built on one thread;",
        "a 1 M build takes 10-15 minutes, so --hnsw-dir keeps the graph for later",
        "runs on the same data; --no-hnsw skips it."
      })
  static final class Index implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--vectors", defaultValue = "1000000", description = "Base vectors (default: ${DEFAULT-VALUE}).")
    int vectors;

    @Option(names = "--queries", defaultValue = "1000", description = "Queries (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--exact-queries", defaultValue = "200",
        description = "Queries timed for the exact baseline, before and after the LSH curve (the better pass counts; all queries get exact truth; default: ${DEFAULT-VALUE}).")
    int exactQueries;

    @Option(names = "--source", defaultValue = "synthetic",
        description = "synthetic (default): --vectors from --model around the real vectors; real: the real vectors themselves, "
            + "--queries of them held out (use with --hop for a dense set).")
    String source;

    @Option(names = "--model", defaultValue = "within-song",
        description = "Synthetic model: within-song (default: a real vector + Gaussian noise shaped like the variation "
            + "between excerpts of one real song, x --spread) or iid (a real vector + per-dimension noise of --spread x "
            + "that dimension's std).")
    String model;

    @Option(names = "--index", paramLabel = "DB", required = true,
        description = "Index whose real vectors are the data or seed the synthetic model (e.g. data/demo.db).")
    Path db;

    @Option(names = "--hop", paramLabel = "SECONDS",
        description = "Re-extract the index's tracks with excerpts every SECONDS (a dense real set) instead of using the stored vectors.")
    Double hop;

    @Option(names = "--dim", description = "Expected dimension (must match the index's feature).")
    Integer dim;

    @Option(names = "--spread", description = "Noise scale of the model (default: 1 for within-song, 0.5 for iid).")
    Double spread;

    @Option(names = "--target-recall", defaultValue = "0",
        description = "Tune LSH on a 50 000-vector sample for this recall@10 (0: size-based defaults).")
    double targetRecall;

    @Option(names = "--bits", description = "LSH bits per table K (default: from the size, or tuned).")
    Integer bits;

    @Option(names = "--tables", description = "LSH tables L (default: from the size, or tuned).")
    Integer tables;

    @Option(names = "--probes", description = "LSH probe budget of the reported point (default: from the size, or tuned).")
    Integer probes;

    @Option(names = "--rerank", description = "LSH re-rank budget of the reported point (0: every candidate; default: from the size, or tuned).")
    Integer rerank;

    @Option(names = "--planes", defaultValue = "mean", paramLabel = "mean|origin",
        description = "LSH hyperplanes through the data's mean direction (default) or through the origin "
            + "(Charikar's scheme as such, for comparison).")
    String planes;

    @Option(names = "--hnsw-dir", paramLabel = "DIR",
        description = "Keep the Lucene HNSW index in DIR and reuse it when a later run has the same data (default: in memory, rebuilt every run).")
    Path hnswDir;

    @Option(names = "--no-hnsw", description = "Skip the Lucene HNSW baseline.")
    boolean noHnsw;

    @Option(names = "--json", description = "Write one JSON document to stdout.")
    boolean json;

    /** Real vectors with, per row, the index of its track. */
    record Dense(VectorMatrix vectors, int[] song) {}

    /**
     * Every track of {@code snap} re-extracted (its feature, all cores) with excerpts every {@code hop}
     * seconds; tracks that cannot be read any more are reported and left out.
     */
    static Dense denseVectors(Snapshot snap, double hop, PrintWriter err) {
      var tracks = snap.tracks();
      ThreadLocal<FeatureExtractor> extractor =
          ThreadLocal.withInitial(() -> new FeatureExtractor(snap.config()));
      List<List<float[]>> perTrack = java.util.stream.IntStream.range(0, tracks.size()).parallel().mapToObj(i -> {
        try {
          List<float[]> vs = new java.util.ArrayList<>();
          extractor.get().track(Path.of(tracks.get(i).path()), hop).excerpts().forEach(e -> vs.add(e.vector()));
          return vs;
        } catch (AudioDecodeException | RuntimeException e) {
          synchronized (err) {
            err.println(tracks.get(i).path() + ": left out: " + e.getMessage());
          }
          return List.<float[]>of();
        }
      }).toList();
      int n = perTrack.stream().mapToInt(List::size).sum();
      int d = snap.vectors().dim();
      float[] data = new float[n * d];
      int[] song = new int[n];
      int r = 0;
      for (int t = 0; t < perTrack.size(); t++) {
        for (float[] v : perTrack.get(t)) {
          System.arraycopy(v, 0, data, r * d, d);
          song[r++] = t;
        }
      }
      return new Dense(new VectorMatrix(data, d), song);
    }

    @Override
    public Integer call() throws Exception {
      if (!List.of("synthetic", "real").contains(source)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--source " + source + ": use synthetic or real");
      }
      if (!List.of("within-song", "iid").contains(model)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--model " + model + ": use within-song or iid");
      }
      if (!List.of("mean", "origin").contains(planes)) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--planes " + planes + ": use mean or origin");
      }
      double noise = spread != null ? spread : "iid".equals(model) ? 0.5 : 1.0;
      if (vectors < 10 || queries < 1 || exactQueries < 1 || !(noise > 0) || (hop != null && !(hop > 0))) {
        throw new CommandLine.ParameterException(spec.commandLine(), "need --vectors >= 10, --queries >= 1, --spread > 0, --hop > 0");
      }
      PrintWriter err = spec.commandLine().getErr();
      Snapshot snap;
      try (SqliteStore store = SqliteStore.openExisting(db)) {
        snap = store.snapshot();
      }
      VectorMatrix real = snap.vectors();
      int[] song = snap.excerptTrack();
      if (hop != null) {
        err.printf("extracting the %d tracks of %s with a %.2f s excerpt hop...%n", snap.tracks().size(), db, hop);
        err.flush();
        var dense = denseVectors(snap, hop, err);
        real = dense.vectors();
        song = dense.song();
      }
      if (real.rows() == 0) {
        throw new CommandLine.ParameterException(spec.commandLine(), db + " holds no vectors");
      }
      if (dim != null && dim != real.dim()) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--dim " + dim + " but " + db + " holds dimension " + real.dim());
      }
      VectorMatrix base;
      VectorMatrix qs;
      String data;
      if ("real".equals(source)) {
        if (queries >= real.rows()) {
          throw new CommandLine.ParameterException(spec.commandLine(),
              "--queries " + queries + " but only " + real.rows() + " real vectors: use fewer queries or a smaller --hop");
        }
        VectorMatrix[] split = IndexBenchmark.holdOut(real, queries, 2);
        base = split[0];
        qs = split[1];
        data = String.format("real: %d excerpt vectors of %s%s, %d held out as queries", real.rows(), db,
            hop != null ? String.format(" at a %.2f s hop", hop) : "", queries);
      } else {
        err.printf("generating %d + %d vectors of dimension %d around %d real ones (%s model)...%n", vectors, queries,
            real.dim(), real.rows(), model);
        err.flush();
        if ("iid".equals(model)) {
          base = IndexBenchmark.synthetic(real, vectors, noise, 1);
          qs = IndexBenchmark.synthetic(real, queries, noise, 2);
        } else {
          base = IndexBenchmark.withinSong(real, song, vectors, noise, 1);
          qs = IndexBenchmark.withinSong(real, song, queries, noise, 2);
        }
        data = String.format("synthetic (%s model, spread %.2f) around %d real vectors of %s%s", model, noise, real.rows(), db,
            hop != null ? String.format(" at a %.2f s hop", hop) : "");
      }
      int vectors = base.rows();
      LshIndex.Params params;
      if (targetRecall > 0) {
        LshTuner.Choice c = LshTuner.tune(base, 10, targetRecall, 42, 50_000, 200);
        params = new LshIndex.Params(
            LshIndex.Params.forSize(vectors, 42).bits() - LshIndex.Params.forSize(
                c.sampleSize(), 42).bits() + c.params().bits(), c.params().tables(), c.params().probes(), 42);
        err.printf("tuned on %d vectors: %s (sample recall %.3f); bits scaled to the full size: %d%n", c.sampleSize(),
            c.params(), c.recall(), params.bits());
      } else {
        params = LshIndex.Params.forSize(vectors, 42);
      }
      params = new LshIndex.Params(bits != null ? bits : params.bits(),
          tables != null ? tables : params.tables(), probes != null ? probes : params.probes(),
          rerank != null ? rerank : params.rerank(), params.seed());
      IndexBenchmark.Result r = IndexBenchmark.run(base, qs, params, exactQueries,
          "origin".equals(planes), line -> {
            err.println(line);
            err.flush();
          });
      HnswBaseline.Result h = null;
      if (!noHnsw) {
        if (hnswDir != null) {
          java.nio.file.Files.createDirectories(hnswDir);
        }
        h = HnswBaseline.run(base, qs, r.truth(), hnswDir, err);
      }
      // equal-recall comparison: the fastest point of each curve at or above each recall level
      List<Map<String, Object>> atRecall = new java.util.ArrayList<>();
      for (double level : IndexBenchmark.RECALL_LEVELS) {
        var bestLsh = IndexBenchmark.fastestAtRecall(r.curve(),
            IndexBenchmark.Point::recallAt10, IndexBenchmark.Point::qps, level);
        HnswBaseline.Point bestHnsw = h == null ? null
            : IndexBenchmark.fastestAtRecall(h.curve(), HnswBaseline.Point::recallAt10,
                HnswBaseline.Point::qps, level);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("recallAtLeast", level);
        row.put("lshQps", bestLsh != null ? bestLsh.qps() : null);
        row.put("lshProbes", bestLsh != null ? bestLsh.probes() : null);
        row.put("lshRerank", bestLsh != null ? bestLsh.rerank() : null);
        row.put("lshXBruteForce", bestLsh != null ? bestLsh.qps() / r.exactQps() : null);
        row.put("hnswQps", bestHnsw != null ? bestHnsw.qps() : null);
        row.put("hnswEf", bestHnsw != null ? bestHnsw.ef() : null);
        row.put("hnswXBruteForce", bestHnsw != null ? bestHnsw.qps() / r.exactQps() : null);
        row.put("lshOverHnsw", bestLsh != null && bestHnsw != null ? bestLsh.qps() / bestHnsw.qps() : null);
        atRecall.add(row);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("n", r.n());
        doc.put("dim", r.dim());
        doc.put("queries", r.queries());
        doc.put("data", data);
        Map<String, Object> profile = new LinkedHashMap<>();
        for (int i = 0; i < IndexBenchmark.PROFILE_RANKS.length; i++) {
          profile.put(Integer.toString(IndexBenchmark.PROFILE_RANKS[i]), r.neighborCosines()[i]);
        }
        doc.put("neighborCosineByRank", profile);
        doc.put("exact", Map.of("qps", r.exactQps(), "bytesPerVector", 4.0 * r.dim()));
        Map<String, Object> lsh = new LinkedHashMap<>();
        lsh.put("recallAt10", r.lshRecallAt10());
        lsh.put("qps", r.lshQps());
        lsh.put("buildSeconds", r.lshBuildSeconds());
        lsh.put("bytesPerVector", r.lshBytesPerVector());
        lsh.put("xBruteForce", r.lshQps() / r.exactQps());
        lsh.put("params", Map.of("bits", r.params().bits(), "tables", r.params().tables(), "probes", r.params().probes(),
            "rerank", r.params().rerank(), "seed", r.params().seed(), "planes", planes));
        List<Map<String, Object>> curve = new java.util.ArrayList<>();
        for (IndexBenchmark.Point p : r.curve()) {
          curve.add(Map.of("probes", p.probes(), "rerank", p.rerank(), "recallAt10", p.recallAt10(), "qps", p.qps(),
              "candidatesPerQuery", p.candidatesPerQuery(), "rerankedPerQuery", p.rerankedPerQuery()));
        }
        lsh.put("curve", curve);
        doc.put("lsh", lsh);
        if (h != null) {
          Map<String, Object> hn = new LinkedHashMap<>();
          hn.put("buildSeconds", h.buildSeconds());
          hn.put("reusedStoredGraph", h.reused());
          hn.put("indexBytesPerVector", h.indexBytes() / (double) r.n());
          hn.put("lshBuildOverHnsw", r.lshBuildSeconds() / h.buildSeconds());
          List<Map<String, Object>> hc = new java.util.ArrayList<>();
          for (HnswBaseline.Point p : h.curve()) {
            hc.add(Map.of("ef", p.ef(), "recallAt10", p.recallAt10(), "qps", p.qps()));
          }
          hn.put("curve", hc);
          doc.put("hnsw", hn);
        } else {
          doc.put("hnsw", null);
        }
        doc.put("atRecall", atRecall);
        Json.write(out, doc);
      } else {
        out.printf("%d vectors x %d dims, %d queries, one thread; data: %s%n", r.n(), r.dim(), r.queries(), data);
        out.printf("  mean cosine of the query's 1st / 10th / 100th / 1000th neighbour: %.3f / %.3f / %.3f / %.3f%n",
            r.neighborCosines()[0], r.neighborCosines()[1], r.neighborCosines()[2], r.neighborCosines()[3]);
        out.printf("  exact: %.1f QPS%n", r.exactQps());
        out.printf("  LSH %s, planes through the %s: recall@10 %.3f, %.1f QPS (%.1fx brute force), build %.1f s, %.0f bytes/vector%n", r.params(),
            planes, r.lshRecallAt10(), r.lshQps(), r.lshQps() / r.exactQps(), r.lshBuildSeconds(), r.lshBytesPerVector());
        for (IndexBenchmark.Point p : r.curve()) {
          out.printf("    probes %5d rerank %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)  %8.0f candidates %7.0f re-ranked%n",
              p.probes(), p.rerank(), p.recallAt10(), p.qps(), p.qps() / r.exactQps(), p.candidatesPerQuery(),
              p.rerankedPerQuery());
        }
        if (h != null) {
          out.printf("  Lucene HNSW: build %.1f s%s (LSH build %.3fx of it), %.0f bytes/vector on disk%n", h.buildSeconds(),
              h.reused() ? ", stored graph reused" : "", r.lshBuildSeconds() / h.buildSeconds(), h.indexBytes() / (double) r.n());
          for (HnswBaseline.Point p : h.curve()) {
            out.printf("    ef %5d: recall@10 %.3f  %8.1f QPS (%6.1fx)%n", p.ef(), p.recallAt10(), p.qps(), p.qps() / r.exactQps());
          }
        } else {
          out.println("  Lucene HNSW: skipped (--no-hnsw)");
        }
        out.println("  at equal recall (fastest point of each curve):");
        for (Map<String, Object> row : atRecall) {
          out.printf("    recall >= %.2f: LSH %s, HNSW %s%n", (Double) row.get("recallAtLeast"),
              row.get("lshQps") == null ? "not reached" : String.format("%.1f QPS (%.1fx brute force)", row.get("lshQps"), row.get("lshXBruteForce")),
              row.get("hnswQps") == null ? (h == null ? "skipped" : "not reached")
                  : String.format("%.1f QPS (%.1fx brute force)", row.get("hnswQps"), row.get("hnswXBruteForce")));
        }
        out.flush();
      }
      return 0;
    }
  }
}
