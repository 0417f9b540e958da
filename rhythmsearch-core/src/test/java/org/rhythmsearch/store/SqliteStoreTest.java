package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.features.FeatureConfigs;

/** The SQLite index: the store contract, plus schema versions, foreign files and corruption. */
class SqliteStoreTest extends VectorStoreContract {

  @TempDir Path tmp;

  @Override
  protected VectorStore create(FeatureConfig config, VectorEncoding vectors) throws Exception {
    return SqliteStore.open(tmp.resolve("contract.db"), config, vectors);
  }

  @Override
  protected VectorStore reopen() throws Exception {
    return SqliteStore.openExisting(tmp.resolve("contract.db"));
  }

  @Override
  protected VectorStore reopen(FeatureConfig config) throws Exception {
    return SqliteStore.open(tmp.resolve("contract.db"), config);
  }

  @Test
  void aMissingDirectoryIsReportedNotCreated() {
    Path db = tmp.resolve("no/such/dir/i.db");
    assertThatThrownBy(() -> SqliteStore.open(db, FeatureConfigs.DEFAULT)).isInstanceOf(StoreException.class)
        .hasMessage(db + ": cannot create the index: directory " + db.getParent() + " does not exist");
    assertThat(tmp.resolve("no")).doesNotExist();
  }

