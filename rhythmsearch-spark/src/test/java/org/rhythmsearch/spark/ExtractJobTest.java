package org.rhythmsearch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.search.FileHash;
import org.rhythmsearch.testing.Signals;

/**
 * The extraction job in {@code local[2]} (issue 15, point 1): its Parquet rows are the library's
 * vectors bit for bit, undecodable and too-short files go to the errors table without failing the job,
 * and a re-run skips every file whose hash is already there.
 */
class ExtractJobTest extends LocalSparkTest {

  @TempDir static Path tmp;
  @Test
  void extractsTheLibrarysVectorsRecordsFailuresAndSkipsWhatItHasOnAReRun() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    List<Path> songs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      songs.add(Signals.drums(music.resolve("song-" + i + ".wav"), 90 + 17 * i, 24 + 10 * i, i));
    }
    Path junk = Files.writeString(music.resolve("junk.mp3"), "not audio at all ".repeat(50));
    Path shortOne = Signals.drums(music.resolve("short.wav"), 120, 4, 9);
    Path list = tmp.resolve("files.txt");
    List<String> lines = new ArrayList<>(List.of("# the test corpus", ""));
    songs.forEach(s -> lines.add(s.toString()));
    lines.add(junk.toString());
    lines.add(shortOne.toString());
    lines.add(songs.get(0).toString()); // listed twice: extracted once
    Files.write(list, lines);
    Path out = tmp.resolve("out");

    ExtractJob.Summary s = ExtractJob.run(spark, list.toString(), out.toString(), FeatureConfigs.DEFAULT);
    assertThat(s.files()).isEqualTo(6);
    assertThat(s.errors()).isEqualTo(2);
    assertThat(s.extracted()).isEqualTo(4);
    assertThat(s.skipped()).isZero();
    assertThat(s.audioSeconds()).as("the 4 songs' 24 + 34 + 44 + 54 s").isCloseTo(156.0,
        org.assertj.core.data.Offset.offset(0.5));

    // the oracle: the library on the same files
    Map<String, float[]> expected = new TreeMap<>();
    Map<String, Double> expectedTempo = new TreeMap<>();
    for (Path song : songs) {
      TrackFeatures f = new FeatureExtractor(FeatureConfigs.DEFAULT).track(song, 10);
      for (ExcerptVector x : f.excerpts()) {
        expected.put(song + "@" + x.startSeconds(), x.vector());
        expectedTempo.put(song + "@" + x.startSeconds(), x.tempoBpm());
      }
    }
    assertThat(spark.read().parquet(out.resolve("excerpts").toString()).schema().fieldNames())
        .containsExactly(ExtractJob.EXCERPTS.fieldNames());
    assertThat(spark.read().parquet(out.resolve("errors").toString()).schema().fieldNames())
        .containsExactly(ExtractJob.ERRORS.fieldNames());
    List<Row> rows = spark.read().parquet(out.resolve("excerpts").toString()).collectAsList();
    assertThat(rows).hasSize(expected.size()).hasSize(s.excerpts() > 0 ? (int) s.excerpts() : -1);
    for (Row r : rows) {
      String key = r.getAs("path") + "@" + r.<Double>getAs("start");
      assertThat(expected).containsKey(key);
      float[] got = ParquetVectors.of(r, r.fieldIndex(ParquetVectors.CODE));
      assertThat(r.<byte[]>getAs(ParquetVectors.CODE)).as(key).hasSize(FeatureConfigs.DEFAULT.dimension() + 8);
      assertThat(got).as(key).isEqualTo(org.rhythmsearch.index.VectorEncoding.INT8.held(expected.get(key)));
      assertThat(r.<String>getAs("feature")).isEqualTo(FeatureConfigs.DEFAULT.id());
      assertThat(r.<String>getAs("hash")).isEqualTo(FileHash.sha256(Path.of(r.<String>getAs("path"))));
      Double tempo = r.getAs("tempo");
      assertThat(tempo == null ? Double.NaN : tempo).isEqualTo(expectedTempo.get(key));
    }
    Map<String, String> errors = new TreeMap<>();
    for (Row r : spark.read().parquet(out.resolve("errors").toString()).collectAsList()) {
      errors.put(r.getAs("path"), r.getAs("reason"));
    }
    assertThat(errors).containsOnlyKeys(junk.toString(), shortOne.toString());
    assertThat(errors.get(junk.toString())).contains("not a recognised audio file").contains(junk.toString());
    assertThat(errors.get(shortOne.toString())).startsWith("too short");

    // a re-run with one more file: only that one is extracted
    Path extra = Signals.drums(music.resolve("extra.wav"), 133, 21, 42);
    lines.add(extra.toString());
    Files.write(list, lines);
    ExtractJob.Summary again = ExtractJob.run(spark, list.toString(), out.toString(), FeatureConfigs.DEFAULT);
    assertThat(again.skipped()).isEqualTo(6);
    assertThat(again.extracted()).isEqualTo(1);
    assertThat(again.errors()).isZero();
    assertThat(spark.read().parquet(out.resolve("excerpts").toString()).count()).isEqualTo(expected.size() + 2);
    assertThat(spark.read().parquet(out.resolve("errors").toString()).count()).isEqualTo(2);
  }

  @Test
  void importLoadsTheParquetIntoAnIndexExactlyAsIndexWouldAndIndexThenFindsItUnchanged() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("import-music"));
    List<Path> songs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      songs.add(Signals.drums(music.resolve("s" + i + ".wav"), 100 + 11 * i, 24, 50 + i));
    }
    Path list = Files.write(tmp.resolve("import.txt"), songs.stream().map(Path::toString).toList());
    Path out = tmp.resolve("import-out");
    ExtractJob.run(spark, list.toString(), out.toString(), FeatureConfigs.DEFAULT);

    Path imported = tmp.resolve("imported.db");
    ImportJob.Summary s = ImportJob.run(spark, out.toString(), imported.toString());
    assertThat(s.added()).isEqualTo(3);
    assertThat(ImportJob.run(spark, out.toString(), imported.toString()).unchanged()).isEqualTo(3);
    Path indexed = tmp.resolve("indexed.db");
    try (var store = org.rhythmsearch.store.Stores.open(indexed.toString(), null)) {
      new org.rhythmsearch.search.Indexer(store, 1, 4, null).index(songs, null);
    }
    try (var a = org.rhythmsearch.store.Stores.openReadOnly(imported.toString());
        var b = org.rhythmsearch.store.Stores.openReadOnly(indexed.toString())) {
      var sa = a.snapshot();
      var sb = b.snapshot();
      assertThat(sa.tracks()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
          .isEqualTo(sb.tracks());
      assertThat(sa.vectors().rows()).isEqualTo(sb.vectors().rows());
      for (int r = 0; r < sb.vectors().rows(); r++) {
        // the Parquet's int8 row decoded and held again by the store: equal to a fraction of a float's precision
        assertThat(sa.vectors().row(r)).usingComparatorWithPrecision(1e-6f).containsExactly(sb.vectors().row(r));
        assertThat(sa.excerptTempo()[r]).isEqualTo(sb.excerptTempo()[r]);
      }
    }
    try (var store = org.rhythmsearch.store.Stores.open(imported.toString(), null)) {
      var again = new org.rhythmsearch.search.Indexer(store, 1, 4, null).index(songs, null);
      assertThat(again.unchanged()).as("index finds the imported files unchanged").isEqualTo(3);
    }
    // an index of another feature refuses the import
    Path other = tmp.resolve("other.db");
    org.rhythmsearch.store.Stores.open(other.toString(), FeatureConfigs.SEED_NOTEBOOK).close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ImportJob.run(spark, out.toString(), other.toString()))
        .isInstanceOf(org.rhythmsearch.store.StoreException.class)
        .hasMessageContaining("index was built with feature seed-notebook@1");
  }

  @Test
  void anOutputOfFloat32VectorsKeepsThemOnAReRunAndIsImported() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("old-music"));
    Path first = Signals.drums(music.resolve("first.wav"), 104, 24, 61);
    Path second = Signals.drums(music.resolve("second.wav"), 131, 24, 62);
    // an output as a release before int8 codes wrote it: the library's float32 vectors in column "vector"
    Path out = tmp.resolve("old-out");
    TrackFeatures f = new FeatureExtractor(FeatureConfigs.DEFAULT).track(first, 10);
    List<Row> rows = new ArrayList<>();
    for (ExcerptVector x : f.excerpts()) {
      rows.add(org.apache.spark.sql.RowFactory.create(org.rhythmsearch.search.Indexer.key(first), FileHash.sha256(first),
          Files.size(first), 0L, f.durationSeconds(), x.startSeconds(), FeatureConfigs.DEFAULT.id(),
          ExtractJob.Extract.seq(ExtractJob.Extract.boxed(x.vector())), x.tempoBpm()));
    }
    spark.createDataFrame(rows, ExtractJob.EXCERPTS_FLOAT32).write().parquet(out.resolve("excerpts").toString());
    Path list = Files.write(tmp.resolve("old.txt"), List.of(first.toString(), second.toString()));

    ExtractJob.Summary s = ExtractJob.run(spark, list.toString(), out.toString(), FeatureConfigs.DEFAULT);
    assertThat(s.skipped()).as("the first file's hash is there").isEqualTo(1);
    assertThat(s.extracted()).isEqualTo(1);
    var excerpts = spark.read().parquet(out.resolve("excerpts").toString());
    assertThat(excerpts.columns()).as("the output keeps its layout").contains(ParquetVectors.VECTOR)
        .doesNotContain(ParquetVectors.CODE);
    TrackFeatures g = new FeatureExtractor(FeatureConfigs.DEFAULT).track(second, 10);
    List<Row> added = excerpts.where("path = '" + org.rhythmsearch.search.Indexer.key(second) + "'").orderBy("start")
        .collectAsList();
    assertThat(added).hasSize(g.excerpts().size());
    for (int i = 0; i < added.size(); i++) {
      assertThat(ParquetVectors.of(added.get(i), added.get(i).fieldIndex(ParquetVectors.VECTOR)))
          .isEqualTo(g.excerpts().get(i).vector());
    }
    Path db = tmp.resolve("old-imported.db");
    assertThat(ImportJob.run(spark, out.toString(), db.toString()).added()).isEqualTo(2);
    try (var store = org.rhythmsearch.store.Stores.openReadOnly(db.toString())) {
      var snap = store.snapshot();
      assertThat(snap.vectors().rows()).isEqualTo(f.excerpts().size() + g.excerpts().size());
      int t = 0;
      while (!snap.tracks().get(snap.excerptTrack()[t]).path().equals(org.rhythmsearch.search.Indexer.key(first))) {
        t++;
      }
      assertThat(snap.vectors().row(t)).as("held as a new index holds it").usingComparatorWithPrecision(1e-6f)
          .containsExactly(org.rhythmsearch.index.VectorEncoding.INT8.held(f.excerpts().get(0).vector()));
    }
  }
}
