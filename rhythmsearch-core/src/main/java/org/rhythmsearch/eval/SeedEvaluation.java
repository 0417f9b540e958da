package org.rhythmsearch.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.search.HubReduction;
import org.rhythmsearch.search.Similarity;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.util.Checks;

/**
 * The seed study's evaluation, done as its text describes, plus leave-one-out.
 *
 * <p>Each audio file is one song, cut into excerpts on a grid starting at {@value #FIRST_OFFSET} s
 * every {@value #GRID} s (5, 15, 25 … s; only whole excerpts, silent ones dropped).
 *
 * <ul>
 *   <li><b>Seed protocol</b>: the excerpt at 5 s is the song's query; its next {@code k} excerpts (15,
 *       25 … s) go into the database, which holds the targets of all songs. Each query retrieves its k
 *       nearest database excerpts by exact search; a retrieval is correct when it comes from the
 *       query's song. {@code P@k = correct / (queries · k)}. Songs without a query excerpt and k target
 *       excerpts (shorter than 5 + 10·(k+1) s, or silent there) are skipped and counted.</li>
 *   <li><b>Leave-one-out</b>: every grid excerpt of every song is a query against all the others; P@1
 *       is the fraction whose nearest other excerpt comes from the same song.</li>
 * </ul>
 *
 * <p>Not thread-safe; one run at a time (it uses its own worker threads for extraction).
 */
public final class SeedEvaluation {

  /** Start of the query excerpt, seconds (the seed notebook's {@code initial_offset}). */
  public static final double FIRST_OFFSET = 5.0;
  /** Distance between excerpt starts, seconds. */
  public static final double GRID = 10.0;

  /**
   * LSH side by side with exact search over {@code trials} hyperplane seeds: P@k (mean/min/max), recall
   * of the exact top-k (mean/min), the seed study's bucket recall (same-song excerpts in the query's
   * bucket of a single 4-bit table, over queries · k), warmed-up query time, candidates scored exactly
   * per query (every probe's, tempo bands included), and answers with fewer than k results (must be 0).
   */
  public record LshResult(int trials, LshIndex.Params firstParams, double precisionMean, double precisionMin,
      double precisionMax, double recallMean, double recallMin, double seedBucketRecall, double meanQueryMicros,
      double candidatesPerQuery, int emptyResults) {}

  /**
   * The IVF index side by side with exact search over {@code trials} k-means seeds (the same seeds as
   * LSH's): P@k (mean/min/max), recall of the exact top-k (mean/min), warmed-up query time, candidates
   * scored exactly per query ({@code scannedPerQuery}, its name kept from when it counted codes), and answers with fewer than k results (must be 0).
   */
  public record IvfResult(int trials, IvfIndex.Params firstParams, double precisionMean, double precisionMin,
      double precisionMax, double recallMean, double recallMin, double meanQueryMicros, double scannedPerQuery,
      int emptyResults) {}

  /**
   * The scores of one group of songs (e.g. one source package) in a grouped run: its own songs' queries
   * against the database of the whole collection. With the groups held out one at a time, this is the
   * leave-one-group-out report: a choice made on the other groups is judged on this one.
   *
   * @param precisionAtK seed protocol P@k of the group's queries (NaN without one)
   * @param looPrecisionAt1 leave-one-out P@1 of the group's grid excerpts (NaN without one)
   */
  public record GroupResult(String group, int songs, int queries, int correct, double precisionAtK, int looExcerpts,
      int looCorrect, double looPrecisionAt1) {}

  /**
   * Per-group figures and their unweighted means over groups (each group counts once, however many
   * songs it has); empty lists and NaN means for an ungrouped run.
   */
  public record Grouped(List<GroupResult> groups, double meanPrecisionAtK, double meanLooPrecisionAt1) {
    static final Grouped NONE = new Grouped(List.of(), Double.NaN, Double.NaN);

    /** {@code groups} with their means over the groups that have queries (P@k) or excerpts (LOO). */
    static Grouped of(List<GroupResult> groups) {
      return new Grouped(groups,
          groups.stream().filter(g -> g.queries() > 0).mapToDouble(GroupResult::precisionAtK).average().orElse(Double.NaN),
          groups.stream().filter(g -> g.looExcerpts() > 0).mapToDouble(GroupResult::looPrecisionAt1).average()
              .orElse(Double.NaN));
    }
  }

  /** Result of a run; {@code meanQueryMicros} is the warmed-up exact search time per query. */
  public record Result(
      String feature,
      int k,
      Metric metric,
      int songs,
      List<String> skippedSongs,
      List<String> failedFiles,
      int queries,
      int correct,
      double precisionAtK,
      double meanQueryMicros,
      int looExcerpts,
      double looPrecisionAt1,
      double audioSeconds,
      double extractSeconds,
      LshResult lsh,
      IvfResult ivf,
      Grouped byGroup) {}

