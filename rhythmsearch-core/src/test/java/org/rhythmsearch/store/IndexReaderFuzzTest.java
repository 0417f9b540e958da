package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;

/**
 * Fuzzes the index reader (Jazzer): a small valid index (3 tracks, LSH tables) is changed the way a
 * damaged or hostile file could be — a vector blob, a meta or LSH meta value, an LSH code blob, a
 * track's counts, an excerpt's start or tempo replaced by fuzzed data, or raw bytes of the file
 * overwritten — and then opened, loaded and searched as {@code query} does. The oracle: either the
 * search answers with finite scores, or one {@link StoreException} is thrown; never another exception.
 * In a normal test run the committed inputs are replayed ({@code IndexReaderFuzzTestInputs/read/}).
 */
class IndexReaderFuzzTest {

  private static final byte[] TEMPLATE = template();
  private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> scratch());

  private static final String[] META_KEYS = {"format", "schemaVersion", "featureId", "featureCanonical", "dimension"};
  private static final String[] LSH_KEYS = {"format", "bits", "tables", "probes", "rerank", "seed", "rows", "center"};

  @FuzzTest(maxDuration = "30s")
  void read(FuzzedDataProvider in) throws Exception {
    Path db = FILE.get();
    Files.write(db, TEMPLATE);
    int edits = in.consumeInt(1, 3);
    for (int i = 0; i < edits; i++) {
      edit(db, in);
    }
    try (VectorStore s = SqliteStore.openExisting(db)) {
      Snapshot snap = s.snapshot();
      if (snap.vectors().rows() == 0) {
        return;
      }
      float[] q = snap.vectors().row(0).clone();
      for (Neighbor n : new ExactIndex(snap.vectors()).search(q, 3, Metric.COSINE, i -> false)) {
        assertThat(Float.isFinite(n.score())).as("exact score").isTrue();
      }
      Optional<LshIndex> lsh = s.lshIndex(snap);
      if (lsh.isPresent()) {
        for (Neighbor n : lsh.get().search(q, 3, Metric.COSINE).neighbors()) {
          assertThat(Float.isFinite(n.score())).as("LSH score").isTrue();
        }
      }
    } catch (StoreException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }

  /** One damage, chosen and filled by the fuzzer. */
  private static void edit(Path db, FuzzedDataProvider in) throws SQLException, IOException {
    int kind = in.consumeInt(0, 6);
    if (kind == 6) { // raw bytes anywhere in the file
      try (RandomAccessFile f = new RandomAccessFile(db.toFile(), "rw")) {
        long at = in.consumeLong(0, f.length() - 1);
        f.seek(at);
        f.write(in.consumeBytes(in.consumeInt(1, 64)));
      }
      return;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      String sql = switch (kind) {
        case 0 -> "UPDATE excerpts SET vector = ? WHERE rowid = " + in.consumeInt(1, 6);
        case 1 -> "UPDATE meta SET value = ? WHERE key = '" + in.pickValue(META_KEYS) + "'";
        case 2 -> "UPDATE lsh_meta SET value = ? WHERE key = '" + in.pickValue(LSH_KEYS) + "'";
        case 3 -> "UPDATE lsh_codes SET codes = ? WHERE rowid = " + in.consumeInt(1, 6);
        case 4 -> "UPDATE tracks SET " + in.pickValue(new String[] {"excerpts", "duration", "size", "problem", "hash"})
            + " = ? WHERE id = " + in.consumeInt(1, 3);
        default -> "UPDATE excerpts SET " + in.pickValue(new String[] {"start", "tempo", "track_id"}) + " = ? WHERE rowid = "
            + in.consumeInt(1, 6);
      };
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        switch (in.consumeInt(0, 3)) {
          case 0 -> ps.setBytes(1, in.consumeBytes(in.consumeInt(0, 2000)));
          case 1 -> ps.setString(1, in.consumeString(64));
          case 2 -> ps.setDouble(1, in.consumeDouble());
          default -> ps.setLong(1, in.consumeLong());
        }
        ps.executeUpdate();
      } catch (SQLException constraint) {
        // the schema refused this edit (NOT NULL, UNIQUE, ...): the file stays as it was
      }
    }
  }

  /** A valid index of 3 tracks × 2 excerpts with LSH tables, as bytes. */
  private static byte[] template() {
    try {
      Path dir = Files.createTempDirectory("rhythmsearch-fuzz-index");
      Path db = dir.resolve("template.db");
      int dim = FeatureConfigs.DEFAULT.dimension();
      try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
        List<VectorStore.Entry> entries = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
          entries.add(VectorStoreContract.entry("/music/t" + t + ".wav", 2, t + 1, dim));
        }
        s.write(entries);
        Snapshot snap = s.snapshot();
        s.saveLsh(snap, new LshIndex(snap.vectors(), new LshIndex.Params(4, 2, 3, 6, 11)));
      }
      // one self-contained file: fold the write-ahead log in
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
        c.createStatement().execute("PRAGMA journal_mode=DELETE");
      }
      byte[] b = Files.readAllBytes(db);
      Files.deleteIfExists(db);
      Files.deleteIfExists(dir);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path scratch() {
    try {
      Path dir = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : Path.of(System.getProperty("java.io.tmpdir"));
      Path d = Files.createTempDirectory(dir, "rhythmsearch-fuzz-index-");
      d.toFile().deleteOnExit();
      return d.resolve("index.db");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
