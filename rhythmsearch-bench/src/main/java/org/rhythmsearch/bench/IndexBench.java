package org.rhythmsearch.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.PerFile;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.LshTuner;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.util.Named;

/**
 * {@code bench index}: exact brute force vs LSH vs Lucene HNSW on the same data and queries, from the
 * vectors of an index (synthetic data around them, or the real vectors with held-out queries).
 */
public final class IndexBench {

  private IndexBench() {}

  /** Where the benchmark's data comes from. */
  public enum Source implements Named { SYNTHETIC, REAL }

  /** The synthetic model ({@link IndexBenchmark#withinSong} or {@link IndexBenchmark#synthetic}). */
  public enum Model implements Named { WITHIN_SONG, IID }

  /**
   * What to measure. Null LSH parameters come from the size or from tuning; null {@code spread}
   * is 1 for within-song and 0.5 for iid; null {@code hop} uses the stored vectors; {@code hnsw} names
   * the Lucene HNSW formats to measure (none: no HNSW baseline); {@code export} is a folder the base and
   * query vectors are written to for another program's baseline ({@link #export}; null: none); {@code
   * held} how base and queries are held (int8: as a new index holds them, every method searching the
   * same values; null: float32, as computed); {@code aligned} also measures search by the default
   * tempo-aligned score ({@link AlignedRecall}; real source only).
   */
  public record Config(String index, int vectors, int queries, int exactQueries, Source source, Model model, Double hop,
      Integer dim, Double spread, double targetRecall, Integer bits, Integer tables, Integer probes, Integer rerank,
      boolean planesThroughOrigin, Path hnswDir, java.util.Set<HnswBaseline.Format> hnsw, Path export,
      VectorEncoding held, boolean aligned) {

    double noise() {
      return spread != null ? spread : model == Model.IID ? 0.5 : 1.0;
    }
  }

  /** The LSH parameters as reported. */
  public record LshParams(int bits, int tables, int probes, int rerank, long seed, String planes) {}

  /** One point of the LSH curve. */
  public record LshPoint(int probes, int rerank, double recallAt10, double qps, double candidatesPerQuery,
      double rerankedPerQuery) {}

  /** LSH at the reported point, and its curve. */
  public record Lsh(double recallAt10, double qps, double buildSeconds, double bytesPerVector, double xBruteForce,
      LshParams params, List<LshPoint> curve) {}

  /** Brute force. */
  public record Exact(double qps, double bytesPerVector) {}

  /** Lucene HNSW, and its curve over ef. */
  public record Hnsw(String lucene, String format, double buildSeconds, boolean reusedStoredGraph, double indexBytesPerVector,
      double lshBuildOverHnsw, List<HnswBaseline.Point> curve) {}

  /** IVF at its curve, with its build time, memory per vector (floats and codes) and its size-based budget's point. */
  public record Ivf(int lists, double buildSeconds, double bytesPerVector, double buildOverHnsw,
      IndexBenchmark.IvfPoint defaults, List<IndexBenchmark.IvfPoint> curve) {}

  /**
   * What {@code index --ann auto} would build for this many vectors, at its defaults (no tuning): the
   * kind, its recall@10, QPS and × brute force.
   */
  public record Auto(String kind, double recallAt10, double qps, double xBruteForce) {}

  /** The fastest method at a recall level. */
  public record Best(String method, double qps, double xBruteForce) {}

  /** The fastest point of each curve at or above a recall level (null where not reached). */
  public record AtRecall(double recallAtLeast, Double lshQps, Integer lshProbes, Integer lshRerank, Double lshXBruteForce,
      Double hnswQps, Integer hnswEf, Double hnswXBruteForce, Double lshOverHnsw, Double ivfQps, Integer ivfProbes,
      Integer ivfRerank, Double ivfXBruteForce, Double hnswInt8Qps, Integer hnswInt8Ef, Double hnswInt8XBruteForce,
      Best best) {}

  /** Everything measured: the {@code bench index --json} document. */
  public record Report(int n, int dim, int queries, String data, Map<String, Double> neighborCosineByRank, Exact exact,
      Lsh lsh, Ivf ivf, Hnsw hnsw, Hnsw hnswInt8, Auto auto, List<AtRecall> atRecall, AlignedRecall.Report aligned) {}

  /** Real vectors with, per row, the index of its track and its tempo (BPM, NaN when unknown). */
  record Dense(VectorMatrix vectors, int[] song, float[] tempo) {}