  /** Written with the searches' results so the timed loop has an observable effect. */

  private final FeatureConfig config;
  private final int k;
  private final Metric metric;
  private final int threads;
  private int trials;
  private double targetRecall;
  private TempoAlignment alignment = TempoAlignment.DEFAULT;
  private int hubK;
  private GridCache cache;
  private boolean refitProjection;
  private Consumer<String> foldProgress = g -> {};
  private VectorEncoding vectors = VectorEncoding.DEFAULT;

  /**
   * Judge the vectors as an index of {@code encoding} holds them (default {@link VectorEncoding#DEFAULT}, as
   * {@code index} stores them; {@code FLOAT32} for the descriptors as computed): queries and database alike,
   * as {@code query} holds a query file's excerpts.
   */
  public SeedEvaluation withVectors(VectorEncoding encoding) {
    this.vectors = java.util.Objects.requireNonNull(encoding, "encoding");
    return this;
  }

  /** How the vectors are held ({@link #withVectors}). */
  public VectorEncoding vectors() {
    return vectors;
  }

  /**
   * Score excerpts with this tempo alignment (default {@link org.rhythmsearch.search.TempoAlignment#DEFAULT},
   * as {@code query} does; {@code OFF} for plain cosine): exact search, LSH and IVF all score by the
   * same {@link org.rhythmsearch.search.Similarity}.
   */
  public SeedEvaluation withTempoAlignment(TempoAlignment alignment) {
    this.alignment = java.util.Objects.requireNonNull(alignment, "alignment");
    return this;
  }

  /**
   * Rank with hub reduction ({@link HubReduction}) over each database's rows, averaging each row's
   * {@code k} best scores against other songs (0: off, the default). Exact search, leave-one-out and the
   * LSH/IVF trials all apply it.
   */
  public SeedEvaluation withHubReduction(int k) {
    if (k < 0) {
      throw new IllegalArgumentException("hub k must be >= 0; k=" + k);
    }
    this.hubK = k;
    return this;
  }

  /**
   * Keep every file's grid excerpts in {@code dir} and reuse them while the file (path, size,
   * modification time), the feature and the grid are unchanged ({@link GridCache}); null: no cache.
   */
  public SeedEvaluation withCache(Path dir) {
    this.cache = dir == null ? null : new GridCache(dir, FeatureConfigs.unprojected(config));
    return this;
  }

  /**
   * For a projected feature in a grouped run: judge each group with a projection fitted on the other
   * groups only ({@link ProjectionFit#refitted}), not the feature's own, whose fit may have seen it;
   * {@code progress} hears each group as its fold starts.
   */
  public SeedEvaluation withProjectionRefit(boolean refit, Consumer<String> progress) {
    if (refit && config.projection() == null) {
      throw new IllegalArgumentException("feature " + config.name() + " has no projection to refit");
    }
    this.refitProjection = refit;
    this.foldProgress = progress == null ? g -> {} : progress;
    return this;
  }

  /** Also evaluate LSH and IVF over {@code trials} seeds each (0: exact only). */
  public SeedEvaluation withLshTrials(int trials) {
    if (trials < 0) {
      throw new IllegalArgumentException("trials must be >= 0; trials=" + trials);
    }
    this.trials = trials;
    return this;
  }

  /**
   * Tune every trial's LSH parameters with {@link LshTuner} and its IVF budget with {@link
   * org.rhythmsearch.index.IvfTuner} for this recall@k (0: defaults).
   */
  public SeedEvaluation withTargetRecall(double targetRecall) {
    if (!(targetRecall >= 0 && targetRecall <= 1)) {
      throw new IllegalArgumentException("targetRecall must be in [0, 1]; targetRecall=" + targetRecall);
    }
    this.targetRecall = targetRecall;
    return this;
  }

  /**
   * @param k targets per song, {@code >= 1} (the seed used 2)
   * @param threads worker threads for feature extraction, {@code >= 1}
   */
  public SeedEvaluation(FeatureConfig config, int k, Metric metric, int threads) {
    this.config = config;
    this.k = Checks.atLeastOne(k, "k");
    this.metric = metric;
    this.threads = Checks.atLeastOne(threads, "threads");
  }

  /** Runs both protocols over {@code files} (one song each); {@code progress} hears each finished file. */
  public Result run(List<Path> files, Consumer<Path> progress) {
    return run(files, null, progress);
  }

