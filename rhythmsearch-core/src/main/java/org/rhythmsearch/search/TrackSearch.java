package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.PostProcessing;
import org.rhythmsearch.features.TempoEstimator;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorMatrix;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.TrackRecord;

/**
 * Track-level rhythm search over a loaded index. A query track is cut into excerpts like the indexed
 * tracks; every query excerpt is compared with every indexed excerpt (exact search), and the
 * excerpt similarities become track scores by an {@link Aggregation}: by default the <b>mean over
 * the query's excerpts of each one's best similarity with the track</b> ({@link #DEFAULT_AGGREGATION}).
 * The best excerpt pair gives the reported query and match offsets. Tracks with the query's
 * content hash (the query file itself, under any name) are left out. Ties: lower track id first.
 *
 * <p>Thread-safe (immutable after construction).
 */
public final class TrackSearch {

  /**
   * One ranked result.
   *
   * @param queryOffsetSeconds start of the query excerpt of the best-matching excerpt pair
   * @param matchOffsetSeconds start of the track's excerpt of that pair
   * @param tempoBpm the track's tempo: the median of its indexed excerpts' tempi, BPM (NaN when unknown)
   * @param pairScore the similarity of that pair
   * @param samePaths other indexed paths holding the same content (same SHA-256) or, when the search
   *     knows the collection's {@link Recordings}, the same recording, ranked with this one
   */
  public record Hit(TrackRecord track, double score, double queryOffsetSeconds, double matchOffsetSeconds,
      double tempoBpm, double pairScore, List<String> samePaths) {}

  /** What makes tracks one hit: their recording when known, else their content hash. */
  private String key(TrackRecord t) {
    return recordings == null ? t.hash() : recordings.key(t);
  }

  /** Step between the tempo factors of tempo-tolerant search. */
  public static final double TEMPO_STEP = 0.01;

  private final Snapshot snapshot;
  private final ExactIndex index;
  private final double[] trackTempo;
  private final ApproximateSearch ann;
  /** Probing excerpts that also probe the tempo bands ({@link #bandExcerpts}). */
  private final int bandProbing;
  /** Rows grouped by track: track t's rows are {@code rowsByTrack[firstRow[t] .. firstRow[t + 1])}. */
  private final int[] firstRow;
  private final int[] rowsByTrack;
  /** The recordings held by several files, or null: then only the same bytes are one hit. */
  private final Recordings recordings;
  /** The tracks of each content hash held by more than one track. */
  private final java.util.Map<String, int[]> sameContent = new java.util.HashMap<>();

  /** Exact search over the snapshot. */
  public TrackSearch(Snapshot snapshot) {
    this(snapshot, null);
  }

  /**
   * Search over the snapshot through {@code ann} (LSH or IVF, built over the same rows), or exactly
   * when null: each query excerpt then scores only the candidates it proposes ({@link ApproximateSearch}),
   * with the same score as exact search.
   */
  public TrackSearch(Snapshot snapshot, ApproximateIndex ann) {
    this(snapshot, ann, null);
  }

  /**
   * As {@link #TrackSearch(Snapshot, ApproximateIndex)}, each recording of {@code recordings} (found on
   * this snapshot; null: none) one hit, and left out whole when one of its files is the query.
   */
  public TrackSearch(Snapshot snapshot, ApproximateIndex ann, Recordings recordings) {
    this(snapshot, ann, recordings, BAND_PROBING);
  }

