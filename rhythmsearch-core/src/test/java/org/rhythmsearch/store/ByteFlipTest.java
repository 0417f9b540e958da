package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.ExactIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.Neighbor;

/**
 * Issue 12, finding 2: damage below SQLite never changes an answer silently. One byte of a small index
 * file (tracks, vectors, tempi, LSH tables or IVF index) is changed at each of several hundred offsets spread over
 * the whole file; reading it as {@code query} does must then either refuse (a {@link StoreException},
 * or no current LSH tables, which {@code query --lsh} refuses) or give exactly the undamaged answers.
 * Before the checksums, a flipped byte inside a vector blob changed scores with no error.
 */
class ByteFlipTest {

  @TempDir Path tmp;

  /** What a reader gets from an index: the records, every vector, and exact and LSH answers. */
  record Answers(List<TrackRecord> tracks, float[] starts, float[] tempi, List<List<Neighbor>> exact,
      List<List<Neighbor>> lsh) {}

  static final int QUERIES = 4;

  static Answers read(Path db) throws StoreException {
    try (SqliteStore s = SqliteStore.openReadOnly(db)) {
      Snapshot snap = s.snapshot();
      Optional<ApproximateIndex> lsh = s.approximateIndex(snap);
      if (lsh.isEmpty()) {
        return null; // query --search approximate refuses: "no current approximate index"
      }
      SplittableRandom rnd = new SplittableRandom(5);
      List<List<Neighbor>> exact = new ArrayList<>();
      List<List<Neighbor>> approx = new ArrayList<>();
      for (int q = 0; q < QUERIES; q++) {
        float[] v = new float[snap.vectors().dim()];
        for (int j = 0; j < v.length; j++) {
          v[j] = (float) rnd.nextGaussian();
        }
        exact.add(new ExactIndex(snap.vectors()).search(v, 5, Metric.COSINE, i -> false));
        approx.add(lsh.get().nearest(v, 5, Metric.COSINE));
      }
      return new Answers(s.tracks(), snap.excerptStart(), snap.excerptTempo(), exact, approx);
    }
  }

  @Test
  void aChangedByteAnywhereIsRefusedOrChangesNothing() throws Exception {
    flipEveryWhere(false);
  }

  @Test
  void aChangedByteAnywhereInAnIndexWithAnIvfIndexIsRefusedOrChangesNothing() throws Exception {
    flipEveryWhere(true);
  }

  private void flipEveryWhere(boolean ivf) throws Exception {
    Path db = tmp.resolve("i.db");
    int dim = FeatureConfigs.DEFAULT.dimension();
    try (SqliteStore s = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      List<VectorStore.Entry> entries = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        entries.add(VectorStoreContract.entry("/music/track-" + t + ".ogg", 5, 100 + t, dim));
      }
      s.write(entries);
      Snapshot snap = s.snapshot();
      if (ivf) {
        s.saveIvf(snap, new IvfIndex(snap.vectors(), new IvfIndex.Params(4, 2, 6, 9)));
      } else {
        s.saveLsh(snap, new LshIndex(snap.vectors(), new LshIndex.Params(4, 3, 4, 20, 9)));
      }
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("PRAGMA journal_mode = DELETE"); // one self-contained file
    }
    byte[] clean = Files.readAllBytes(db);
    Answers expected = read(db);
    assertThat(expected).isNotNull();
    try (SqliteStore s = SqliteStore.openReadOnly(db)) {
      assertThat(s.approximateIndex(s.snapshot()).orElseThrow().kind())
          .isEqualTo(ivf ? ApproximateIndex.Kind.IVF : ApproximateIndex.Kind.LSH);
    }

    int refused = 0;
    int same = 0;
    List<String> different = new ArrayList<>();
    Path copy = tmp.resolve("flipped.db");
    int step = Math.max(1, clean.length / 600);
    for (int at = 0; at < clean.length; at += step) {
      byte[] b = clean.clone();
      b[at] ^= (byte) (1 << (at % 8)); // one bit
      Files.write(copy, b);
      Answers got;
      try {
        got = read(copy);
      } catch (StoreException e) {
        refused++;
        continue;
      }
      if (got == null) {
        refused++;
      } else if (got.equals(expected) || sameAnswers(got, expected)) {
        same++;
      } else {
        different.add("offset " + at);
      }
    }
    System.out.printf("ByteFlipTest (" + (ivf ? "IVF" : "LSH") + "): %d one-bit flips over %d bytes: %d refused, %d changed nothing, %d changed an answer%n",
        refused + same + different.size(), clean.length, refused, same, different.size());
    assertThat(different).as("%d flips refused, %d changed nothing", refused, same).isEmpty();
    assertThat(refused).as("flips inside the data are detected").isGreaterThan(50);
  }

  private static boolean sameAnswers(Answers a, Answers b) {
    return a.tracks().equals(b.tracks()) && java.util.Arrays.equals(a.starts(), b.starts())
        && java.util.Arrays.equals(a.tempi(), b.tempi()) && a.exact().equals(b.exact()) && a.lsh().equals(b.lsh());
  }
}