  /**
   * Runs the benchmark; progress lines go to {@code log}.
   *
   * @throws IllegalArgumentException for parameters that do not fit the data (one line naming them)
   */
  public static Report run(Config c, PrintWriter log) throws Exception {
    if (c.vectors() < 10 || c.queries() < 1 || c.exactQueries() < 1 || !(c.noise() > 0)
        || (c.hop() != null && !(c.hop() > 0))) {
      throw new IllegalArgumentException("need --vectors >= 10, --queries >= 1, --exact-queries >= 1, --spread > 0, --hop > 0");
    }
    if (c.aligned() && c.source() != Source.REAL) {
      throw new IllegalArgumentException("--aligned needs --source real (the synthetic vectors have no tempi)");
    }
    Snapshot snap;
    try (VectorStore store = Stores.openReadOnly(c.index())) {
      snap = store.snapshot();
    }
    VectorMatrix real = snap.vectors();
    int[] song = snap.excerptTrack();
    float[] tempo = snap.excerptTempo();
    String at = c.hop() != null ? String.format(" at a %.2f s hop", c.hop()) : "";
    if (c.hop() != null) {
      say(log, String.format("extracting the %d tracks of %s with a %.2f s excerpt hop...", snap.tracks().size(),
          c.index(), c.hop()));
      Dense dense = denseVectors(snap, c.hop(), line -> say(log, line));
      real = dense.vectors();
      song = dense.song();
      tempo = dense.tempo();
    }
    if (real.rows() == 0) {
      throw new IllegalArgumentException(c.index() + " holds no vectors");
    }
    if (c.dim() != null && c.dim() != real.dim()) {
      throw new IllegalArgumentException("--dim " + c.dim() + " but " + c.index() + " holds dimension " + real.dim());
    }
    VectorMatrix base;
    VectorMatrix qs;
    float[] baseTempo = null;
    float[] queryTempo = null;
    String data;
    if (c.source() == Source.REAL) {
      if (c.queries() >= real.rows()) {
        throw new IllegalArgumentException("--queries " + c.queries() + " but only " + real.rows()
            + " real vectors: use fewer queries or a smaller --hop");
      }
      int[] order = IndexBenchmark.holdOutOrder(real.rows(), c.queries(), 2);
      VectorMatrix[] split = IndexBenchmark.holdOut(real, c.queries(), order);
      base = split[0];
      qs = split[1];
      queryTempo = new float[c.queries()];
      baseTempo = new float[real.rows() - c.queries()];
      for (int i = 0; i < order.length; i++) {
        if (i < c.queries()) {
          queryTempo[i] = tempo[order[i]];
        } else {
          baseTempo[i - c.queries()] = tempo[order[i]];
        }
      }
      data = String.format("real: %d excerpt vectors of %s%s, %d held out as queries", real.rows(), c.index(), at,
          c.queries());
    } else {
      String model = c.model().id();
      say(log, String.format("generating %d + %d vectors of dimension %d around %d real ones (%s model)...", c.vectors(),
          c.queries(), real.dim(), real.rows(), model));
      if (c.model() == Model.IID) {
        base = IndexBenchmark.synthetic(real, c.vectors(), c.noise(), 1);
        qs = IndexBenchmark.synthetic(real, c.queries(), c.noise(), 2);
      } else {
        base = IndexBenchmark.withinSong(real, song, c.vectors(), c.noise(), 1);
        qs = IndexBenchmark.withinSong(real, song, c.queries(), c.noise(), 2);
      }
      data = String.format("synthetic (%s model, spread %.2f) around %d real vectors of %s%s", model, c.noise(),
          real.rows(), c.index(), at);
    }
    if (c.held() == VectorEncoding.INT8) {
      base = base.in(VectorEncoding.INT8);
      qs = qs.in(VectorEncoding.INT8); // queries held as query holds them
      data += "; held as int8";
    }
    if (c.export() != null) {
      export(c.export(), base, qs, data);
      say(log, "base and query vectors written to " + c.export());
    }
    LshTuner.Choice choice = LshTuner.choose(base, 10, c.targetRecall(), 42, 50_000);
    LshIndex.Params p = choice.params();
    if (c.targetRecall() > 0) {
      say(log, String.format("tuned on %d vectors: sample recall %.3f; parameters for the full size: %s",
          choice.sampleSize(), choice.recall(), p));
    }
    p = new LshIndex.Params(c.bits() != null ? c.bits() : p.bits(), c.tables() != null ? c.tables() : p.tables(),
        c.probes() != null ? c.probes() : p.probes(), c.rerank() != null ? c.rerank() : p.rerank(), p.seed());
    IndexBenchmark.Result r = IndexBenchmark.run(base, qs, p, c.exactQueries(), c.planesThroughOrigin(),
        line -> say(log, line));
    HnswBaseline.Result h = null;
    HnswBaseline.Result h8 = null;
    if (!c.hnsw().isEmpty()) {
      Path int8Dir = c.hnswDir() == null ? null : c.hnswDir().resolveSibling(c.hnswDir().getFileName() + "-int8");
      for (Path d : new Path[] {c.hnswDir(), int8Dir}) {
        if (d != null) {
          Files.createDirectories(d);
        }
      }
      if (c.hnsw().contains(HnswBaseline.Format.FLOAT32)) {
        h = HnswBaseline.run(base, qs, r.truth(), c.hnswDir(), HnswBaseline.Format.FLOAT32, log);
      }
      if (c.hnsw().contains(HnswBaseline.Format.INT8)) {
        h8 = HnswBaseline.run(base, qs, r.truth(), int8Dir, HnswBaseline.Format.INT8, log);
      }
    }
    AlignedRecall.Report aligned = !c.aligned() ? null : AlignedRecall.run(base, baseTempo, qs, queryTempo,
        snap.config(), c.held() == null ? VectorEncoding.FLOAT32 : c.held(), c.export(), line -> say(log, line));
    return report(r, h, h8, aligned, data, c.planesThroughOrigin() ? "origin" : "mean");
  }

