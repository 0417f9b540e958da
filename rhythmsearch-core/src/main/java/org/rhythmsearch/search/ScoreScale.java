package org.rhythmsearch.search;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * What a track score means in one collection: the scores of track pairs drawn from the collection
 * itself (each sampled track queried against all others), so a score can be put as "closer than 97 %
 * of the pairs of tracks here" instead of a bare 0.82 whose meaning depends on the feature, the
 * aggregation and the music.
 *
 * <p>Immutable; thread-safe.
 */
public final class ScoreScale {

  /** Tracks queried by default to sample the pair scores. */
  public static final int DEFAULT_QUERIES = 200;

  private final double[] sorted;
  private final int queries;
  private final String aggregation;

  private ScoreScale(double[] sorted, int queries, String aggregation) {
    this.sorted = sorted;
    this.queries = queries;
    this.aggregation = aggregation;
  }

  /**
   * Samples the scale of {@code service}'s collection: up to {@code maxQueries} tracks with vectors,
   * chosen with {@code seed}, each ranked against every other track with {@code options} (its k is
   * raised to all tracks); every returned score is one pair.
   */
  public static ScoreScale sample(QueryService service, QueryOptions options, int maxQueries, long seed) {
    List<TrackRecord> tracks = new ArrayList<>();
    for (TrackRecord t : service.snapshot().tracks()) {
      if (t.excerpts() > 0) {
        tracks.add(t);
      }
    }
    Collections.shuffle(tracks, new Random(seed));
    List<TrackRecord> chosen = tracks.subList(0, Math.min(maxQueries, tracks.size()));
    QueryOptions all = new QueryOptions(Math.max(1, service.snapshot().tracks().size()), options.aggregation(),
        options.metric(), false, 0, options.alignment());
    double[] scores = new double[0];
    int n = 0;
    for (TrackRecord t : chosen) {
      try {
        for (QueryResult.Match m : service.queryTrack(Long.toString(t.id()), all).matches()) {
          if (n == scores.length) {
            scores = Arrays.copyOf(scores, Math.max(64, 2 * n));
          }
          scores[n++] = m.score();
        }
      } catch (QueryException e) {
        // a track with no vectors: nothing to sample
      }
    }
    double[] sorted = Arrays.copyOf(scores, n);
    Arrays.sort(sorted);
    return new ScoreScale(sorted, chosen.size(), options.aggregation().id());
  }

  /**
   * Tracks to query for a scale of an index of {@code rows} excerpts: at most {@code max}, fewer on a big
   * index (about 2 M excerpt comparisons in all, each query ranked against every track), at least 5 (and
   * never more than {@code max}).
   */
  public static int queriesFor(int rows, int max) {
    return (int) Math.min(max, Math.max(5, Math.min(max, 2_000_000L / Math.max(1, rows))));
  }

  /** The key of the note an index keeps its scale under ({@link #toNote}, written by {@code index}). */
  public static final String NOTE = "score-scale";

  /** Sampled scores kept in a note at most (evenly spaced ranks of the sorted sample). */
  private static final int NOTE_POINTS = 512;

  /**
   * This scale as a note for {@code snapshot}'s rows: their fingerprint, the aggregation, the queries and
   * up to {@value #NOTE_POINTS} sampled scores (evenly spaced ranks), so that a later run can say what a
   * score means without sampling again ({@link #fromNote}).
   */
  public String toNote(Snapshot snapshot) {
    StringBuilder sb = new StringBuilder();
    sb.append("v1 ").append(snapshot.rowFingerprint()).append(' ').append(aggregation).append(' ').append(queries)
        .append(' ').append(sorted.length);
    int m = Math.min(NOTE_POINTS, sorted.length);
    for (int i = 0; i < m; i++) {
      int rank = m == 1 ? 0 : (int) Math.round(i * (sorted.length - 1) / (double) (m - 1));
      sb.append(' ').append(Double.toString(sorted[rank]));
    }
    return sb.toString();
  }

