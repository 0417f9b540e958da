package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;

/** The SQLite index: round trip, refusal of other configurations and versions, corruption. */
class SqliteStoreTest {

  @TempDir Path tmp;

  static SqliteStore.Entry entry(String path, int excerpts, long seed, int dim) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ExcerptVector> v = new java.util.ArrayList<>();
    for (int i = 0; i < excerpts; i++) {
      float[] x = new float[dim];
      for (int j = 0; j < dim; j++) {
        x[j] = (float) rnd.nextGaussian();
      }
      v.add(new ExcerptVector(10.0 * i, x, i == 1 ? Double.NaN : 60 + seed + i)); // excerpt 1: tempo unknown
    }
    return new SqliteStore.Entry(new TrackRecord(0, path, 1000 + seed, 5000 + seed, "hash" + seed, 10.0 * excerpts + 3,
        excerpts, null), v);
  }

  @Test
  void roundTripKeepsEveryVectorBitForBit() throws Exception {
    Path db = tmp.resolve("i.db");
    FeatureConfig c = FeatureConfigs.DEFAULT;
    SqliteStore.Entry a = entry("/music/a.ogg", 3, 1, c.dimension());
    SqliteStore.Entry b = entry("/music/b.ogg", 2, 2, c.dimension());
    try (SqliteStore s = SqliteStore.open(db, c)) {
      s.write(List.of(a, b));
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThat(s.config()).isEqualTo(c);
      Snapshot snap = s.snapshot();
      assertThat(snap.tracks()).extracting(TrackRecord::path).containsExactly("/music/a.ogg", "/music/b.ogg");
      assertThat(snap.vectors().rows()).isEqualTo(5);
      assertThat(snap.vectors().row(0)).containsExactly(a.excerpts().get(0).vector());
      assertThat(snap.vectors().row(4)).containsExactly(b.excerpts().get(1).vector());
      assertThat(snap.excerptTrack()).containsExactly(0, 0, 0, 1, 1);
      assertThat(snap.excerptStart()).containsExactly(0f, 10f, 20f, 0f, 10f);
      assertThat(snap.excerptTempo()).containsExactly(61f, Float.NaN, 63f, 62f, Float.NaN);
      assertThat(s.track("/music/b.ogg")).get().extracting(TrackRecord::hash).isEqualTo("hash2");
    }
  }

  @Test
  void rewritingAPathReplacesItsVectorsAndRemoveDeletesThem() throws Exception {
    Path db = tmp.resolve("i.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 3, 1, dim), entry("/b", 1, 2, dim)));
      s.write(List.of(entry("/a", 1, 7, dim)));
      assertThat(s.snapshot().vectors().rows()).isEqualTo(2);
      assertThat(s.remove(List.of("/a", "/nope"))).isEqualTo(1);
      Snapshot snap = s.snapshot();
      assertThat(snap.tracks()).extracting(TrackRecord::path).containsExactly("/b");
      assertThat(snap.vectors().rows()).isEqualTo(1);
    }
  }

  @Test
  void anotherFeatureConfigurationIsRefused() throws Exception {
    Path db = tmp.resolve("i.db");
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.SEED_NOTEBOOK)) {
      s.write(List.of(entry("/a", 1, 1, 127)));
    }
    assertThatThrownBy(() -> SqliteStore.open(db, FeatureConfigs.DEFAULT))
        .isInstanceOf(StoreException.class)
        .hasMessage(db + ": index was built with feature seed-notebook@1; this run uses onset-beat-8@1 "
            + "(use --feature seed-notebook, or a new index file)");
  }

  @Test
  void aBatchWithAWrongDimensionIsRolledBackWhole() throws Exception {
    Path db = tmp.resolve("i.db");
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      assertThatThrownBy(() -> s.write(List.of(entry("/ok", 1, 1, FeatureConfigs.DEFAULT.dimension()), entry("/bad", 1, 2, 100))))
          .hasMessageContaining("dimension 100");
      assertThat(s.tracks()).isEmpty();
    }
  }

  @Test
  void newerAndOlderSchemaVersionsAreRefusedDistinctly() throws Exception {
    Path db = tmp.resolve("i.db");
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 1, 1, FeatureConfigs.DEFAULT.dimension())));
    }
    setMeta(db, "schemaVersion", "4");
    assertThatThrownBy(() -> SqliteStore.openExisting(db)).hasMessageContaining("newer than this rhythmsearch reads");
    setMeta(db, "schemaVersion", "1"); // version 1 (no LSH tables) is still read
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThat(s.tracks()).hasSize(1);
    }
    setMeta(db, "schemaVersion", "0");
    assertThatThrownBy(() -> SqliteStore.openExisting(db)).hasMessageContaining("older than this rhythmsearch reads");
    setMeta(db, "schemaVersion", "x");
    assertThatThrownBy(() -> SqliteStore.openExisting(db)).hasMessageContaining("corrupt index");
  }

  @Test
  void aVersion2FileIsReadWithoutTempiAndUpgradedByTheNextWrite() throws Exception {
    Path db = tmp.resolve("v2.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 2, 1, dim)));
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      st.execute("ALTER TABLE excerpts DROP COLUMN tempo"); // as version 2 wrote it
    }
    setMeta(db, "schemaVersion", "2");
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThat(s.snapshot().excerptTempo()).containsExactly(Float.NaN, Float.NaN);
      s.write(List.of(entry("/b", 1, 2, dim)));
      Snapshot snap = s.snapshot();
      assertThat(snap.excerptTempo()).as("old rows unknown, the new row's tempo kept").containsExactly(Float.NaN, Float.NaN, 62f);
      assertThat(snap.vectors().rows()).isEqualTo(3);
    }
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
        var rs = st.executeQuery("SELECT value FROM meta WHERE key = 'schemaVersion'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(Integer.toString(SqliteStore.SCHEMA_VERSION));
    }
  }

  @Test
  void foreignFilesAreNotIndexes() throws Exception {
    Path text = Files.writeString(tmp.resolve("notes.db"), "hello, this is not SQLite at all".repeat(50));
    assertThatThrownBy(() -> SqliteStore.openExisting(text)).isInstanceOf(StoreException.class)
        .hasMessageStartingWith(text + ": ");
    Path other = tmp.resolve("other.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE people (name TEXT)");
    }
    assertThatThrownBy(() -> SqliteStore.open(other, FeatureConfigs.DEFAULT)).hasMessageContaining("not a RhythmSearch index");
    assertThatThrownBy(() -> SqliteStore.openExisting(tmp.resolve("missing.db"))).hasMessageContaining("no such index file");
  }

  @Test
  void aTruncatedVectorBlobIsReportedAsCorruption() throws Exception {
    Path db = tmp.resolve("i.db");
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 2, 1, FeatureConfigs.DEFAULT.dimension())));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE excerpts SET vector = substr(vector, 1, 100) WHERE start = 10.0");
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(s::snapshot).hasMessageContaining("corrupt index");
    }
  }

  private static void setMeta(Path db, String key, String value) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var ps = c.prepareStatement("UPDATE meta SET value = ? WHERE key = ?")) {
      ps.setString(1, value);
      ps.setString(2, key);
      ps.executeUpdate();
    }
  }

  @Test
  void lshIsStoredWithItsSeedAndAnswersIdenticallyAfterReopening() throws Exception {
    Path db = tmp.resolve("i.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    List<SqliteStore.Entry> entries = new java.util.ArrayList<>();
    for (int t = 0; t < 60; t++) {
      entries.add(entry("/t" + t, 5, t, dim));
    }
    List<org.rhythmsearch.index.LshIndex.Result> before = new java.util.ArrayList<>();
    Snapshot snap;
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(entries);
      snap = s.snapshot();
      assertThat(s.lshIndex(snap)).isEmpty();
      var lsh = new org.rhythmsearch.index.LshIndex(snap.vectors(), new org.rhythmsearch.index.LshIndex.Params(6, 4, 12, 50, 777));
      for (int q = 0; q < 40; q++) {
        before.add(lsh.search(snap.vectors().row(q * 7), 10, org.rhythmsearch.index.Metric.COSINE));
      }
      s.saveLsh(snap, lsh);
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      Snapshot again = s.snapshot();
      var lsh = s.lshIndex(again).orElseThrow();
      assertThat(lsh.params()).isEqualTo(new org.rhythmsearch.index.LshIndex.Params(6, 4, 12, 50, 777));
      assertThat(lsh.center()).isEqualTo(org.rhythmsearch.index.LshIndex.meanDirection(again.vectors()));
      for (int q = 0; q < 40; q++) {
        assertThat(lsh.search(again.vectors().row(q * 7), 10, org.rhythmsearch.index.Metric.COSINE)).isEqualTo(before.get(q));
      }
      // a track added since makes the stored LSH stale: it is not used
      s.write(List.of(entry("/new", 2, 1000, dim)));
      assertThat(s.lshIndex(s.snapshot())).isEmpty();
    }
  }

  @Test
  void lshCodesThatDoNotMatchTheirSeedAreRefused() throws Exception {
    Path db = tmp.resolve("i.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 20, 1, dim), entry("/b", 20, 2, dim)));
      Snapshot snap = s.snapshot();
      s.saveLsh(snap, new org.rhythmsearch.index.LshIndex(snap.vectors(), new org.rhythmsearch.index.LshIndex.Params(8, 2, 4, 5)));
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE lsh_meta SET value = '6' WHERE key = 'seed'");
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(() -> s.lshIndex(s.snapshot())).isInstanceOf(StoreException.class)
          .hasMessageContaining("do not match the hyperplanes of seed 6");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE lsh_meta SET value = '9' WHERE key = 'format'");
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(() -> s.lshIndex(s.snapshot())).hasMessageContaining("LSH format 9");
    }
  }

  @Test
  void aFormat1LshIsReadWithPlanesThroughTheOriginAndABadCenterIsRefused() throws Exception {
    Path db = tmp.resolve("v1.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    var params = new org.rhythmsearch.index.LshIndex.Params(7, 3, 9, 21);
    List<org.rhythmsearch.index.LshIndex.Result> before = new java.util.ArrayList<>();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 30, 1, dim), entry("/b", 30, 2, dim)));
      Snapshot snap = s.snapshot();
      var origin = org.rhythmsearch.index.LshIndex.throughOrigin(snap.vectors(), params);
      for (int q = 0; q < 20; q++) {
        before.add(origin.search(snap.vectors().row(q * 3), 5, org.rhythmsearch.index.Metric.COSINE));
      }
      s.saveLsh(snap, origin);
    }
    // what a format-1 file holds: no center
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE lsh_meta SET value = '1' WHERE key = 'format'");
      st.execute("DELETE FROM lsh_meta WHERE key = 'center'");
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      Snapshot again = s.snapshot();
      var lsh = s.lshIndex(again).orElseThrow();
      assertThat(lsh.center()).containsOnly(0f);
      for (int q = 0; q < 20; q++) {
        assertThat(lsh.search(again.vectors().row(q * 3), 5, org.rhythmsearch.index.Metric.COSINE)).isEqualTo(before.get(q));
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE lsh_meta SET value = '2' WHERE key = 'format'");
      st.execute("INSERT INTO lsh_meta(key, value) VALUES ('center', 'AAAAAAAAAAA=')"); // 2 floats, not dim
    }
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(() -> s.lshIndex(s.snapshot())).isInstanceOf(StoreException.class)
          .hasMessageContaining("center does not have dimension " + dim);
    }
  }
}
