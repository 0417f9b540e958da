package org.rhythmsearch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.search.Aggregation;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.search.TempoAlignment;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.testing.Signals;

/**
 * The similarity job in {@code local[2]} (issue 15, points 1 and 4): tracks made from the same drum
 * pattern at the same tempo are each other's nearest neighbours, and the graph agrees with the exact
 * one the library computes (the score {@code query} gives, tempo-aligned by default): recall of the exact
 * top 3, and every listed score equal to the exact one to 1e-6 (issue 24: one similarity); a track's
 * stretched copy is found only through the alignment, and every top-1 is the default query's.
 */
class SimilarJobTest extends LocalSparkTest {

  @TempDir static Path tmp;
  @Test
  void sameTempoTracksAreNeighboursAndTheGraphMatchesTheExactOne() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    double[] tempi = {78, 104, 131, 166};
    List<Path> songs = new ArrayList<>();
    for (int t = 0; t < tempi.length; t++) {
      for (int copy = 0; copy < 2; copy++) {
        songs.add(Signals.drums(music.resolve("t" + (int) tempi[t] + "-" + copy + ".wav"), tempi[t], 34, 10 * t + copy));
      }
    }
    Path list = Files.write(tmp.resolve("files.txt"), songs.stream().map(Path::toString).toList());
    ExtractJob.run(spark, list.toString(), tmp.resolve("x").toString(), FeatureConfigs.DEFAULT);

    int k = 3;
    SimilarPlan params = new SimilarPlan(2, 8, 50, 42);
    SimilarJob.Summary s = SimilarJob.run(spark, tmp.resolve("x").toString(), tmp.resolve("g").toString(), k, params);
    assertThat(s.tracks()).isEqualTo(8);
    assertThat(s.excerpts()).isEqualTo(8 * 3);
    Map<String, List<SimilarJob.Neighbour>> graph = GraphCheck.read(spark, tmp.resolve("g").toString());
    assertThat(graph).hasSize(8);
    for (int i = 0; i < songs.size(); i++) {
      Path partner = songs.get(i ^ 1);
      assertThat(graph.get(songs.get(i).toString()).get(0).track()).as("nearest to %s", songs.get(i))
          .isEqualTo(partner.toString());
    }
    assertThat(Files.readAllLines(tmp.resolve("g/similar.jsonl"))).hasSize(8)
        .allMatch(l -> l.startsWith("{\"track\":\"") && l.contains("\"similar\":[{\"track\":"));

    // the exact graph from the library: the rule query ranks by (mean of each excerpt's best score, aligned)
    Path db = tmp.resolve("exact.db");
    try (VectorStore store = Stores.open(db.toString(), null)) {
      new Indexer(store, 2, 8, null).index(songs, null);
    }
    int hits = 0;
    try (VectorStore store = Stores.openReadOnly(db.toString())) {
      QueryService exact = QueryService.load(store, false);
      QueryOptions o = new QueryOptions(k, Aggregation.MEAN, Metric.COSINE, false, 0, TempoAlignment.DEFAULT);
      for (Path song : songs) {
        QueryResult r = exact.queryTrack(song.toString(), o);
        Set<String> truth = new HashSet<>();
        r.matches().forEach(m -> truth.add(m.track().path()));
        List<SimilarJob.Neighbour> got = graph.get(song.toString());
        for (SimilarJob.Neighbour n : got) {
          hits += truth.contains(n.track()) ? 1 : 0;
          for (QueryResult.Match m : r.matches()) {
            if (m.track().path().equals(n.track())) {
              assertThat(n.score()).as("a listed score is the exact one").isCloseTo(m.score(),
                  org.assertj.core.data.Offset.offset(1e-6));
            }
          }
        }
        assertThat(got.get(0).score()).isCloseTo(r.matches().get(0).score(), org.assertj.core.data.Offset.offset(1e-6));
      }
    }
    double recall = hits / (double) (k * songs.size());
    assertThat(recall).as("recall@%d of the exact graph", k).isGreaterThanOrEqualTo(0.9);
    Map<String, List<SimilarJob.Neighbour>> exactGraph = GraphCheck.exactGraph(spark, tmp.resolve("x").toString(), k);
    assertThat(GraphCheck.recall(graph, exactGraph, k)).isEqualTo(recall);
    assertThat(GraphCheck.recall(exactGraph, exactGraph, k)).isEqualTo(1.0);