  /**
   * The scale a note holds, if it was sampled on exactly {@code snapshot}'s rows; empty when there is
   * none, it is stale (the index changed since) or unreadable.
   */
  public static java.util.Optional<ScoreScale> fromNote(String note, Snapshot snapshot) {
    try {
      String[] f = note.trim().split(" ");
      if (f.length < 5 || !f[0].equals("v1") || Long.parseLong(f[1]) != snapshot.rowFingerprint()) {
        return java.util.Optional.empty();
      }
      double[] scores = new double[f.length - 5];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = Double.parseDouble(f[5 + i]);
      }
      Arrays.sort(scores);
      return java.util.Optional.of(new ScoreScale(scores, Integer.parseInt(f[3]), f[2]));
    } catch (RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** Whether a score of {@code aggregation} under {@code metric} is on this scale. */
  public boolean applies(Aggregation aggregation, Metric metric) {
    return aggregation.id().equals(this.aggregation) && metric == Metric.COSINE;
  }

  /** Number of track pairs sampled. */
  public int pairs() {
    return sorted.length;
  }

  /** Number of tracks queried. */
  public int queries() {
    return queries;
  }

  /** The aggregation whose scores were sampled (a score of another aggregation is not on this scale). */
  public String aggregation() {
    return aggregation;
  }

  /**
   * Where {@code score} falls among the sampled pair scores, in [0, 1]: the fraction that score below
   * it, with pairs scoring exactly the same counted half (the mid-rank); NaN when nothing was sampled.
   */
  public double percentile(double score) {
    if (sorted.length == 0 || Double.isNaN(score)) {
      return Double.NaN;
    }
    int below = firstAtLeast(score);
    int notAbove = firstAtLeast(Math.nextUp(score));
    return (below + 0.5 * (notAbove - below)) / sorted.length;
  }

  /** The first index whose score is {@code >= score} (binary search). */
  private int firstAtLeast(double score) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] < score) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /**
   * {@code score} in words, e.g. "very close: closer than 99 % of the track pairs in this collection";
   * null when nothing was sampled.
   */
  public String words(double score) {
    double p = percentile(score);
    if (Double.isNaN(p)) {
      return null;
    }
    String kind = p >= 0.99 ? "very close" : p >= 0.95 ? "close" : p >= 0.75 ? "alike" : p >= 0.5 ? "a little alike"
        : "not alike";
    if (p >= 1) {
      return "very close: closer than every track pair sampled in this collection";
    }
    int percent = (int) Math.floor(p * 100);
    return p >= 0.5 ? String.format(Locale.ROOT, "%s: closer than %d %% of the track pairs in this collection", kind,
        percent) : String.format(Locale.ROOT, "%s: less close than %d %% of the track pairs in this collection", kind,
        100 - percent);
  }

  /** Above this many excerpts, {@link #saveFor} keeps no scale. */
  public static final long MAX_SCALE_ROWS = 200_000;

  /**
   * Samples what a score means in {@code store}'s collection ({@link ScoreScale}, with {@code query}'s
   * defaults) and keeps it as a note, so that {@code query} can put its scores in words without sampling:
   * up to {@link ScoreScale#DEFAULT_QUERIES} tracks queried, fewer on a big index (about 2 M excerpt
   * comparisons in all). Returns the scale, or empty when the index has fewer than 2 tracks with vectors
   * or more than {@link #MAX_SCALE_ROWS} excerpts.
   */
  public static java.util.Optional<ScoreScale> saveFor(VectorStore store) throws StoreException {
    if (store.tracks().stream().mapToLong(TrackRecord::excerpts).sum() > MAX_SCALE_ROWS) {
      return java.util.Optional.empty(); // loading every vector again is not worth it here; serve samples its own
    }
    QueryService service;
    try {
      service = QueryService.load(store, QueryOptions.Search.EXACT);
    } catch (QueryException e) {
      return java.util.Optional.empty();
    }
    long withVectors = service.snapshot().tracks().stream().filter(t -> t.excerpts() > 0).count();
    if (withVectors < 2) {
      return java.util.Optional.empty();
    }
    ScoreScale scale = sample(service, QueryOptions.defaults(), queriesFor(service.snapshot().vectors().rows(),
        DEFAULT_QUERIES), 26);
    store.saveNote(NOTE, scale.toNote(service.snapshot()));
    return java.util.Optional.of(scale);
  }
}
