package org.rhythmsearch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.Vectors;

/**
 * The synthetic growth of issue 15, point 5 ({@link CopiesJob}) and the candidate cap of the similarity
 * job: copies keep their original's lengths and stay nearer their original than any other track, the
 * same seed gives the same rows, and on the grown catalogue the job's graph has the known answer (a
 * track's copies are its nearest tracks) while scoring at most the capped number of pairs.
 */
class CopiesJobTest extends LocalSparkTest {

  static final int DIM = 24;
  static final int TRACKS = 6;
  static final int EXCERPTS = 5;

  @TempDir static Path tmp;

  /**
   * Extract's rows for {@code TRACKS} tracks: far-apart random centres, excerpts spread around them; as an
   * output written before int8 codes holds them (float32 {@code vector}), which every job still reads.
   */
  private static String catalogue() {
    SplittableRandom rnd = new SplittableRandom(7);
    List<Row> rows = new ArrayList<>();
    for (int t = 0; t < TRACKS; t++) {
      float[] centre = new float[DIM];
      for (int i = 0; i < DIM; i++) {
        centre[i] = (float) rnd.nextGaussian();
      }
      for (int e = 0; e < EXCERPTS; e++) {
        float[] v = new float[DIM];
        for (int i = 0; i < DIM; i++) {
          v[i] = (float) (centre[i] + 0.2 * rnd.nextGaussian()) * (1 + t); // lengths differ per track
        }
        rows.add(RowFactory.create("/music/t" + t + ".wav", "h" + t, 1000L, 0L, 60.0, 10.0 * e, "onset-beat-8@1",
            ExtractJob.Extract.seq(ExtractJob.Extract.boxed(v)), 120.0));
      }
    }
    String dir = tmp.resolve("x").toString();
    spark.createDataFrame(rows, ExtractJob.EXCERPTS_FLOAT32).write().mode(SaveMode.Overwrite).parquet(dir + "/excerpts");
    return dir;
  }

  /** path -> its vectors in start order. */
  private static Map<String, List<float[]>> vectors(String dir) {
    Map<String, List<float[]>> out = new TreeMap<>();
    for (Row r : spark.read().parquet(dir + "/excerpts").orderBy("path", "start").collectAsList()) {
      List<Float> v = r.getList(r.fieldIndex("vector"));
      float[] a = new float[v.size()];
      for (int i = 0; i < a.length; i++) {
        a[i] = v.get(i);
      }
      out.computeIfAbsent(r.getString(r.fieldIndex("path")), p -> new ArrayList<>()).add(a);
    }
    return out;
  }