    // MLlib's LSH as the candidate generator: the same exact scores for what it finds
    SimilarJob.Summary m = SimilarJob.runMllib(spark, tmp.resolve("x").toString(), tmp.resolve("m").toString(), k, 8,
        2.0, 2.0); // distance 2 between unit vectors: every pair that shares a bucket
    assertThat(m.tracks()).isEqualTo(8);
    Map<String, List<SimilarJob.Neighbour>> viaMllib = GraphCheck.read(spark, tmp.resolve("m").toString());
    for (var e : viaMllib.entrySet()) {
      for (SimilarJob.Neighbour n : e.getValue()) {
        double want = exactGraph.get(e.getKey()).stream().filter(x -> x.track().equals(n.track())).findFirst()
            .map(SimilarJob.Neighbour::score).orElse(n.score()); // outside the exact top k: not checked here
        assertThat(n.score()).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6));
      }
    }
  }

  @Test
  void aStretchedCopyIsFoundThroughTheAlignmentAndEveryTopOneIsTheDefaultQuerys() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("stretched"));
    double[] tempi = {100, 110, 86, 135, 150};
    List<Path> songs = new ArrayList<>();
    for (int t = 0; t < tempi.length; t++) { // one drum pattern (one seed) played at two tempi 10 % apart, and others
      songs.add(Signals.drums(music.resolve("d" + (int) tempi[t] + ".wav"), tempi[t], 34, t < 2 ? 7 : 20 + t));
    }
    Path list = Files.write(tmp.resolve("stretched.txt"), songs.stream().map(Path::toString).toList());
    ExtractJob.run(spark, list.toString(), tmp.resolve("sx").toString(), FeatureConfigs.DEFAULT);
    SimilarPlan params = new SimilarPlan(2, 8, 50, 42);
    SimilarJob.run(spark, tmp.resolve("sx").toString(), tmp.resolve("sg").toString(), 2, params);
    Map<String, List<SimilarJob.Neighbour>> aligned = GraphCheck.read(spark, tmp.resolve("sg").toString());
    SimilarJob.run(spark, tmp.resolve("sx").toString(), tmp.resolve("sp").toString(), 2, params, TempoAlignment.OFF);
    Map<String, List<SimilarJob.Neighbour>> plain = GraphCheck.read(spark, tmp.resolve("sp").toString());
    Path db = tmp.resolve("stretched.db");
    try (VectorStore store = Stores.open(db.toString(), null)) {
      new Indexer(store, 2, 8, null).index(songs, null);
    }
    try (VectorStore store = Stores.openReadOnly(db.toString())) {
      QueryService service = QueryService.load(store, false);
      for (Path song : songs) {
        QueryResult r = service.queryTrack(song.toString(), QueryOptions.defaults());
        assertThat(aligned.get(song.toString()).get(0).track()).as("top-1 of %s", song)
            .isEqualTo(r.matches().get(0).track().path());
        assertThat(aligned.get(song.toString()).get(0).score()).isCloseTo(r.matches().get(0).score(),
            org.assertj.core.data.Offset.offset(1e-6));
      }
    }
    assertThat(aligned.get(songs.get(1).toString()).get(0).track()).as("110 BPM finds its own pattern at 100 BPM")
        .isEqualTo(songs.get(0).toString());
    assertThat(plain.get(songs.get(1).toString()).get(0).score())
        .as("without alignment the copy scores lower").isLessThan(aligned.get(songs.get(1).toString()).get(0).score());
  }
}
