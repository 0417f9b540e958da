package org.rhythmsearch.bench;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.features.Vectors;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.search.TrackSearch;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * The benchmark of tempo-robust approximate search ({@code rhythmsearch bench aligned}): queries by
 * track, one thread, through exact search and through an approximate index, both with the default
 * tempo alignment and both plain; track-level recall@10 of each approximate search against the exact
 * search that scores the same way, and its speed-up over exact aligned search.
 *
 * <p>Synthetic model with tempi, around the real tracks of an index. A synthetic song is one real
 * track moved by an offset of its own (differences between excerpts of two real tracks, {@value
 * Model#SONG_SPREAD} times their spread: a song of its own, near its source) and played at a tempo
 * factor φ, log-uniform in [1/{@value #PHI}, {@value #PHI}]. Each of its excerpts is a real excerpt of
 * the source plus the offset plus within-song noise (differences between excerpts of one real track,
 * as in {@link IndexBenchmark#withinSong}), rescaled to the song's tempo ({@link PostProcessing#tempoScaled}
 * by 1/φ), unit-normalised, with tempo φ × the real excerpt's. A query track is another take of an
 * indexed song (new within-song noise) played ψ times as fast, ψ log-uniform in [1/{@value #QUERY_PSI},
 * {@value #QUERY_PSI}]: a faster or slower version whose original is indexed, the case alignment exists
 * for; its other neighbours are songs near it at any tempo.
 *
 * <p>Each search is warmed up (5 s of queries, or two passes of them), then timed over passes of every
 * query, the fastest counting ({@link Timing}): at least two, up to five while they fit in 20 s.
 *
 * <p>Not thread-safe; one run at a time.
 */
public final class AlignedBench {

  /** Largest tempo factor of the synthetic tracks (and smallest, inverted). */
  public static final double PHI = 1.3;
  /** Largest tempo factor of a query over the indexed song it is another take of (and smallest, inverted). */
  public static final double QUERY_PSI = 1.2;

  /**
   * @param index the index whose real tracks (vectors and tempi) seed the model
   * @param vectors excerpts indexed
   * @param excerptsPerTrack excerpts of each synthetic track
   * @param queries query tracks
   * @param queryExcerpts excerpts of each query track
   * @param kind the approximate index
   * @param bandProbing also measure approximate aligned search with at most this many probing excerpts
   *     probing the tempo bands, each value once ({@link TrackSearch#bandExcerpts}; none: only the default)
   */
  public record Config(String index, int vectors, int excerptsPerTrack, int queries, int queryExcerpts,
      ApproximateIndex.Kind kind, long seed, List<Integer> bandProbing) {}

  /** Approximate aligned search with at most {@code excerpts} probing excerpts probing the tempo bands. */
  public record BandProbing(int excerpts, Search search) {}

  /** One search's figures: recall@10 of tracks against its exact reference, mean milliseconds per query track. */
  public record Search(double recallAt10, double msPerQuery, double xExactAligned) {}

  /** The {@code bench aligned --json} document. */
  public record Report(int n, int tracks, int dim, int queries, int queryExcerpts, String data, String index,
      double buildSeconds, Search exactAligned, Search exactPlain, Search approximateAligned,
      Search approximatePlain, double approximatePlainRecallVsAligned, double topOneAgreement,
      List<BandProbing> bandProbing) {}

  private AlignedBench() {}

  /** Runs the benchmark; progress lines go to {@code log}. */
  public static Report run(Config c, PrintWriter log) throws Exception {
    if (c.vectors() < 100 || c.excerptsPerTrack() < 1 || c.queries() < 1 || c.queryExcerpts() < 1) {
      throw new IllegalArgumentException("need --vectors >= 100, --excerpts >= 1, --queries >= 1, --query-excerpts >= 1");
    }
    Snapshot real;
    try (VectorStore store = Stores.openReadOnly(c.index())) {
      real = store.snapshot();
    }
    FeatureConfig config = real.config();
    if (!config.lagIndexed() || real.vectors().rows() < 2) {
      throw new IllegalArgumentException(c.index() + ": needs a lag-indexed feature and at least two excerpts; it holds "
          + real.vectors().rows() + " of " + config.id());
    }
    Model model = new Model(real);
    int tracks = Math.max(1, c.vectors() / c.excerptsPerTrack());
    say(log, String.format("generating %d tracks of %d excerpts (%d vectors, dimension %d) around the %d tracks of %s...",
        tracks, c.excerptsPerTrack(), tracks * c.excerptsPerTrack(), config.dimension(), real.tracks().size(), c.index()));
    Snapshot snap = model.snapshot(tracks, c.excerptsPerTrack(), c.seed());
    List<TrackFeatures> queries = new ArrayList<>();
    SplittableRandom qr = new SplittableRandom(c.seed() ^ 0x5DEECE66DL);
    for (int q = 0; q < c.queries(); q++) {
      double psi = Math.exp((2 * qr.nextDouble() - 1) * Math.log(QUERY_PSI));
      queries.add(model.query("query-" + q, qr.nextInt(tracks), psi, c.queryExcerpts(), c.seed(), qr));
    }
    say(log, "building the " + c.kind().id() + " index...");
    long t0 = System.nanoTime();
    ApproximateIndex ann = c.kind() == ApproximateIndex.Kind.IVF
        ? new IvfIndex(snap.vectors(), IvfIndex.Params.forSize(snap.vectors().rows(), c.seed()))
        : new LshIndex(snap.vectors(), LshIndex.Params.forSize(snap.vectors().rows(), c.seed()));
    double build = (System.nanoTime() - t0) / 1e9;
    TrackSearch exact = new TrackSearch(snap);
    TrackSearch approximate = new TrackSearch(snap, ann);
    say(log, "exact search, tempo-aligned (the reference; the slow part)...");
    Run exactAligned = run(exact, queries, TempoAlignment.DEFAULT, log);
    say(log, "exact search, plain cosine...");
    Run exactPlain = run(exact, queries, TempoAlignment.OFF, log);
    say(log, ann.describe() + ", tempo-aligned...");
    Run approxAligned = run(approximate, queries, TempoAlignment.DEFAULT, log);
    say(log, ann.describe() + ", plain cosine...");
    Run approxPlain = run(approximate, queries, TempoAlignment.OFF, log);
    List<BandProbing> bandProbing = new ArrayList<>();
    for (int b : c.bandProbing()) {
      say(log, ann.describe() + ", tempo-aligned, tempo bands probed by at most " + b + " excerpts...");
      Run banded = run(new TrackSearch(snap, ann, null, b), queries, TempoAlignment.DEFAULT, log);
      bandProbing.add(new BandProbing(b, new Search(recall(banded, exactAligned), banded.ms(),
          exactAligned.ms() / banded.ms())));
    }
    double ea = exactAligned.ms();
    int topOne = 0;
    for (int q = 0; q < queries.size(); q++) {
      topOne += approxAligned.top().get(q).get(0).equals(exactAligned.top().get(q).get(0)) ? 1 : 0;
    }
    return new Report(snap.vectors().rows(), tracks, config.dimension(), queries.size(), c.queryExcerpts(),
        String.format("synthetic tracks with tempi (factor %.2f-%.2f) around the %d real tracks of %s", 1 / PHI, PHI,
            real.tracks().size(), c.index()), ann.describe(), build,
        new Search(1, ea, 1), new Search(1, exactPlain.ms(), ea / exactPlain.ms()),
        new Search(recall(approxAligned, exactAligned), approxAligned.ms(), ea / approxAligned.ms()),
        new Search(recall(approxPlain, exactPlain), approxPlain.ms(), ea / approxPlain.ms()),
        recall(approxPlain, exactAligned), topOne / (double) queries.size(), bandProbing);
  }

  /** Each query's top 10 track ids and the mean time per query. */
  private record Run(List<List<Long>> top, double ms) {}

  /** Warm-up before the timed passes: queries for at least this long (at least one), or two passes of them. */
  static final long WARM_UP_NANOS = 5_000_000_000L;
  /** Timed passes over the queries of a search (the fastest counts, {@link Timing}) and the time they may take. */
  static final int PASSES = 5;
  static final long PASSES_NANOS = 20_000_000_000L;

  private static Run run(TrackSearch search, List<TrackFeatures> queries, TempoAlignment alignment, PrintWriter log) {
    // the JIT compiles (and recompiles, as new paths are taken) the search: a fast search needs more
    // queries than a slow one before its time is the steady state a server sees
    long warm = System.nanoTime();
    for (int i = 0; i < 2 * queries.size() && (i == 0 || System.nanoTime() - warm < WARM_UP_NANOS); i++) {
      search.query(queries.get(i % queries.size()), null, null, 10, Metric.COSINE, Aggregation.MEAN, 0, alignment);
    }
    List<List<Long>> top = new ArrayList<>();
    double best = Double.MAX_VALUE;
    long started = System.nanoTime();
    // the best of up to PASSES passes, at least two, as long as they fit in PASSES_NANOS after the second
    for (int pass = 0; pass < PASSES && (pass < 2 || System.nanoTime() - started < PASSES_NANOS); pass++) {
      long t0 = System.nanoTime();
      for (TrackFeatures q : queries) {
        List<Long> ids = new ArrayList<>();
        for (TrackSearch.Hit h : search.query(q, null, null, 10, Metric.COSINE, Aggregation.MEAN, 0, alignment)) {
          ids.add(h.track().id());
        }
        if (pass == 0) {
          top.add(ids);
        }
      }
      best = Math.min(best, (System.nanoTime() - t0) / 1e6 / queries.size());
    }
    say(log, String.format("  %.1f ms per query track", best));
    return new Run(top, best);
  }

  private static double recall(Run got, Run truth) {
    double sum = 0;
    for (int q = 0; q < truth.top().size(); q++) {
      Set<Long> t = new HashSet<>(truth.top().get(q));
      sum += got.top().get(q).stream().filter(t::contains).count() / (double) Math.max(1, t.size());
    }
    return sum / truth.top().size();
  }

  private static void say(PrintWriter log, String line) {
    log.println(line);
    log.flush();
  }

  /** The synthetic model around one index's real tracks (see the class comment). */
  static final class Model {
    /** Size of a synthetic song's own offset, in units of the spread between real songs. */
    static final double SONG_SPREAD = 0.5;
    /** Pairs of real excerpts summed into one noise vector. */
    private static final int PAIRS = 8;

    private final Snapshot real;
    private final FeatureConfig config;
    private final int dim;
    private final float[] data;
    /** Rows of each real track (with a tempo). */
    private final int[][] rowsOf;
    /** Pairs of rows of one track (the directions excerpts of a song vary in). */
    private final int[][] within;
    /** Pairs of rows of two tracks (the directions songs differ in). */
    private final int[][] between;

    Model(Snapshot real) {
      this.real = real;
      this.config = real.config();
      this.dim = real.vectors().dim();
      this.data = new float[real.vectors().rows() * dim];
      for (int r = 0; r < real.vectors().rows(); r++) {
        System.arraycopy(real.vectors().row(r), 0, data, r * dim, dim);
      }
      int n = real.tracks().size();
      List<List<Integer>> rows = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        rows.add(new ArrayList<>());
      }
      for (int r = 0; r < real.excerptTrack().length; r++) {
        if (real.excerptTempo()[r] > 0) {
          rows.get(real.excerptTrack()[r]).add(r);
        }
      }
      rows.removeIf(List::isEmpty);
      rowsOf = rows.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
      List<int[]> w = new ArrayList<>();
      List<int[]> b = new ArrayList<>();
      for (int i = 0; i < rowsOf.length; i++) {
        for (int a = 0; a < rowsOf[i].length; a++) {
          for (int c = a + 1; c < rowsOf[i].length; c++) {
            w.add(new int[] {rowsOf[i][a], rowsOf[i][c]});
          }
          for (int j = i + 1; j < rowsOf.length; j++) {
            b.add(new int[] {rowsOf[i][a], rowsOf[j][0]});
          }
        }
      }
      if (rowsOf.length < 2 || w.isEmpty()) {
        throw new IllegalArgumentException("the model needs two tracks with tempi, one with at least two excerpts");
      }
      within = w.toArray(int[][]::new);
      between = b.toArray(int[][]::new);
    }

    /** A synthetic song: the real track it is built on, its tempo factor and its own offset from it. */
    record Song(int source, double phi, float[] offset) {}

    /** Synthetic song {@code t} of the model with {@code seed} (the same song every time). */
    Song song(int t, long seed) {
      SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + t);
      int source = rnd.nextInt(rowsOf.length);
      double phi = Math.exp((2 * rnd.nextDouble() - 1) * Math.log(PHI));
      float[] offset = new float[dim];
      addNoise(offset, 0, between, SONG_SPREAD, rnd);
      return new Song(source, phi, offset);
    }

    /** Adds {@code spread · Σ g_m (a_m − b_m) / √(2M)} over M random pairs of {@code pairs}. */
    private void addNoise(float[] v, int o, int[][] pairs, double spread, SplittableRandom rnd) {
      double scale = spread / Math.sqrt(2.0 * PAIRS);
      for (int m = 0; m < PAIRS; m++) {
        int[] pr = pairs[rnd.nextInt(pairs.length)];
        float g = (float) (scale * rnd.nextGaussian());
        int oa = pr[0] * dim;
        int ob = pr[1] * dim;
        for (int j = 0; j < dim; j++) {
          v[o + j] += g * (data[oa + j] - data[ob + j]);
        }
      }
    }

    /**
     * One excerpt of {@code song} played at tempo factor {@code phi}, written to {@code out} from {@code o}
     * (unit length); returns its tempo.
     */
    float excerpt(Song song, double phi, SplittableRandom rnd, float[] out, int o) {
      int r = rowsOf[song.source()][rnd.nextInt(rowsOf[song.source()].length)];
      float[] v = new float[dim];
      System.arraycopy(data, r * dim, v, 0, dim);
      for (int j = 0; j < dim; j++) {
        v[j] += song.offset()[j];
      }
      addNoise(v, 0, within, 1, rnd);
      float[] s = PostProcessing.tempoScaled(config, v, 1 / phi);
      System.arraycopy(s, 0, out, o, dim);
      Vectors.normalizeInPlace(out, o, dim);
      return (float) (real.excerptTempo()[r] * phi);
    }

    /**
     * A query track of {@code excerpts} excerpts: another take of indexed song {@code t}, played at a
     * tempo factor {@code psi} times its own.
     */
    TrackFeatures query(String name, int t, double psi, int excerpts, long seed, SplittableRandom rnd) {
      Song song = song(t, seed);
      List<ExcerptVector> xs = new ArrayList<>();
      float[] v = new float[dim];
      for (int e = 0; e < excerpts; e++) {
        float tempo = excerpt(song, song.phi() * psi, rnd, v, 0);
        xs.add(new ExcerptVector(10.0 * e, v.clone(), tempo));
      }
      return new TrackFeatures(name, config, 10.0 * excerpts, config.excerptSeconds(), xs, List.of());
    }

    /** {@code tracks} synthetic songs of {@code excerpts} excerpts each, generated on every core (seeded per song). */
    Snapshot snapshot(int tracks, int excerpts, long seed) {
      int rows = tracks * excerpts;
      float[] out = new float[Math.multiplyExact(rows, dim)];
      int[] rowTrack = new int[rows];
      float[] start = new float[rows];
      float[] tempo = new float[rows];
      List<TrackRecord> records = new ArrayList<>();
      for (int t = 0; t < tracks; t++) {
        records.add(new TrackRecord(t + 1, "synthetic/" + t, 0, 0, "s" + t, 10.0 * excerpts, excerpts, null));
      }
      IntStream.range(0, tracks).parallel().forEach(t -> {
        Song song = song(t, seed);
        SplittableRandom rnd = new SplittableRandom(~(seed * 1_000_003L + t));
        for (int e = 0; e < excerpts; e++) {
          int r = t * excerpts + e;
          tempo[r] = excerpt(song, song.phi(), rnd, out, r * dim);
          rowTrack[r] = t;
          start[r] = 10 * e;
        }
      });
      return new Snapshot(config, records, new VectorMatrix(out, dim), rowTrack, start, tempo);
    }
  }
}