  /**
   * As {@link #run(List, Consumer)}, also reporting the figures of each group of songs ({@code groups}:
   * file → group name, e.g. its source package; null for an ungrouped run). Every file needs a group.
   */
  public Result run(List<Path> files, Map<Path, String> groups, Consumer<Path> progress) {
    if (groups != null) {
      for (Path f : files) {
        if (groups.get(f) == null) {
          throw new IllegalArgumentException("no group for " + f);
        }
      }
    }
    long t0 = System.nanoTime();
    List<Song> songs = new ArrayList<>();
    List<String> songGroups = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Map.Entry<Path, Object> e : descriptorSongs(files, progress).entrySet()) {
      if (e.getValue() instanceof Song s) {
        songs.add(s);
        songGroups.add(groups == null ? null : groups.get(e.getKey()));
      } else {
        failed.add((String) e.getValue());
      }
    }
    double extractSeconds = (System.nanoTime() - t0) / 1e9;
    if (refitProjection) {
      if (groups == null || trials > 0) {
        throw new IllegalArgumentException("refitting the projection per group needs groups and no LSH/IVF trials");
      }
      return refitted(songs, songGroups, failed, extractSeconds);
    }
    if (config.projection() != null) {
      songs = ProjectionFit.project(songs, config.projection());
    }
    return evaluate(songs, groups == null ? null : songGroups, failed, extractSeconds);
  }

  /** Each group judged with a projection fitted without it ({@link ProjectionFit#refitted}). */
  Result refitted(List<Song> songs, List<String> groups, List<String> failed, double extractSeconds) {
    return ProjectionFit.refitted(this, config, k, metric, songs, groups, failed, extractSeconds, foldProgress);
  }

  /**
   * The grid excerpts of every file, extracted on the worker threads (or read from the cache): per file
   * (in input order) a {@link Song}, or the one-line reason it could not be decoded.
   */
  Map<Path, Object> songs(List<Path> files, Consumer<Path> progress) {
    Map<Path, Object> songs = descriptorSongs(files, progress);
    if (config.projection() != null) {
      songs.replaceAll((f, s) -> s instanceof Song song ? ProjectionFit.project(List.of(song), config.projection()).get(0) : s);
    }
    songs.replaceAll((f, s) -> s instanceof Song song ? song.held(vectors) : s);
    return songs;
  }

  /** As {@link #songs}, with the excerpts' descriptors before the feature's projection (if it has one). */
  private Map<Path, Object> descriptorSongs(List<Path> files, Consumer<Path> progress) {
    return new GridSongs(FeatureConfigs.unprojected(config), threads, cache).songs(files, progress);
  }

  Result evaluate(List<Song> songs, List<String> failed, double extractSeconds) {
    return evaluate(songs, null, failed, extractSeconds);
  }

  /** Both protocols; {@code groups} (the group of each song, parallel to {@code songs}) may be null. */
  Result evaluate(List<Song> given, List<String> groups, List<String> failed, double extractSeconds) {
    List<Song> songs = given.stream().map(s -> s.held(vectors)).toList();
    double audioSeconds = songs.stream().mapToDouble(Song::audioSeconds).sum();
    int dim = config.dimension();
    Similarity similarity = new Similarity(config, metric, alignment);
    // seed protocol
    List<String> skipped = new ArrayList<>();
    List<float[]> queries = new ArrayList<>();
    List<Double> queryTempo = new ArrayList<>();
    List<Double> dbTempo = new ArrayList<>();
    List<Integer> querySong = new ArrayList<>();
    List<Integer> queryOrigin = new ArrayList<>(); // index of the query's song in songs
    List<float[]> db = new ArrayList<>();
    List<Integer> dbSong = new ArrayList<>();
    int usable = 0;
    for (int s = 0; s < songs.size(); s++) {
      List<float[]> v = songs.get(s).vectors();
      boolean ok = v.size() >= k + 1;
      for (int i = 0; ok && i <= k; i++) {
        ok = v.get(i) != null;
      }
      if (!ok) {
        skipped.add(songs.get(s).name());
        continue;
      }
      usable++;
      queries.add(v.get(0));
      queryTempo.add(songs.get(s).tempi().get(0));
      querySong.add(usable - 1);
      queryOrigin.add(s);
      for (int i = 1; i <= k; i++) {
        db.add(v.get(i));
        dbTempo.add(songs.get(s).tempi().get(i));
        dbSong.add(usable - 1);
      }
    }
    int correct = 0;
    double micros = 0;
    LshResult lsh = null;
    IvfResult ivf = null;
    float[] dbPenalty = penalties(similarity, db, dbTempo, dbSong);
    if (!queries.isEmpty() && trials > 0) {
      SeedAnnTrials ann = new SeedAnnTrials(trials, k, similarity, targetRecall, Song.floats(dbTempo),
          queryTempo.stream().mapToDouble(Double::doubleValue).toArray(), dbPenalty);
      lsh = ann.run(Song.matrix(db, dim), dbSong, queries, querySong);
      ivf = ann.runIvf(Song.matrix(db, dim), dbSong, queries, querySong);
    }
    int[] queryCorrect = new int[queries.size()];
    if (!queries.isEmpty()) {
      ExactIndex index = new ExactIndex(Song.matrix(db, dim));
      float[] rowTempo = Song.floats(dbTempo);
      for (int q = 0; q < queries.size(); q++) {
        float[] scores = similarity.all(index, queries.get(q), queryTempo.get(q), rowTempo);
        if (dbPenalty != null) {
          HubReduction.apply(scores, dbPenalty);
        }
        for (Neighbor n : ExactIndex.topK(scores, k, null)) {
          if (dbSong.get(n.id()).equals(querySong.get(q))) {
            correct++;
            queryCorrect[q]++;
          }
        }
      }
      micros = SeedAnnTrials.meanQueryMicros(qi -> {
        float[] scores = similarity.all(index, queries.get(qi), queryTempo.get(qi), rowTempo);
        if (dbPenalty != null) {
          HubReduction.apply(scores, dbPenalty);
        }
        return ExactIndex.topK(scores, k, null);
      }, queries.size());
    }
    int nq = queries.size();
    // leave-one-out over every grid excerpt
    List<float[]> all = new ArrayList<>();
    List<Double> allTempo = new ArrayList<>();
    List<Integer> allSong = new ArrayList<>();
    for (int s = 0; s < songs.size(); s++) {
      List<float[]> vs = songs.get(s).vectors();
      for (int i = 0; i < vs.size(); i++) {
        if (vs.get(i) != null) {
          all.add(vs.get(i));
          allTempo.add(songs.get(s).tempi().get(i));
          allSong.add(s);
        }
      }
    }
    int looCorrect = 0;
    boolean[] looHit = new boolean[all.size()];
    if (all.size() > 1) {
      ExactIndex index = new ExactIndex(Song.matrix(all, dim));
      float[] rowTempo = Song.floats(allTempo);
      float[] penalty = penalties(similarity, all, allTempo, allSong);
      for (int i = 0; i < all.size(); i++) {
        int self = i;
        float[] scores = similarity.all(index, all.get(i), allTempo.get(i), rowTempo);
        if (penalty != null) {
          HubReduction.apply(scores, penalty);
        }
        List<Neighbor> nn = ExactIndex.topK(scores, 1, r -> r == self);
        if (!nn.isEmpty() && allSong.get(nn.get(0).id()).equals(allSong.get(i))) {
          looCorrect++;
          looHit[i] = true;
        }
      }
    }
    Grouped grouped = groups == null ? Grouped.NONE
        : grouped(songs.size(), groups, queryOrigin, queryCorrect, allSong, looHit);
    return new Result(config.name(), k, metric, nq, skipped, failed, nq, correct,
        nq == 0 ? Double.NaN : correct / (double) (nq * k), nq == 0 ? Double.NaN : micros,
        all.size(), all.size() > 1 ? looCorrect / (double) all.size() : Double.NaN, audioSeconds, extractSeconds, lsh,
        ivf, grouped);
  }

  /** Per-group sums of the per-query outcomes, in order of each group's first song. */
  private Grouped grouped(int songCount, List<String> groups, List<Integer> queryOrigin, int[] queryCorrect,
      List<Integer> excerptSong, boolean[] looHit) {
    Map<String, int[]> sums = new LinkedHashMap<>(); // songs, queries, correct, excerpts, looCorrect
    for (int s = 0; s < songCount; s++) {
      sums.computeIfAbsent(groups.get(s), g -> new int[5])[0]++;
    }
    for (int q = 0; q < queryOrigin.size(); q++) {
      int[] g = sums.get(groups.get(queryOrigin.get(q)));
      g[1]++;
      g[2] += queryCorrect[q];
    }
    for (int i = 0; i < looHit.length; i++) {
      int[] g = sums.get(groups.get(excerptSong.get(i)));
      g[3]++;
      g[4] += looHit[i] ? 1 : 0;
    }
    List<GroupResult> out = new ArrayList<>();
    for (Map.Entry<String, int[]> e : sums.entrySet()) {
      int[] g = e.getValue();
      double p = g[1] == 0 ? Double.NaN : g[2] / (double) (g[1] * k);
      double loo = g[3] == 0 ? Double.NaN : g[4] / (double) g[3];
      out.add(new GroupResult(e.getKey(), g[0], g[1], g[2], p, g[3], g[4], loo));
    }
    return Grouped.of(out);
  }

  /** The hub penalties of {@code rows} (songs {@code song}), or null when hub reduction is off. */
  private float[] penalties(Similarity similarity, List<float[]> rows, List<Double> tempi, List<Integer> song) {
    if (hubK == 0 || rows.isEmpty()) {
      return null;
    }
    return HubReduction.penalties(similarity, new ExactIndex(Song.matrix(rows, config.dimension())),
        Song.floats(tempi), song.stream().mapToInt(Integer::intValue).toArray(), hubK);
  }
}