  /**
   * As {@link #TrackSearch(Snapshot, ApproximateIndex, Recordings)}, at most {@code bandProbing} of the
   * probing excerpts also probing the tempo bands (a benchmark's knob; {@value #BAND_PROBING} otherwise).
   */
  public TrackSearch(Snapshot snapshot, ApproximateIndex ann, Recordings recordings, int bandProbing) {
    if (bandProbing < 1) {
      throw new IllegalArgumentException("bandProbing must be >= 1; bandProbing=" + bandProbing);
    }
    this.bandProbing = bandProbing;
    if (recordings != null && !recordings.covers(snapshot)) {
      throw new IllegalArgumentException("the recordings were found on other rows than the snapshot's");
    }
    this.recordings = recordings;
    if (ann != null && ann.size() != snapshot.vectors().rows()) {
      throw new IllegalArgumentException(ann.kind().id() + " index holds " + ann.size() + " rows, the snapshot "
          + snapshot.vectors().rows());
    }
    this.snapshot = snapshot;
    this.index = new ExactIndex(snapshot.vectors());
    this.trackTempo = trackTempi(snapshot);
    this.ann = ann == null ? null : new ApproximateSearch(ann, index, snapshot.excerptTempo());
    int n = snapshot.tracks().size();
    firstRow = new int[n + 1];
    for (int t : snapshot.excerptTrack()) {
      firstRow[t + 1]++;
    }
    for (int t = 0; t < n; t++) {
      firstRow[t + 1] += firstRow[t];
    }
    rowsByTrack = new int[snapshot.excerptTrack().length];
    int[] fill = Arrays.copyOf(firstRow, n);
    for (int r = 0; r < rowsByTrack.length; r++) {
      rowsByTrack[fill[snapshot.excerptTrack()[r]]++] = r;
    }
    java.util.Map<String, List<Integer>> byHash = new java.util.HashMap<>();
    for (int t = 0; t < n; t++) {
      String h = snapshot.tracks().get(t).hash();
      if (h != null) {
        byHash.computeIfAbsent(h, x -> new ArrayList<>()).add(t);
      }
    }
    byHash.forEach((h, ts) -> {
      if (ts.size() > 1) {
        sameContent.put(h, ts.stream().mapToInt(Integer::intValue).toArray());
      }
    });
  }

  /**
   * Offers {@code vector}'s scored rows to {@code sink}: every row (exact search), or only the
   * approximate index's candidates; scored by {@code similarity} either way.
   */
  private void score(float[] vector, double tempo, Similarity similarity, boolean bands, TrackScores sink) {
    if (ann == null) {
      float[] scores = similarity.all(index, vector, tempo, snapshot.excerptTempo());
      for (int r = 0; r < scores.length; r++) {
        sink.offer(r, scores[r]);
      }
      return;
    }
    ApproximateSearch.Scored c = ann.score(vector, tempo, similarity, bands);
    for (int i = 0; i < c.rows().length; i++) {
      sink.offer(c.rows()[i], c.scores()[i]);
    }
  }

  /**
   * The score exact search with {@link Aggregation#MEAN} gives one track for a query: for each query
   * excerpt (vector and tempo) its best score by {@code similarity} with the track's excerpts ({@code
   * rows}, their tempi {@code rowTempo}, BPM), averaged over the query's excerpts. For jobs that score
   * chosen pairs of tracks (the Spark graph) with the number {@code query} lists.
   *
   * @throws IllegalArgumentException when the track has no excerpts or the lengths differ
   */
  public static double meanOfBest(Similarity similarity, List<ExcerptVector> query, VectorMatrix rows,
      float[] rowTempo) {
    if (rows.rows() == 0 || rowTempo.length != rows.rows()) {
      throw new IllegalArgumentException("the track needs excerpts and one tempo each; rows=" + rows.rows()
          + ", tempi=" + rowTempo.length);
    }
    ExactIndex index = new ExactIndex(rows);
    double sum = 0;
    for (ExcerptVector q : query) {
      float best = Float.NEGATIVE_INFINITY;
      for (float s : similarity.all(index, q.vector(), q.tempoBpm(), rowTempo)) {
        best = Math.max(best, s);
      }
      sum += best;
    }
    return sum / Math.max(1, query.size());
  }