  /**
   * Writes {@code base} and {@code queries} to {@code dir} for another program's baseline (e.g.
   * {@code scripts/faiss-hnsw.py}): {@code base.f32} and {@code queries.f32}, row after row of little-endian
   * float32, and {@code meta.json} with their rows, the dimension and what the data is.
   */
  static void export(Path dir, VectorMatrix base, VectorMatrix queries, String data) throws java.io.IOException {
    Files.createDirectories(dir);
    for (var e : Map.of("base.f32", base, "queries.f32", queries).entrySet()) {
      VectorMatrix m = e.getValue();
      try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(dir.resolve(e.getKey())), 1 << 20)) {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * m.dim()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < m.rows(); r++) {
          b.clear();
          b.asFloatBuffer().put(m.row(r));
          out.write(b.array());
        }
      }
    }
    Files.writeString(dir.resolve("meta.json"), String.format(java.util.Locale.ROOT,
        "{\"base\": %d, \"queries\": %d, \"dim\": %d, \"data\": \"%s\"}%n", base.rows(), queries.rows(), base.dim(),
        data.replace("\\", "\\\\").replace("\"", "\\\"")));
  }

  private static Report report(IndexBenchmark.Result r, HnswBaseline.Result h, HnswBaseline.Result h8,
      AlignedRecall.Report aligned, String data, String planes) {
    List<AtRecall> atRecall = new ArrayList<>();
    for (double level : IndexBenchmark.RECALL_LEVELS) {
      IndexBenchmark.Point l = IndexBenchmark.fastestAtRecall(r.curve(), IndexBenchmark.Point::recallAt10,
          IndexBenchmark.Point::qps, level);
      HnswBaseline.Point hp = h == null ? null
          : IndexBenchmark.fastestAtRecall(h.curve(), HnswBaseline.Point::recallAt10, HnswBaseline.Point::qps, level);
      HnswBaseline.Point h8p = h8 == null ? null
          : IndexBenchmark.fastestAtRecall(h8.curve(), HnswBaseline.Point::recallAt10, HnswBaseline.Point::qps, level);
      IndexBenchmark.IvfPoint ip = IndexBenchmark.fastestAtRecall(r.ivf().curve(), IndexBenchmark.IvfPoint::recallAt10,
          IndexBenchmark.IvfPoint::qps, level);
      Best best = null;
      for (Best b : new Best[] {l == null ? null : new Best("lsh", l.qps(), 0), ip == null ? null : new Best("ivf",
          ip.qps(), 0), hp == null ? null : new Best("hnsw", hp.qps(), 0),
          h8p == null ? null : new Best("hnsw-int8", h8p.qps(), 0)}) {
        if (b != null && (best == null || b.qps() > best.qps())) {
          best = new Best(b.method(), b.qps(), b.qps() / r.exactQps());
        }
      }
      atRecall.add(new AtRecall(level, l == null ? null : l.qps(), l == null ? null : l.probes(),
          l == null ? null : l.rerank(), l == null ? null : l.qps() / r.exactQps(), hp == null ? null : hp.qps(),
          hp == null ? null : hp.ef(), hp == null ? null : hp.qps() / r.exactQps(),
          l != null && hp != null ? l.qps() / hp.qps() : null, ip == null ? null : ip.qps(),
          ip == null ? null : ip.probes(), ip == null ? null : ip.rerank(), ip == null ? null : ip.qps() / r.exactQps(),
          h8p == null ? null : h8p.qps(), h8p == null ? null : h8p.ef(), h8p == null ? null : h8p.qps() / r.exactQps(),
          best));
    }
    Map<String, Double> profile = new LinkedHashMap<>();
    for (int i = 0; i < IndexBenchmark.PROFILE_RANKS.length; i++) {
      profile.put(Integer.toString(IndexBenchmark.PROFILE_RANKS[i]), r.neighborCosines()[i]);
    }
    List<LshPoint> curve = new ArrayList<>();
    for (IndexBenchmark.Point p : r.curve()) {
      curve.add(new LshPoint(p.probes(), p.rerank(), p.recallAt10(), p.qps(), p.candidatesPerQuery(), p.rerankedPerQuery()));
    }
    LshIndex.Params p = r.params();
    Lsh lsh = new Lsh(r.lshRecallAt10(), r.lshQps(), r.lshBuildSeconds(), r.lshBytesPerVector(), r.lshQps() / r.exactQps(),
        new LshParams(p.bits(), p.tables(), p.probes(), p.rerank(), p.seed(), planes), curve);
    Hnsw hnsw = h == null ? null : new Hnsw(HnswBaseline.lucene(), h.format(), h.buildSeconds(), h.reused(), h.indexBytes() / (double) r.n(),
        r.lshBuildSeconds() / h.buildSeconds(), h.curve());
    Hnsw hnswInt8 = h8 == null ? null : new Hnsw(HnswBaseline.lucene(), h8.format(), h8.buildSeconds(), h8.reused(), h8.indexBytes() / (double) r.n(),
        r.lshBuildSeconds() / h8.buildSeconds(), h8.curve());
    IndexBenchmark.Ivf iv = r.ivf();
    Ivf ivf = new Ivf(iv.params().lists(), iv.buildSeconds(), iv.bytesPerVector(),
        h == null ? Double.NaN : iv.buildSeconds() / h.buildSeconds(), iv.defaults(), iv.curve());
    ApproximateIndex.Kind kind = ApproximateIndex.Kind.forSize(r.n());
    Auto auto = kind == ApproximateIndex.Kind.IVF
        ? new Auto(kind.id(), iv.defaults().recallAt10(), iv.defaults().qps(), iv.defaults().qps() / r.exactQps())
        : new Auto(kind.id(), r.lshRecallAt10(), r.lshQps(), r.lshQps() / r.exactQps());
    return new Report(r.n(), r.dim(), r.queries(), data, profile, new Exact(r.exactQps(), 4.0 * r.dim()), lsh, ivf, hnsw,
        hnswInt8, auto, atRecall, aligned);
  }

  /**
   * Every track of {@code snap} re-extracted (its feature, all cores) with excerpts every {@code hop}
   * seconds; tracks that cannot be read any more are reported and left out.
   */
  static Dense denseVectors(Snapshot snap, double hop, Consumer<String> log) {
    var tracks = snap.tracks();
    ThreadLocal<FeatureExtractor> extractor = ThreadLocal.withInitial(() -> new FeatureExtractor(snap.config()));
    List<List<ExcerptVector>> perTrack = new ArrayList<>();
    try {
      PerFile.run(tracks, Runtime.getRuntime().availableProcessors(), t -> {
        List<ExcerptVector> vs = new ArrayList<>();
        try {
          vs.addAll(extractor.get().track(Path.of(t.path()), hop).excerpts());
        } catch (AudioDecodeException | RuntimeException e) {
          log.accept(t.path() + ": left out: " + e.getMessage());
        }
        return vs;
      }, (t, vs) -> perTrack.add(vs));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    int n = perTrack.stream().mapToInt(List::size).sum();
    int d = snap.vectors().dim();
    float[] data = new float[n * d];
    int[] song = new int[n];
    float[] tempo = new float[n];
    int r = 0;
    for (int t = 0; t < perTrack.size(); t++) {
      for (ExcerptVector e : perTrack.get(t)) {
        System.arraycopy(e.vector(), 0, data, r * d, d);
        tempo[r] = (float) e.tempoBpm();
        song[r++] = t;
      }
    }
    return new Dense(new VectorMatrix(data, d), song, tempo);
  }

  private static void say(PrintWriter log, String line) {
    synchronized (log) {
      log.println(line);
      log.flush();
    }
  }
}
