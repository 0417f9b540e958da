package org.rhythmsearch.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Signals;

/** The seed protocol on a generated corpus where the right answer is known. */
class SeedEvaluationTest {

  @TempDir Path tmp;

  @Test
  void distinctTempiAreRetrievedPerfectly() throws Exception {
    List<Path> songs = new ArrayList<>(Corpus.songs(tmp, 46));
    Path shortSong = tmp.resolve("short.wav");
    Signals.writeWav16(shortSong, 22050, Signals.clickTrack(100, 30, 22050, 0, 9)); // < 35 s: skipped
    songs.add(shortSong);
    SeedEvaluation.Result r = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 2).withLshTrials(3)
        .run(songs, p -> { });
    assertThat(r.songs()).isEqualTo(Corpus.TEMPI.length);
    assertThat(r.skippedSongs()).containsExactly(shortSong.toString());
    // LSH side by side: every answer complete, precision as exact in every trial, recall of exact top-k
    assertThat(r.lsh().trials()).isEqualTo(3);
    assertThat(r.lsh().emptyResults()).isZero();
    assertThat(r.lsh().precisionMin()).isEqualTo(1.0);
    assertThat(r.lsh().recallMin()).isEqualTo(1.0);
    // a song's excerpts are the same click pattern: they hash to the query's bucket of the seed's 4-bit table
    assertThat(r.lsh().seedBucketRecall()).isEqualTo(1.0);
    assertThat(r.queries()).isEqualTo(Corpus.TEMPI.length);
    assertThat(r.precisionAtK()).isEqualTo(1.0);
    assertThat(r.looPrecisionAt1()).isEqualTo(1.0);
    assertThat(r.looExcerpts()).isEqualTo(Corpus.TEMPI.length * 4 + 2); // 5,15,25,35 s per song; 5,15 s of the short one
  }

  @Test
  void aCacheOfGridExcerptsIsReusedUntilTheFileChanges() throws Exception {
    List<Path> songs = Corpus.songs(tmp, 40);
    Path cache = tmp.resolve("cache");
    SeedEvaluation fresh = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 2);
    SeedEvaluation cached = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 2).withCache(cache);
    java.util.Map<Path, Object> expected = fresh.songs(songs, p -> { });
    cached.songs(songs, p -> { }); // fills the cache
    try (var entries = java.nio.file.Files.list(cache)) {
      assertThat(entries.filter(f -> f.toString().endsWith(".grid")).count()).isEqualTo(songs.size());
    }
    java.util.Map<Path, Object> again = cached.songs(songs, p -> { });
    for (Path f : songs) {
      assertSameSong((Song) again.get(f), (Song) expected.get(f));
    }
    // the key is path, size and modification time: another song's bytes under the same size and time
    // still read as the cached song (an entry is used, not recomputed) ...
    Path a = songs.get(0);
    Path b = songs.get(1);
    var time = java.nio.file.Files.getLastModifiedTime(a);
    assertThat(java.nio.file.Files.size(a)).isEqualTo(java.nio.file.Files.size(b));
    java.nio.file.Files.copy(b, a, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    java.nio.file.Files.setLastModifiedTime(a, time);
    assertSameSong((Song) cached.songs(List.of(a), p -> { }).get(a), (Song) expected.get(a));
    // ... and a new modification time misses and extracts the new content
    java.nio.file.Files.setLastModifiedTime(a, java.nio.file.attribute.FileTime.fromMillis(time.toMillis() + 5000));
    Song changed = (Song) cached.songs(List.of(a), p -> { }).get(a);
    assertThat(changed.vectors().get(0)).containsExactly(((Song) expected.get(b)).vectors().get(0));
    // a damaged entry is a miss, replaced by a good one
    try (var entries = java.nio.file.Files.list(cache)) {
      for (Path e : entries.toList()) {
        java.nio.file.Files.write(e, new byte[] {1, 2, 3});
      }
    }
    assertSameSong((Song) cached.songs(List.of(b), p -> { }).get(b), (Song) expected.get(b));
    assertSameSong((Song) cached.songs(List.of(b), p -> { }).get(b), (Song) expected.get(b));
  }

  private static void assertSameSong(Song actual, Song expected) {
    assertThat(actual.vectors()).hasSameSizeAs(expected.vectors());
    for (int i = 0; i < expected.vectors().size(); i++) {
      assertThat(actual.vectors().get(i)).containsExactly(expected.vectors().get(i));
    }
    assertThat(actual.tempi()).isEqualTo(expected.tempi());
    assertThat(actual.audioSeconds()).isEqualTo(expected.audioSeconds());
  }

  @Test
  void undecodableFilesAreCountedNotFatal() throws Exception {
    List<Path> songs = new ArrayList<>(Corpus.songs(tmp, 40));
    Path junk = java.nio.file.Files.writeString(tmp.resolve("junk.mp3"), "not audio");
    songs.add(junk);
    SeedEvaluation.Result r = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 1).run(songs, p -> { });
    assertThat(r.failedFiles()).hasSize(1).first().asString().startsWith(junk.toString());
    assertThat(r.songs()).isEqualTo(Corpus.TEMPI.length);
  }

  @Test
  void groupedFiguresArePerGroupAndTheirMeanCountsEachGroupOnce() {
    int dim = FeatureConfigs.DEFAULT.dimension();
    // group a: three songs, each on its own axis (all its excerpts equal): every retrieval right.
    // group b: two songs that swap vectors between query and targets: b1 = (u, w, w), b2 = (w, u, u),
    // so each query finds the other song's targets.
    List<Song> songs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      songs.add(song("a" + i, axis(dim, i), axis(dim, i), axis(dim, i)));
    }
    songs.add(song("b1", axis(dim, 7), axis(dim, 8), axis(dim, 8)));
    songs.add(song("b2", axis(dim, 8), axis(dim, 7), axis(dim, 7)));
    SeedEvaluation.Result r = new SeedEvaluation(FeatureConfigs.DEFAULT, 2, Metric.COSINE, 1)
        .evaluate(songs, List.of("a", "a", "a", "b", "b"), List.of(), 0);
    assertThat(r.precisionAtK()).isEqualTo(6 / 10.0);
    List<SeedEvaluation.GroupResult> g = r.byGroup().groups();
    assertThat(g).extracting(SeedEvaluation.GroupResult::group).containsExactly("a", "b");
    assertThat(g.get(0).precisionAtK()).isEqualTo(1.0);
    assertThat(g.get(1).precisionAtK()).isEqualTo(0.0);
    assertThat(r.byGroup().meanPrecisionAtK()).as("each group once, not each query").isEqualTo(0.5);
    // leave-one-out, ties to the lower row: b1's w excerpts find each other (rows before b2's), b1's u
    // finds b2's u rows, b2's w finds b1's w, b2's u finds b1's u: 2 of b's 6 excerpts right
    assertThat(g.get(0).looPrecisionAt1()).isEqualTo(1.0);
    assertThat(g.get(1).looExcerpts()).isEqualTo(6);
    assertThat(g.get(1).looPrecisionAt1()).isEqualTo(2 / 6.0);
    assertThat(r.byGroup().meanLooPrecisionAt1()).isEqualTo((1.0 + 2 / 6.0) / 2);
    assertThat(g).extracting(SeedEvaluation.GroupResult::songs).containsExactly(3, 2);
  }

  @Test
  void aRefittedProjectionJudgesEachGroupWithAFitThatNeverSawIt() {
    int dim = FeatureConfigs.DEFAULT.dimension();
    java.util.Random rnd = new java.util.Random(5);
    List<Song> songs = new ArrayList<>();
    List<String> groups = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      float[] centre = new float[dim];
      for (int j = 0; j < 12; j++) {
        centre[j] = (float) rnd.nextGaussian();
      }
      float[][] ex = new float[4][];
      for (int e = 0; e < 4; e++) {
        ex[e] = centre.clone();
        for (int j = 0; j < 12; j++) {
          ex[e][j] += (float) (0.8 * rnd.nextGaussian());
        }
      }
      songs.add(song("s" + i, ex));
      groups.add(i < 4 ? "a" : "b");
    }
    org.rhythmsearch.features.Projection shipped = ProjectionFit.fit(songs, 3, 0.03);
    org.rhythmsearch.features.FeatureConfig feature = FeatureConfigs.DEFAULT.projected("test-whitened", 1, shipped);
    List<String> folds = new ArrayList<>();
    SeedEvaluation.Result r = new SeedEvaluation(feature, 2, Metric.COSINE, 1)
        .withProjectionRefit(true, folds::add).refitted(songs, groups, List.of(), 0);
    assertThat(folds).containsExactly("a", "b");
    // oracle: each group's figures are those of the plain evaluation under a fit on the other group only
    for (String g : List.of("a", "b")) {
      List<Song> others = new ArrayList<>();
      for (int i = 0; i < songs.size(); i++) {
        if (!groups.get(i).equals(g)) {
          others.add(songs.get(i));
        }
      }
      org.rhythmsearch.features.Projection p = ProjectionFit.fit(others, 3, 0.03);
      assertThat(p).isNotEqualTo(shipped);
      SeedEvaluation.GroupResult expected = new SeedEvaluation(FeatureConfigs.DEFAULT.projected("test-whitened", 1, p), 2,
          Metric.COSINE, 1).evaluate(ProjectionFit.project(songs, p), groups, List.of(), 0).byGroup().groups().stream()
          .filter(x -> x.group().equals(g)).findFirst().orElseThrow();
      assertThat(r.byGroup().groups().stream().filter(x -> x.group().equals(g)).findFirst().orElseThrow())
          .isEqualTo(expected);
    }
    List<SeedEvaluation.GroupResult> held = r.byGroup().groups();
    assertThat(r.queries()).isEqualTo(6);
    assertThat(r.correct()).isEqualTo(held.get(0).correct() + held.get(1).correct());
    assertThat(r.looExcerpts()).isEqualTo(24);
    assertThat(r.byGroup().meanPrecisionAtK()).isEqualTo((held.get(0).precisionAtK() + held.get(1).precisionAtK()) / 2);
    assertThat(r.feature()).contains("refitted");
  }

  private static Song song(String name, float[]... excerpts) {
    return new Song(name, List.of(excerpts), 35);
  }

  private static float[] axis(int dim, int i) {
    float[] v = new float[dim];
    v[i] = 1;
    return v;
  }
}