  /** Factors 1 − t … 1 + t in steps of {@link #TEMPO_STEP} (just 1 for t = 0). */
  static double[] tempoFactors(double tolerance) {
    if (!(tolerance >= 0) || tolerance >= 1) {
      throw new IllegalArgumentException("tempo tolerance must be in [0, 1); tolerance=" + tolerance);
    }
    int steps = (int) Math.floor(tolerance / TEMPO_STEP + 1e-9);
    double[] f = new double[2 * steps + 1];
    for (int i = -steps; i <= steps; i++) {
      f[i + steps] = 1 + i * TEMPO_STEP;
    }
    return f;
  }

  /** The loaded index. */
  public Snapshot snapshot() {
    return snapshot;
  }

  /**
   * The default aggregation, {@link Aggregation#MEAN}: chosen on the tuning half of the demo corpus
   * (track-level mean reciprocal rank 0.975 against 0.969 for max and vote; docs/EVALUATION.md).
   */
  public static final Aggregation DEFAULT_AGGREGATION = Aggregation.MEAN;

  /** {@link #query(TrackFeatures, String, int, Metric, Aggregation)} with {@link #DEFAULT_AGGREGATION}. */
  public List<Hit> query(TrackFeatures query, String excludeHash, int k, Metric metric) {
    return query(query, excludeHash, k, metric, DEFAULT_AGGREGATION);
  }

  /**
   * The {@code k} tracks most similar in rhythm to {@code query}, best first.
   *
   * @param excludeHash content hash of the query file (its own track is left out), or null
   * @throws IllegalArgumentException when the query was made with another feature configuration
   */
  public List<Hit> query(TrackFeatures query, String excludeHash, int k, Metric metric, Aggregation aggregation) {
    return query(query, excludeHash, null, k, metric, aggregation);
  }

  /**
   * As {@link #query(TrackFeatures, String, int, Metric, Aggregation)}, also leaving out the index rows
   * (excerpts) {@code excludeRows} accepts (e.g. the query's own part of a song in an evaluation).
   */
  public List<Hit> query(TrackFeatures query, String excludeHash, java.util.function.IntPredicate excludeRows, int k,
      Metric metric, Aggregation aggregation) {
    return query(query, excludeHash, excludeRows, k, metric, aggregation, 0, TempoAlignment.DEFAULT);
  }

