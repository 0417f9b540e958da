package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.index.VectorEncoding;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.testing.Signals;

/**
 * An index written by the release before compact vectors (commit d9111f4, schema 5, float32 rows:
 * {@code release-d9111f4.db}, made by that build's {@code rhythmsearch index .} over the two files this test
 * writes again) opens unchanged: its vectors are the float32 values the extractor computes to the bit, its
 * rows' bytes are those a float32 index written now has, its answers are a new float32 index's, {@code
 * index} finds its files unchanged, and a write upgrades it to schema 6 keeping float32.
 */
class ReleaseIndexTest {

  @TempDir Path tmp;

  private Path release() throws Exception {
    Path db = tmp.resolve("release.db");
    try (InputStream in = getClass().getResourceAsStream("/org/rhythmsearch/store/release-d9111f4.db")) {
      Files.copy(in, db);
    }
    Signals.drums(tmp.resolve("slow.wav"), 96, 24, 1); // the files it was built from (paths stored relative)
    Signals.drums(tmp.resolve("fast.wav"), 128, 24, 2);
    return db;
  }

  @Test
  void anIndexOfThePreviousReleaseOpensAndAnswersUnchanged() throws Exception {
    Path db = release();
    Path now = tmp.resolve("now").resolve("now.db");
    Files.createDirectories(now.getParent());
    List<Path> files = List.of(tmp.resolve("fast.wav"), tmp.resolve("slow.wav"));
    try (VectorStore fresh = Stores.open(now.toString(), null, VectorEncoding.FLOAT32)) {
      new Indexer(fresh, 1, 4, null).index(files, null);
    }
    try (VectorStore old = Stores.openReadOnly(db.toString()); VectorStore fresh = Stores.openReadOnly(now.toString())) {
      assertThat(old.encoding()).isEqualTo(VectorEncoding.FLOAT32);
      Snapshot s = old.snapshot();
      assertThat(s.vectors().rows()).isEqualTo(4);
      FeatureExtractor extractor = new FeatureExtractor(FeatureConfigs.DEFAULT);
      for (int r = 0; r < s.vectors().rows(); r++) {
        Path file = tmp.resolve(Path.of(s.tracks().get(s.excerptTrack()[r]).path()).getFileName());
        float start = s.excerptStart()[r];
        ExcerptVector x = extractor.track(file, 10).excerpts().stream()
            .filter(e -> (float) e.startSeconds() == start).findFirst().orElseThrow();
        assertThat(s.vectors().row(r)).as("row %d, the extractor's float32 values to the bit", r)
            .containsExactly(x.vector());
      }
      QueryService a = QueryService.load(old, QueryOptions.Search.EXACT);
      QueryService b = QueryService.load(fresh, QueryOptions.Search.EXACT);
      for (Path f : files) {
        assertThat(a.query(f, QueryOptions.defaults()).matches()).extracting(m -> m.score())
            .isEqualTo(b.query(f, QueryOptions.defaults()).matches().stream().map(m -> m.score()).toList());
      }
    }
    java.util.Map<String, byte[]> was = blobs(db);
    java.util.Map<String, byte[]> is = blobs(now);
    assertThat(was.keySet()).isEqualTo(is.keySet()).hasSize(4);
    was.forEach((k, v) -> assertThat(v).as("%s: float32 rows as a float32 index stores them now", k).isEqualTo(is.get(k)));
    try (VectorStore store = Stores.open(db.toString(), null)) {
      Indexer.Summary again = new Indexer(store, 1, 4, null).index(files, null);
      // written again here, so with new times: recognised by their content, nothing analysed again
      assertThat(again.added() + again.updated()).as("its files are recognised").isZero();
      assertThat(again.unchanged() + again.relinked().size()).isEqualTo(2);
      new Indexer(store, 1, 4, null).index(List.of(Signals.drums(tmp.resolve("new.wav"), 110, 24, 3)), null);
      assertThat(store.encoding()).isEqualTo(VectorEncoding.FLOAT32);
    }
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
        var rs = st.executeQuery("SELECT (SELECT value FROM meta WHERE key = 'schemaVersion'), "
            + "(SELECT value FROM meta WHERE key = 'vectors'), (SELECT COUNT(DISTINCT length(vector)) FROM excerpts), "
            + "(SELECT MIN(length(vector)) FROM excerpts)")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo(Integer.toString(SqliteStore.SCHEMA_VERSION));
      assertThat(rs.getString(2)).isEqualTo("float32");
      assertThat(rs.getInt(3)).as("the new track's rows are float32 too").isEqualTo(1);
      assertThat(rs.getInt(4)).isEqualTo(4 * FeatureConfigs.DEFAULT.dimension());
    }
  }

  /** Every excerpt row's vector bytes, by file name and start. */
  private static java.util.Map<String, byte[]> blobs(Path db) throws Exception {
    java.util.Map<String, byte[]> out = new java.util.TreeMap<>();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement();
        var rs = st.executeQuery("SELECT t.path, e.start, e.vector FROM excerpts e JOIN tracks t ON t.id = e.track_id")) {
      while (rs.next()) {
        out.put(Path.of(rs.getString(1)).getFileName() + "@" + rs.getDouble(2), rs.getBytes(3));
      }
    }
    return out;
  }
}
