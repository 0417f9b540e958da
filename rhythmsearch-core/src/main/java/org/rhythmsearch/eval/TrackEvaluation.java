package org.rhythmsearch.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.TempoEstimator;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.search.TrackSearch;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.util.Checks;

/**
 * Track-level evaluation: where does the right song rank when a whole track (several excerpts) is the
 * query? Reported for every {@link Aggregation} as recall@1, recall@5, mean reciprocal rank and mean
 * rank. Excerpts lie on the {@link SeedEvaluation} grid (5, 15, 25 … s).
 *
 * <ul>
 *   <li><b>Held-out part</b> (no pairs): each song's first {@value #QUERY_EXCERPTS} excerpts (5–35 s) are
 *       the query; the index holds every excerpt of every song except the query's own first
 *       {@value #QUERY_EXCERPTS}, so the right answer is the rest of the same song.</li>
 *   <li><b>Pairs</b>: each query file (e.g. a guitar stem, a time-stretched copy) against the index of
 *       the collection; the right answer is the song named in the pair.</li>
 * </ul>
 *
 * <p>Not thread-safe; one run at a time. Extracted features are cached per instance, so several query
 * sets against one collection extract the collection once.
 */
public final class TrackEvaluation {

  /** Query excerpts per song in the held-out-part mode. */
  public static final int QUERY_EXCERPTS = 3;

  /** Metrics of one aggregation. */
  public record Scores(double recallAt1, double recallAt5, double meanReciprocalRank, double meanRank) {}

  /**
   * Result of a run. {@code tempoRatios}: in pairs mode, per query, its tempo over the expected song's
   * (each the median of its excerpts' tempi), folded by octaves into [1/√2, √2); NaN where either has
   * no tempo. For a copy stretched by a factor F, the ratio should be F. {@code regionTempoRatios}: the
   * same against the tempo of the part of the song the query was made from (grid excerpts starting
   * within the query's span from its {@link Pair#offsetSeconds()}; NaN without an offset), which is
   * what a stretched copy of that part should match even in songs whose tempo changes. {@code
   * perQuery}: every query's rank of its song under each aggregation, in query order.
   */
  public record Result(String feature, String mode, int songs, int queries, Map<Aggregation, Scores> byAggregation,
      List<String> failures, List<Double> tempoRatios, List<Double> regionTempoRatios, List<QueryRanks> perQuery) {}

  /** One query (a file, or a song's held-out part), the song it should find, and that song's rank per aggregation. */
  public record QueryRanks(String query, String expected, Map<Aggregation, Integer> ranks) {}

  /**
   * A query and the song it should find.
   *
   * @param offsetSeconds where the query's audio starts in the expected song (e.g. a stretched copy of
   *     a part of it), or NaN when unknown
   */
  public record Pair(Path query, Path expected, double offsetSeconds) {

    /** A pair whose query is not a known part of the song. */
    public Pair(Path query, Path expected) {
      this(query, expected, Double.NaN);
    }
  }

  private final FeatureConfig config;
  private final Metric metric;
  private final int threads;
  private double tempoTolerance;
  private TempoAlignment alignment = TempoAlignment.DEFAULT;

  private ApproximateIndex.Kind approximate;
  private VectorEncoding vectors = VectorEncoding.DEFAULT;

  /** Judge the vectors as an index of {@code encoding} holds them (default {@link VectorEncoding#DEFAULT}). */
  public TrackEvaluation withVectors(VectorEncoding encoding) {
    this.vectors = java.util.Objects.requireNonNull(encoding, "encoding");
    return this;
  }

  /**
   * Search through an approximate index of this kind, built over the collection at its size-based
   * defaults (seed 42), as {@code query --search approximate} does; null (the default) for exact search.
   */
  public TrackEvaluation withApproximate(ApproximateIndex.Kind kind) {
    this.approximate = kind;
    return this;
  }

  /** Evaluate tempo-tolerant search (see {@link TrackSearch}); 0 = plain search. */
  public TrackEvaluation withTempoTolerance(double tolerance) {
    this.tempoTolerance = tolerance;
    return this;
  }

  /** Evaluate with this tempo alignment (default {@link org.rhythmsearch.search.TempoAlignment#DEFAULT}). */
  public TrackEvaluation withTempoAlignment(TempoAlignment alignment) {
    this.alignment = java.util.Objects.requireNonNull(alignment, "alignment");
    return this;
  }

  public TrackEvaluation(FeatureConfig config, Metric metric, int threads) {
    this.config = config;
    this.metric = metric;
    this.threads = Checks.atLeastOne(threads, "threads");
  }