  /**
   * The full form: with {@code tempoTolerance} > 0 (e.g. 0.15 for ±15 %), every query excerpt is also
   * compared in tempo-rescaled versions (lag axis scaled by factors from 1 − t to 1 + t in steps of
   * {@value #TEMPO_STEP}) and keeps its best match per track: tempo-tolerant search for lag-indexed
   * features ({@link org.rhythmsearch.features.FeatureConfig#lagIndexed()}), at the cost of one scan per
   * factor. {@code alignment} aligns each query excerpt with each indexed excerpt by their tempi
   * ({@link TempoAlignment}; {@link TempoAlignment#DEFAULT} in the shorter forms); it is not combined
   * with {@code tempoTolerance} > 0, which already searches every factor.
   */
  public List<Hit> query(TrackFeatures query, String excludeHash, java.util.function.IntPredicate excludeRows, int k,
      Metric metric, Aggregation aggregation, double tempoTolerance, TempoAlignment alignment) {
    double[] factors = tempoFactors(tempoTolerance);
    if (factors.length > 1 && !snapshot.config().lagIndexed()) {
      throw new IllegalArgumentException("tempo-tolerant search needs a lag-indexed feature; the index holds "
          + snapshot.config().id());
    }
    if (!query.config().canonical().equals(snapshot.config().canonical())) {
      throw new IllegalArgumentException("query vectors are " + query.config().id() + " but the index holds "
          + snapshot.config().id());
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1; k=" + k);
    }
    List<TrackRecord> tracks = snapshot.tracks();
    int n = tracks.size();
    boolean[] excluded = new boolean[n];
    java.util.Set<String> excludedKeys = new java.util.HashSet<>();
    for (int t = 0; t < n; t++) {
      if (excludeHash != null && excludeHash.equals(tracks.get(t).hash())) {
        excludedKeys.add(key(tracks.get(t)));
      }
    }
    for (int t = 0; t < n; t++) {
      excluded[t] = !excludedKeys.isEmpty() && excludedKeys.contains(key(tracks.get(t)));
    }
    Similarity similarity = new Similarity(snapshot.config(), metric, factors.length > 1 ? TempoAlignment.OFF : alignment);
    int queries = Math.max(1, query.excerpts().size());
    TrackScores acc = new TrackScores(snapshot, trackTempo, excluded, excludeRows);
    List<ExcerptVector> probing = ann == null ? query.excerpts() : spread(query.excerpts(), probingExcerpts(queries));
    boolean[] bands = bandExcerpts(probing.size(), bandProbing);
    for (int p = 0; p < probing.size(); p++) {
      ExcerptVector q = probing.get(p);
      acc.startQuery(q.startSeconds());
      for (double factor : factors) {
        score(scaled(q.vector(), factor), q.tempoBpm(), similarity, bands[p], acc);
      }
      acc.endQuery();
    }
    if (ann == null) {
      return acc.ranked(aggregation, queries, k, tracks, this::key);
    }
    // approximate: the best candidate tracks re-scored exactly over all their excerpts, so every listed
    // score (and best pair) is the one exact search gives; only which tracks are looked at is approximate
    int[] rows = rowsOf(acc.best(aggregation, Math.max(1, probing.size()), rescoredTracks(k)));
    List<float[]> vectors = new ArrayList<>();
    double[] tempi = new double[query.excerpts().size() * factors.length];
    for (ExcerptVector q : query.excerpts()) {
      for (double factor : factors) {
        tempi[vectors.size()] = q.tempoBpm();
        vectors.add(scaled(q.vector(), factor));
      }
    }
    float[][] scores = similarity.ofRows(index, vectors, tempi, snapshot.excerptTempo(), rows);
    TrackScores exact = new TrackScores(snapshot, trackTempo, excluded, excludeRows);
    int e = 0;
    for (ExcerptVector q : query.excerpts()) {
      exact.startQuery(q.startSeconds());
      for (int f = 0; f < factors.length; f++) {
        float[] s = scores[e++];
        for (int i = 0; i < rows.length; i++) {
          exact.offer(rows[i], s[i]);
        }
      }
      exact.endQuery();
    }
    return exact.ranked(aggregation, queries, k, tracks, this::key);
  }

  /**
   * Query excerpts that probe an approximate index for candidate tracks, of {@code n}: half of them, at
   * least {@value #PROBING_MIN} (all when fewer), spread over the query; every excerpt then re-scores the
   * candidates. A track that the mean over all excerpts ranks high is alike in most of them, so half
   * find it: at 1 M excerpts ({@code bench aligned}, 6-excerpt queries) 4 probing excerpts kept track
   * recall@10 at 0.957 (6: 0.962; 3: 0.942) in two thirds of the time.
   */
  static int probingExcerpts(int n) {
    return Math.max(PROBING_MIN, (n + 1) / 2);
  }