  @Test
  void newerAndOlderSchemaVersionsAreRefusedDistinctly() throws Exception {
    Path db = tmp.resolve("i.db");
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 1, 1, FeatureConfigs.DEFAULT.dimension())));
    }
    setMeta(db, "schemaVersion", Integer.toString(SqliteStore.SCHEMA_VERSION + 1));
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
      st.execute("ALTER TABLE excerpts DROP COLUMN tempo"); // as version 2 wrote it: no tempo, no checksums
      st.execute("ALTER TABLE excerpts DROP COLUMN crc");
      st.execute("ALTER TABLE tracks DROP COLUMN crc");
      dropTagColumns(st);
    }
    setMeta(db, "schemaVersion", "2");
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThat(s.snapshot().excerptTempo()).containsExactly(Float.NaN, Float.NaN);
      s.write(List.of(entry("/b", 1, 2, dim)));
      Snapshot snap = s.snapshot();
      assertThat(snap.excerptTempo()).as("old rows unknown, the new row's tempo kept").containsExactly(Float.NaN, Float.NaN, 62.25f);
      assertThat(snap.vectors().rows()).isEqualTo(3);
    }
    assertThat(schemaVersion(db)).isEqualTo(Integer.toString(SqliteStore.SCHEMA_VERSION));
  }

  @Test
  void aNewFileKeepsEachVectorInDimPlus8BytesOn8KbPages() throws Exception {
    Path db = tmp.resolve("pages.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 3, 1, dim)));
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      try (var rs = st.executeQuery("PRAGMA page_size")) {
        assertThat(rs.getInt(1)).isEqualTo(8192);
      }
      try (var rs = st.executeQuery("SELECT DISTINCT length(vector) FROM excerpts")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(dim + 8);
        assertThat(rs.next()).isFalse();
      }
    }
    assertThat(meta(db, "vectors")).isEqualTo("int8");
    assertThat(schemaVersion(db)).isEqualTo("6");
  }

  /** The schema version the file's meta table records. */
  private static String schemaVersion(Path db) throws java.sql.SQLException {
    return meta(db, "schemaVersion");
  }

  /** The value the file's meta table records under {@code key}. */
  private static String meta(Path db, String key) throws java.sql.SQLException {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var ps = c.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
      ps.setString(1, key);
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        return rs.getString(1);
      }
    }
  }

  private static void dropTagColumns(Statement st) throws java.sql.SQLException {
    for (String c : List.of("title", "artist", "album")) {
      st.execute("ALTER TABLE tracks DROP COLUMN " + c);
    }
  }

  @Test
  void aVersion4FileIsReadWithoutTagsAndUpgradedByTheNextWrite() throws Exception {
    Path db = tmp.resolve("v4.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT, VectorEncoding.FLOAT32)) {
      s.write(List.of(entry("/a", 1, 1, dim)));
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      dropTagColumns(st); // as version 4 wrote it
      st.execute("DELETE FROM meta WHERE key = 'vectors'");
    }
    setMeta(db, "schemaVersion", "4");
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThat(s.tracks()).extracting(TrackRecord::tags).containsExactly(org.rhythmsearch.audio.Tags.NONE);
      TrackRecord t = entry("/b", 1, 2, dim).track();
      var tags = new org.rhythmsearch.audio.Tags("Title", "Artist", "Album");
      s.write(List.of(new VectorStore.Entry(new TrackRecord(0, t.path(), t.size(), t.mtimeMillis(), t.hash(),
          t.durationSeconds(), 1, null, tags), entry("/b", 1, 2, dim).excerpts())));
      assertThat(s.tracks()).extracting(TrackRecord::tags).containsExactly(org.rhythmsearch.audio.Tags.NONE, tags);
      assertThat(s.check().problems()).as("old rows' checksums still hold").isEmpty();
      assertThat(s.encoding()).as("its vectors stay float32").isEqualTo(VectorEncoding.FLOAT32);
      assertThat(s.snapshot().vectors().row(0)).containsExactly(entry("/a", 1, 1, dim).excerpts().get(0).vector());
    }
    assertThat(schemaVersion(db)).isEqualTo("6");
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

  /** A new index file holding {@code entries}. */
  static Path indexWith(Path db, VectorStore.Entry... entries) throws Exception {
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entries));
    }
    return db;
  }

  /** Runs SQL statements on a file directly, as another program (or a damaged disk) would. */
  static void sql(Path db, String... statements) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      for (String q : statements) {
        st.execute(q);
      }
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
          .hasMessage(db + ": damaged LSH tables: they fail their checksum; rebuild them with index --lsh");
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
      st.execute("UPDATE lsh_meta SET value = '2' WHERE key = 'format'"); // format 2 has no checksum: the seed check
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
  void aDamagedIvfIndexIsRefusedReportedByCheckAndDroppedByRepair() throws Exception {
    Path db = tmp.resolve("i.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 20, 1, dim), entry("/b", 20, 2, dim)));
      Snapshot snap = s.snapshot();
      s.saveIvf(snap, new org.rhythmsearch.index.IvfIndex(snap.vectors(), new org.rhythmsearch.index.IvfIndex.Params(6, 2, 10, 3)));
      assertThat(s.check().ok()).isTrue();
    }
    // one byte of the stored value changed, as a damaged disk would (SQLite's own pages stay valid)
    sql(db, "UPDATE ivf SET value = substr(value, 1, 99) || X'FF' || substr(value, 101) WHERE id = 1");
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(() -> s.ivfIndex(s.snapshot())).isInstanceOf(StoreException.class)
          .hasMessage(db + ": damaged IVF index: it fails its checksum; rebuild it with index --ann ivf");
      VectorStore.CheckReport report = s.check();
      assertThat(report.ok()).isFalse();
      assertThat(report.ivfDamaged()).isTrue();
      assertThat(report.lshDamaged()).isFalse();
      assertThat(report.problems()).singleElement().asString().startsWith("IVF index: " + db + ": damaged IVF index");
      assertThat(s.repair(report)).as("no track removed").isZero();
      assertThat(s.check().ok()).isTrue();
      assertThat(s.ivfIndex(s.snapshot())).isEmpty();
      assertThat(s.snapshot().vectors().rows()).isEqualTo(40);
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

  @Test
  void aSnapshotIsConsistentWhileAnotherConnectionWrites() throws Exception {
    int dim = FeatureConfigs.DEFAULT.dimension();
    Path db = indexWith(tmp.resolve("busy.db"), entry("/seed", 3, 1, dim));
    java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicReference<Throwable> writerFailure = new java.util.concurrent.atomic.AtomicReference<>();
    Thread writer = new Thread(() -> {
      try (SqliteStore w = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
        for (int t = 0; !stop.get(); t++) { // tracks come and go: add one, rewrite one, remove one
          w.write(List.of(entry("/t" + t, 1 + t % 4, t, dim), entry("/t" + (t / 2), 2, t + 7, dim)));
          w.remove(List.of("/t" + (t - 3)));
        }
      } catch (Throwable e) {
        writerFailure.set(e);
      }
    });
    writer.start();
    try (SqliteStore r = SqliteStore.openExisting(db)) {
      for (int i = 0; i < 150; i++) {
        Snapshot snap = r.snapshot(); // before: "corrupt index (more excerpts than the tracks table counts)" now and then
        int counted = snap.tracks().stream().mapToInt(TrackRecord::excerpts).sum();
        assertThat(snap.vectors().rows()).isEqualTo(counted);
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writerFailure.get()).isNull();
  }

  @Test
  void anEmptyFileBecomesAnIndexForWritersAndIsLeftUntouchedByReaders() throws Exception {
    Path empty = Files.createFile(tmp.resolve("e.db")); // `touch e.db`, or a crash right after creating the file
    assertThatThrownBy(() -> SqliteStore.openExisting(empty)).isInstanceOf(StoreException.class)
        .hasMessage(empty + ": empty file, nothing indexed yet (run: rhythmsearch index PATH... --index " + empty + ")");
    assertThat(Files.size(empty)).as("a reader wrote nothing").isZero();
    try (VectorStore s = Stores.open(empty.toString(), null)) {
      s.write(List.of(VectorStoreContract.entry("/a", 2, 1, FeatureConfigs.DEFAULT.dimension())));
    }
    try (SqliteStore s = SqliteStore.openExisting(empty)) {
      assertThat(s.tracks()).hasSize(1);
    }
    assertThatThrownBy(() -> SqliteStore.openExisting(tmp)).hasMessage(tmp + ": is a folder, not an index file");
  }

  @Test
  void twoCreatorsOfOneNewIndexBothOpenIt() throws Exception {
    for (int round = 0; round < 10; round++) {
      Path db = tmp.resolve("race-" + round + ".db");
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<Integer>> opened = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
          opened.add(pool.submit(() -> {
            start.await();
            try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
              return s.tracks().size(); // before: one of them died with "table meta already exists"
            }
          }));
        }
        for (var f : opened) {
          assertThat(f.get()).isZero();
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void anotherProgramsSqliteFileIsRefusedAndLeftInItsJournalMode() throws Exception {
    Path other = tmp.resolve("other.db");
    sql(other, "CREATE TABLE people (name TEXT)");
    byte[] before = Files.readAllBytes(other);
    assertThat(before[18]).as("rollback journal (1), not WAL (2)").isEqualTo((byte) 1);
    assertThatThrownBy(() -> SqliteStore.open(other, FeatureConfigs.DEFAULT)).hasMessageContaining("not a RhythmSearch index");
    assertThatThrownBy(() -> SqliteStore.openExisting(other)).hasMessageContaining("not a RhythmSearch index");
    assertThat(Files.readAllBytes(other)).as("the file is unchanged").isEqualTo(before);
  }

  @Test
  void nonFiniteVectorValuesAreNeverStoredAndRefusedOnLoad() throws Exception {
    Path db = tmp.resolve("nan.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    VectorStore.Entry bad = VectorStoreContract.entry("/nan", 2, 1, dim);
    bad.excerpts().get(1).vector()[7] = Float.NaN;
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT, VectorEncoding.FLOAT32)) {
      assertThatThrownBy(() -> s.write(List.of(VectorStoreContract.entry("/ok", 1, 2, dim), bad)))
          .isInstanceOf(StoreException.class).hasMessageContaining("/nan at 10.0 s holds a value that is not a finite number");
      assertThat(s.tracks()).isEmpty();
      s.write(List.of(VectorStoreContract.entry("/ok", 2, 2, dim)));
    }
    // a value turned into infinity on disk (bytes 4..7 of the second excerpt's blob: 0x7f800000)
    sql(db, "UPDATE excerpts SET vector = substr(vector, 1, 4) || x'0000807f' || substr(vector, 9) WHERE start = 10.0");
    try (SqliteStore s = SqliteStore.openExisting(db)) {
      assertThatThrownBy(s::snapshot).isInstanceOf(StoreException.class)
          .hasMessage(db + ": damaged index: the excerpt of /ok at 10.0 s fails its checksum; run: rhythmsearch check "
              + "--index " + db + " --repair");
    }
    // without checksums (a schema-3 file) the value itself is still refused
    sql(db, "ALTER TABLE excerpts DROP COLUMN crc");
    sql(db, "ALTER TABLE tracks DROP COLUMN crc");
    try (SqliteStore s = SqliteStore.openReadOnly(db)) {
      assertThatThrownBy(s::snapshot).isInstanceOf(StoreException.class)
          .hasMessage(db + ": corrupt index (a vector of track /ok at 10.0 s holds a value that is not a finite number; "
              + "re-index that file)");
    }
  }

  @Test
  void anInt8VectorWhoseRangeIsNotFiniteIsRefusedOnLoad() throws Exception {
    Path db = tmp.resolve("nan8.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      assertThat(s.encoding()).isEqualTo(VectorEncoding.INT8);
      s.write(List.of(VectorStoreContract.entry("/ok", 2, 2, dim)));
    }
    // the step (bytes 4..7) of the second excerpt turned into infinity, checksums gone (a schema-3 file)
    sql(db, "UPDATE excerpts SET vector = substr(vector, 1, 4) || x'0000807f' || substr(vector, 9) WHERE start = 10.0");
    sql(db, "ALTER TABLE excerpts DROP COLUMN crc");
    sql(db, "ALTER TABLE tracks DROP COLUMN crc");
    try (SqliteStore s = SqliteStore.openReadOnly(db)) {
      assertThatThrownBy(s::snapshot).isInstanceOf(StoreException.class)
          .hasMessageStartingWith(db + ": corrupt index (a vector of track /ok at 10.0 s has a range that is not finite (mid ")
          .hasMessageEndingWith(", step Infinity); re-index that file)");
    }
  }
}