  /**
   * Evaluates {@code songs}; with {@code pairs} null, in held-out-part mode, otherwise each pair's
   * query against the collection.
   */
  public Result run(List<Path> songs, List<Pair> pairs, Consumer<Path> progress) {
    List<Path> all = new ArrayList<>(songs);
    if (pairs != null) {
      for (Pair p : pairs) {
        all.add(p.query());
      }
    }
    Map<Path, Object> extracted = extract(all, progress);
    List<String> failures = new ArrayList<>();
    List<Path> usable = new ArrayList<>();
    for (Path s : songs) {
      if (extracted.get(s) instanceof Song) {
        usable.add(s);
      } else {
        failures.add((String) extracted.get(s));
      }
    }
    // the index: every grid excerpt of every usable song
    List<TrackRecord> tracks = new ArrayList<>();
    List<float[]> rows = new ArrayList<>();
    List<Integer> rowTrack = new ArrayList<>();
    List<Float> rowStart = new ArrayList<>();
    List<Double> rowTempo = new ArrayList<>();
    List<Integer> rowIndexInSong = new ArrayList<>();
    Map<Path, Integer> trackOf = new LinkedHashMap<>();
    for (Path s : usable) {
      Song song = (Song) extracted.get(s);
      int t = tracks.size();
      trackOf.put(s, t);
      tracks.add(new TrackRecord(t, s.toString(), 0, 0, "track-" + t, song.audioSeconds(), song.vectors().size(), null));
      for (int i = 0; i < song.vectors().size(); i++) {
        if (song.vectors().get(i) != null) {
          rows.add(song.vectors().get(i));
          rowTrack.add(t);
          rowStart.add((float) (SeedEvaluation.FIRST_OFFSET + SeedEvaluation.GRID * i));
          rowTempo.add(song.tempi().get(i));
          rowIndexInSong.add(i);
        }
      }
    }
    int dim = config.dimension();
    float[] data = new float[rows.size() * dim];
    int[] rt = new int[rows.size()];
    float[] rs = new float[rows.size()];
    float[] tempo = new float[rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      System.arraycopy(rows.get(r), 0, data, r * dim, dim);
      rt[r] = rowTrack.get(r);
      rs[r] = rowStart.get(r);
      tempo[r] = rowTempo.get(r).floatValue();
    }
    Snapshot snap = new Snapshot(config, tracks, new VectorMatrix(data, dim), rt, rs, tempo);
    TrackSearch search = approximate == null ? new TrackSearch(snap) : new TrackSearch(snap,
        approximate == ApproximateIndex.Kind.IVF
            ? new IvfIndex(snap.vectors(),
                IvfIndex.Params.forSize(snap.vectors().rows(), 42))
            : new LshIndex(snap.vectors(),
                LshIndex.Params.forSize(snap.vectors().rows(), 42)));
    Map<Aggregation, List<Integer>> ranks = new EnumMap<>(Aggregation.class);
    for (Aggregation a : Aggregation.values()) {
      ranks.put(a, new ArrayList<>());
    }
    int queries = 0;
    List<Double> tempoRatios = new ArrayList<>();
    List<QueryRanks> perQuery = new ArrayList<>();
    List<Double> regionTempoRatios = new ArrayList<>();
    if (pairs == null) {
      for (Path s : usable) {
        Song song = (Song) extracted.get(s);
        List<ExcerptVector> q = excerpts(song, 0, QUERY_EXCERPTS);
        if (q.size() < QUERY_EXCERPTS || song.vectors().size() <= QUERY_EXCERPTS) {
          continue; // too short to have both a query part and a rest
        }
        int target = trackOf.get(s);
        queries++;
        Map<Aggregation, Integer> own = new EnumMap<>(Aggregation.class);
        for (Aggregation a : Aggregation.values()) {
          List<TrackSearch.Hit> hits = search.query(features(q), null,
              r -> rt[r] == target && rowIndexInSong.get(r) < QUERY_EXCERPTS, tracks.size(), metric, a, tempoTolerance,
              alignment);
          own.put(a, rank(hits, target));
          ranks.get(a).add(own.get(a));
        }
        perQuery.add(new QueryRanks(s.toString(), s.toString(), own));
      }
    } else {
      for (Pair p : pairs) {
        Object o = extracted.get(p.query());
        Integer target = trackOf.get(p.expected());
        if (!(o instanceof Song song) || target == null) {
          failures.add(o instanceof String msg ? msg : p.query() + ": expected song " + p.expected() + " is not in the collection");
          continue;
        }
        List<ExcerptVector> q = excerpts(song, 0, song.vectors().size());
        if (q.isEmpty()) {
          failures.add(p.query() + ": no usable excerpt");
          continue;
        }
        queries++;
        Song expected = (Song) extracted.get(p.expected());
        tempoRatios.add(foldedRatio(median(song.tempi()), median(expected.tempi())));
        regionTempoRatios.add(foldedRatio(median(song.tempi()), median(region(expected, p.offsetSeconds(),
            song.audioSeconds()))));
        Map<Aggregation, Integer> own = new EnumMap<>(Aggregation.class);
        for (Aggregation a : Aggregation.values()) {
          own.put(a, rank(search.query(features(q), null, null, tracks.size(), metric, a, tempoTolerance, alignment),
              target));
          ranks.get(a).add(own.get(a));
        }
        perQuery.add(new QueryRanks(p.query().toString(), p.expected().toString(), own));
      }
    }
    Map<Aggregation, Scores> scores = new EnumMap<>(Aggregation.class);
    for (Aggregation a : Aggregation.values()) {
      scores.put(a, scores(ranks.get(a)));
    }
    return new Result(config.name(), pairs == null ? "held-out-part" : "pairs", usable.size(), queries, scores, failures,
        tempoRatios, regionTempoRatios, perQuery);
  }