  /**
   * Which of {@code n} probing excerpts also probe the tempo bands: at most {@code most}, spread over
   * them as {@link #spread} spreads; the others probe plainly only (their candidates are still scored
   * by the aligned score). A probe per band costs as much as the plain one, so a long query's ten probing
   * excerpts made 110 probes.
   */
  static boolean[] bandExcerpts(int n, int most) {
    boolean[] out = new boolean[n];
    List<Integer> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(i);
    }
    for (int i : spread(all, most)) {
      out[i] = true;
    }
    return out;
  }

  /**
   * Probing excerpts that also probe the tempo bands, at most ({@link #bandExcerpts}): as many as the
   * fewest that probe at all, so a query of up to 8 excerpts probes as before. At 1 M excerpts ({@code
   * bench aligned --query-excerpts 20 --band-probing 2,4,6}, 30 query tracks, one run): all ten probing
   * excerpts 57.7 ms per query track at track recall@10 0.977; at most 6: 45.3 ms, 0.970; 4: 39.2 ms,
   * 0.973; 2: 31.5 ms, 0.977 (a track is one of 300: these recalls are within a track or two).
   */
  public static final int BAND_PROBING = TrackSearch.PROBING_MIN;

  /** The fewest query excerpts that probe an approximate index ({@link #probingExcerpts}). */
  public static final int PROBING_MIN = 4;

  /** At most {@code m} of {@code xs}, spread evenly over them (all when there are no more). */
  static <T> List<T> spread(List<T> xs, int m) {
    int n = xs.size();
    if (n <= m) {
      return xs;
    }
    List<T> out = new ArrayList<>(m);
    for (int i = 0; i < m; i++) {
      out.add(xs.get((int) ((i + 0.5) * n / m)));
    }
    return out;
  }

  /**
   * Candidate tracks re-scored exactly by an approximate search for {@code k} answers: {@value
   * #RESCORED_PER_ANSWER} per answer, at least {@value #RESCORED_MIN}.
   */
  static int rescoredTracks(int k) {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(RESCORED_MIN, (long) RESCORED_PER_ANSWER * k));
  }

  /**
   * Tracks an approximate search re-scores exactly at least. Chosen with {@code bench aligned} at 1 M
   * excerpts: re-scoring 300 rather than 100 (all their excerpts, in cache-sized blocks: {@link
   * Similarity#ofRows(ExactIndex, List, double[], float[], int[])}) let the first pass keep a quarter of
   * the candidates at the same track recall (0.96).
   */
  public static final int RESCORED_MIN = 300;
  /** Tracks an approximate search re-scores exactly per answer asked for. */
  public static final int RESCORED_PER_ANSWER = 30;

  private float[] scaled(float[] v, double factor) {
    return factor == 1.0 ? v : PostProcessing.tempoScaled(snapshot.config(), v, factor);
  }

  /** The rows of tracks {@code t} (with every track of the same content), ascending. */
  private int[] rowsOf(int[] t) {
    boolean[] take = new boolean[snapshot.tracks().size()];
    for (int x : t) {
      take[x] = true;
      String hash = snapshot.tracks().get(x).hash();
      for (int y : hash == null ? new int[0] : sameContent.getOrDefault(hash, new int[0])) {
        take[y] = true;
      }
    }
    int count = 0;
    for (int x = 0; x < take.length; x++) {
      count += take[x] ? firstRow[x + 1] - firstRow[x] : 0;
    }
    int[] rows = new int[count];
    int o = 0;
    for (int x = 0; x < take.length; x++) {
      if (take[x]) {
        System.arraycopy(rowsByTrack, firstRow[x], rows, o, firstRow[x + 1] - firstRow[x]);
        o += firstRow[x + 1] - firstRow[x];
      }
    }
    java.util.Arrays.sort(rows);
    return rows;
  }

  /** Each track's tempo: the median of its rows' tempi, computed once. */
  private static double[] trackTempi(Snapshot snapshot) {
    int n = snapshot.tracks().size();
    int[] rowTrack = snapshot.excerptTrack();
    float[] tempo = snapshot.excerptTempo();
    int[] count = new int[n];
    for (int t : rowTrack) {
      count[t]++;
    }
    double[][] byTrack = new double[n][];
    for (int t = 0; t < n; t++) {
      byTrack[t] = new double[count[t]];
    }
    int[] fill = new int[n];
    for (int r = 0; r < rowTrack.length; r++) {
      byTrack[rowTrack[r]][fill[rowTrack[r]]++] = tempo[r];
    }
    double[] out = new double[n];
    for (int t = 0; t < n; t++) {
      out[t] = TempoEstimator.median(byTrack[t]);
    }
    return out;
  }
}
