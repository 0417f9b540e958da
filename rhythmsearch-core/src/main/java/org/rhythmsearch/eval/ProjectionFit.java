package org.rhythmsearch.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.Projection;
import org.rhythmsearch.index.Metric;

/**
 * Fits a feature's learned {@link Projection} on a collection's evaluation-grid excerpts (the
 * {@link SeedEvaluation} grid: 5, 15, 25 … s of every song), so that the projection shipped with a
 * feature is made by a command ({@code rhythmsearch fit-projection}) and each fold of a
 * leave-one-package-out evaluation can fit its own ({@link SeedEvaluation#withProjectionRefit}).
 *
 * <p>Stateless apart from its configuration; not thread-safe while {@link #fit(List, Consumer)} runs.
 */
public final class ProjectionFit {

  /** What a fit read: the projection, the songs and excerpts it was fitted on, the files that failed. */
  public record Fitted(Projection projection, int songs, int excerpts, List<String> failedFiles) {}

  private final FeatureConfig descriptor;
  private final int dims;
  private final double shrink;
  private final int threads;
  private final GridCache cache;

  /**
   * @param feature a projected feature (its descriptor is extracted; its projection's size and shrink are
   *     fitted anew) or a plain one (fitted with {@code dims} and {@code shrink})
   * @param cache a grid-excerpt cache folder shared with {@code eval --cache}, or null
   */
  public ProjectionFit(FeatureConfig feature, int dims, double shrink, int threads, Path cache) {
    this.descriptor = FeatureConfigs.unprojected(feature);
    this.dims = dims;
    this.shrink = shrink;
    this.threads = threads;
    this.cache = cache == null ? null : new GridCache(cache, descriptor);
  }

  /** Extracts (or reads from the cache) every file's grid excerpts and fits on all of them. */
  public Fitted fit(List<Path> files, Consumer<Path> progress) {
    List<Song> songs = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Map.Entry<Path, Object> e : new GridSongs(descriptor, threads, cache).songs(files, progress).entrySet()) {
      if (e.getValue() instanceof Song s) {
        songs.add(s);
      } else {
        failed.add((String) e.getValue());
      }
    }
    Projection p = fit(songs, dims, shrink);
    return new Fitted(p, songs.size(), p.trainingRows(), failed);
  }

  /** A projection fitted on every (non-silent) excerpt of {@code songs}. */
  static Projection fit(List<Song> songs, int dims, double shrink) {
    List<float[]> rows = new ArrayList<>();
    for (Song s : songs) {
      for (float[] v : s.vectors()) {
        if (v != null) {
          rows.add(v);
        }
      }
    }
    return Projection.fit(rows, dims, shrink);
  }

  /** {@code songs} with every excerpt projected (one that projects to zero becomes a silent one). */
  static List<Song> project(List<Song> songs, Projection p) {
    List<Song> out = new ArrayList<>(songs.size());
    for (Song s : songs) {
      List<float[]> v = new ArrayList<>(s.vectors().size());
      for (float[] x : s.vectors()) {
        v.add(x == null ? null : p.apply(x));
      }
      out.add(new Song(s.name(), v, s.tempi(), s.audioSeconds()));
    }
    return out;
  }

  /**
   * Each group of {@code songs} judged by {@code evaluation} with a projection of {@code feature}'s size
   * and shrink fitted on the other groups only. Each group's figures come from its own fold; the pooled
   * ones sum the groups' (no query time, no LSH/IVF trials).
   */
  static SeedEvaluation.Result refitted(SeedEvaluation evaluation, FeatureConfig feature, int k,
      Metric metric, List<Song> songs, List<String> groups, List<String> failed,
      double extractSeconds, Consumer<String> foldProgress) {
    List<SeedEvaluation.GroupResult> held = new ArrayList<>();
    List<String> skipped = null;
    double audioSeconds = 0;
    for (String g : new java.util.LinkedHashSet<>(groups)) {
      foldProgress.accept(g);
      List<Song> training = new ArrayList<>();
      for (int s = 0; s < songs.size(); s++) {
        if (!groups.get(s).equals(g)) {
          training.add(songs.get(s));
        }
      }
      Projection p = fit(training, feature.projection().outputDim(), feature.projection().shrink());
      SeedEvaluation.Result r = evaluation.evaluate(project(songs, p), groups, failed, extractSeconds);
      skipped = r.skippedSongs();
      audioSeconds = r.audioSeconds();
      held.add(r.byGroup().groups().stream().filter(x -> x.group().equals(g)).findFirst().orElseThrow());
    }
    int queries = held.stream().mapToInt(SeedEvaluation.GroupResult::queries).sum();
    int correct = held.stream().mapToInt(SeedEvaluation.GroupResult::correct).sum();
    int excerpts = held.stream().mapToInt(SeedEvaluation.GroupResult::looExcerpts).sum();
    int looCorrect = held.stream().mapToInt(SeedEvaluation.GroupResult::looCorrect).sum();
    SeedEvaluation.Grouped grouped = SeedEvaluation.Grouped.of(held);
    return new SeedEvaluation.Result(feature.name() + " (projection refitted without each package)", k, metric,
        queries,
        skipped == null ? List.of() : skipped, failed, queries, correct,
        queries == 0 ? Double.NaN : correct / (double) (queries * k), Double.NaN, excerpts,
        excerpts == 0 ? Double.NaN : looCorrect / (double) excerpts, audioSeconds, extractSeconds, null, null, grouped);
  }
}