  /** The tempo of a song's grid excerpts ({@link TempoEstimator#median}). */
  static double median(List<Double> tempi) {
    return TempoEstimator.median(tempi.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /**
   * The tempi of {@code song}'s grid excerpts that lie within {@code [offset, offset + seconds]}; none
   * when the offset is unknown.
   */
  static List<Double> region(Song song, double offset, double seconds) {
    List<Double> out = new ArrayList<>();
    for (int i = 0; i < song.tempi().size() && !Double.isNaN(offset); i++) {
      double start = SeedEvaluation.FIRST_OFFSET + i * SeedEvaluation.GRID;
      if (start >= offset && start + 10 <= offset + seconds + 1e-9) {
        out.add(song.tempi().get(i));
      }
    }
    return out;
  }

  /** {@code a / b} folded by octaves into [1/√2, √2); NaN when either is unknown. */
  static double foldedRatio(double a, double b) {
    return a > 0 && b > 0 ? TempoAlignment.fold(a / b) : Double.NaN;
  }

  /** Extraction results kept across runs of this instance (one collection, several query sets). */
  private final Map<Path, Object> cache = new java.util.HashMap<>();

  private Map<Path, Object> extract(List<Path> requested, Consumer<Path> progress) {
    Map<Path, Object> out = new LinkedHashMap<>();
    List<Path> files = new ArrayList<>();
    for (Path f : requested) {
      if (cache.containsKey(f)) {
        out.put(f, cache.get(f));
        progress.accept(f);
      } else if (!files.contains(f)) {
        files.add(f);
      }
    }
    Map<Path, Object> fresh = new SeedEvaluation(config, 1, metric, threads).withVectors(vectors).songs(files, progress);
    out.putAll(fresh);
    cache.putAll(fresh);
    return out;
  }

  private static List<ExcerptVector> excerpts(Song song, int from, int to) {
    List<ExcerptVector> out = new ArrayList<>();
    for (int i = from; i < Math.min(to, song.vectors().size()); i++) {
      if (song.vectors().get(i) != null) {
        out.add(new ExcerptVector(SeedEvaluation.FIRST_OFFSET + SeedEvaluation.GRID * i, song.vectors().get(i),
            song.tempi().get(i)));
      }
    }
    return out;
  }

  private TrackFeatures features(List<ExcerptVector> q) {
    return new TrackFeatures("query", config, 0, SeedEvaluation.GRID, q, List.of());
  }

  private static int rank(List<TrackSearch.Hit> hits, int target) {
    for (int i = 0; i < hits.size(); i++) {
      if (hits.get(i).track().id() == target) {
        return i + 1;
      }
    }
    return hits.size() + 1;
  }

  private static Scores scores(List<Integer> ranks) {
    if (ranks.isEmpty()) {
      return new Scores(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double r1 = 0;
    double r5 = 0;
    double rr = 0;
    double mean = 0;
    for (int r : ranks) {
      r1 += r == 1 ? 1 : 0;
      r5 += r <= 5 ? 1 : 0;
      rr += 1.0 / r;
      mean += r;
    }
    int n = ranks.size();
    return new Scores(r1 / n, r5 / n, rr / n, mean / n);
  }
}