  @Test
  void copiesStayNearTheirOriginalAreSeededAndTheGraphFindsThem() throws Exception {
    String in = catalogue();
    String grown = tmp.resolve("x3").toString();
    CopiesJob.Summary s = CopiesJob.run(spark, in, grown, 2, 1.0, 42);
    assertThat(s.tracks()).isEqualTo(3 * TRACKS);
    assertThat(s.excerpts()).isEqualTo(3L * TRACKS * EXCERPTS);
    Map<String, List<float[]>> v = vectors(grown);
    for (int t = 0; t < TRACKS; t++) {
      List<float[]> original = v.get("/music/t" + t + ".wav");
      for (int c = 1; c <= 2; c++) {
        List<float[]> copy = v.get("/music/t" + t + ".wav#copy" + c);
        assertThat(copy).hasSize(EXCERPTS);
        for (int e = 0; e < EXCERPTS; e++) {
          assertThat(copy.get(e)).isNotEqualTo(original.get(e));
          assertThat(Vectors.norm(copy.get(e))).isCloseTo(Vectors.norm(original.get(e)),
              within(1e-4 * Vectors.norm(original.get(e))));
          double own = Vectors.cosine(copy.get(e), original.get(e));
          for (int u = 0; u < TRACKS; u++) {
            if (u != t) {
              for (float[] other : v.get("/music/t" + u + ".wav")) {
                assertThat(own).as("copy %d of t%d vs t%d", c, t, u).isGreaterThan(Vectors.cosine(copy.get(e), other));
              }
            }
          }
        }
      }
    }
    // the same seed, the same rows; spread 0: exact duplicates
    CopiesJob.run(spark, in, tmp.resolve("again").toString(), 2, 1.0, 42);
    Map<String, List<float[]>> again = vectors(tmp.resolve("again").toString());
    assertThat(again.keySet()).isEqualTo(v.keySet());
    again.forEach((p, list) -> {
      for (int e = 0; e < list.size(); e++) {
        assertThat(list.get(e)).isEqualTo(v.get(p).get(e));
      }
    });
    CopiesJob.run(spark, in, tmp.resolve("still").toString(), 1, 0.0, 42);
    Map<String, List<float[]>> still = vectors(tmp.resolve("still").toString());
    assertThat(still.get("/music/t3.wav#copy1").get(2)).isEqualTo(still.get("/music/t3.wav").get(2));
    assertThatThrownBy(() -> CopiesJob.run(spark, in, tmp.resolve("bad").toString(), -1, 1.0, 1))
        .hasMessageContaining("copies");

    // the graph of the grown catalogue: a track's two nearest are its own original/copies (plain cosine: these
    // made-up 24-value vectors are not lag-indexed descriptors that tempo alignment could rescale)
    SimilarJob.Summary g = SimilarJob.run(spark, grown, tmp.resolve("g").toString(), 2, null,
        org.rhythmsearch.search.TempoAlignment.OFF);
    assertThat(g.tracks()).isEqualTo(3 * TRACKS);
    Map<String, List<SimilarJob.Neighbour>> graph = GraphCheck.read(spark, tmp.resolve("g").toString());
    graph.forEach((track, list) -> {
      String family = track.replaceAll("#copy\\d$", "");
      assertThat(list).hasSize(2).allMatch(n -> n.track().replaceAll("#copy\\d$", "").equals(family));
    });
    // capped: each track keeps 1 partner, so at most one scored pair per track
    SimilarJob.Summary capped = SimilarJob.run(spark, grown, tmp.resolve("c").toString(), 2,
        new SimilarPlan(1, 4, 1, 42), org.rhythmsearch.search.TempoAlignment.OFF);
    assertThat(capped.sharedPairs()).isGreaterThan(capped.candidatePairs());
    assertThat(capped.candidatePairs()).isBetween((long) TRACKS, (long) 3 * TRACKS);
  }

  @Test
  void thePlanGrowsOneBitPerDoublingAndRefusesNonsense() {
    assertThat(SimilarPlan.forSize(16L << 10, 10, 1).bits()).isEqualTo(10);
    assertThat(SimilarPlan.forSize(16L << 11, 10, 1).bits()).isEqualTo(11);
    assertThat(SimilarPlan.forSize(3, 10, 1).bits()).isEqualTo(1);
    // each excerpt hashed with its 10 rescaled copies: buckets of about 2 hashed vectors
    assertThat(SimilarPlan.forSize(15_055, 11, 10, 1).bits()).isEqualTo(16);
    assertThat(SimilarPlan.forSize(3_011, 11, 10, 1).bits()).isEqualTo(14);
    assertThat(SimilarPlan.forSize(16L << 10, 1, 10, 1)).isEqualTo(SimilarPlan.forSize(16L << 10, 10, 1));
    assertThat(SimilarJob.hashedPerExcerpt(new org.rhythmsearch.search.Similarity(
        org.rhythmsearch.features.FeatureConfigs.DEFAULT, org.rhythmsearch.index.Metric.COSINE,
        org.rhythmsearch.search.TempoAlignment.DEFAULT))).isEqualTo(11);
    assertThat(SimilarPlan.forSize(Long.MAX_VALUE, 10, 1).bits()).isEqualTo(24);
    assertThat(SimilarPlan.forSize(1000, 10, 1)).extracting(SimilarPlan::tables, SimilarPlan::candidates)
        .containsExactly(16, 100);
    assertThat(SimilarPlan.forSize(1000, 30, 1).candidates()).isEqualTo(300);
    assertThatThrownBy(() -> new SimilarPlan(1, 1, 0, 1)).hasMessageContaining("candidates");
    assertThatThrownBy(() -> new SimilarPlan(25, 1, 1, 1)).hasMessageContaining("bits");
  }
}
