package org.rhythmsearch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.rhythmsearch.audio.Tags;
import org.rhythmsearch.features.ExcerptVector;
import org.rhythmsearch.features.FeatureConfig;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.index.ApproximateIndex;
import org.rhythmsearch.index.IvfIndex;
import org.rhythmsearch.index.LshIndex;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.index.VectorEncoding;

/**
 * What every {@link VectorStore} must do, in the spirit of Lucene's {@code BaseKnnVectorsFormatTestCase}:
 * an implementation's test extends this class and says how to create and reopen a store at one fresh
 * location per test.
 */
public abstract class VectorStoreContract {

  /** A new, empty store for {@code config} at this test's location, holding its vectors as {@code vectors} (null: the default). */
  protected abstract VectorStore create(FeatureConfig config, VectorEncoding vectors) throws Exception;

  /** A new, empty store for {@code config} at this test's location, its vectors held the default way. */
  protected VectorStore create(FeatureConfig config) throws Exception {
    return create(config, null);
  }

  /** The store at this test's location, opened again with the configuration it was built with. */
  protected abstract VectorStore reopen() throws Exception;

  /** The store at this test's location, opened for writing with {@code config}. */
  protected abstract VectorStore reopen(FeatureConfig config) throws Exception;

  /** A track of {@code excerpts} random vectors; excerpt 1 has no tempo. */
  public static VectorStore.Entry entry(String path, int excerpts, long seed, int dim) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<ExcerptVector> v = new ArrayList<>();
    for (int i = 0; i < excerpts; i++) {
      float[] x = new float[dim];
      for (int j = 0; j < dim; j++) {
        x[j] = (float) rnd.nextGaussian();
      }
      v.add(new ExcerptVector(10.0 * i, x, i == 1 ? Double.NaN : 60 + seed + i + 0.25));
    }
    return new VectorStore.Entry(new TrackRecord(0, path, 1000 + seed, 5000 + seed, "hash" + seed, 10.0 * excerpts + 3.5,
        excerpts, null), v);
  }

  private static final int DIM = FeatureConfigs.DEFAULT.dimension();

  /** {@code v} as a store holding {@code vectors} gives it back: its stored bytes decoded. */
  static float[] held(VectorEncoding vectors, float[] v) {
    return vectors.decode(vectors.encode(v), v.length);
  }

  @Test
  void aNewStoreHoldsInt8CodesAndAnExistingOneRefusesAnotherEncoding() throws Exception {
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      assertThat(s.encoding()).isEqualTo(VectorEncoding.INT8);
      s.write(List.of(entry("/music/a.ogg", 2, 1, DIM)));
    }
    assertThatThrownBy(() -> create(FeatureConfigs.DEFAULT, VectorEncoding.FLOAT32).close())
        .isInstanceOf(StoreException.class).hasMessageContaining("holds its vectors as int8, not float32");
    try (VectorStore s = create(FeatureConfigs.DEFAULT, VectorEncoding.INT8)) {
      assertThat(s.snapshot().vectors().rows()).isEqualTo(2);
    }
  }

  @Test
  void notesAreKeptReplacedAndReadBackAfterReopening() throws Exception {
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      assertThat(s.note("approximate")).isEmpty();
      s.saveNote("approximate", "first");
      s.saveNote("approximate", "{\"recallAt10\": 0.97, \"speedup\": 12.5}");
      s.saveNote("other.note-2", "x");
      s.write(List.of(entry("/music/a.ogg", 2, 1, DIM)));
    }
    try (VectorStore s = reopen()) {
      assertThat(s.note("approximate")).contains("{\"recallAt10\": 0.97, \"speedup\": 12.5}");
      assertThat(s.note("other.note-2")).contains("x");
      assertThat(s.note("none")).isEmpty();
      assertThat(s.snapshot().vectors().rows()).as("notes are not tracks").isEqualTo(2);
      assertThatThrownBy(() -> s.note("bad key")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("key=bad key");
    }
  }

  @ParameterizedTest
  @EnumSource(VectorEncoding.class)
  void roundTripKeepsEveryVectorTempoAndRecordBitForBit(VectorEncoding vectors) throws Exception {
    VectorStore.Entry a = entry("/music/a.ogg", 3, 1, DIM);
    VectorStore.Entry b = entry("/music/b.ogg", 2, 2, DIM);
    VectorStore.Entry silent = new VectorStore.Entry(new TrackRecord(0, "/music/silent.wav", 7, 8, "hashS", 12.5, 0,
        "no excerpt with sound"), List.of());
    try (VectorStore s = create(FeatureConfigs.DEFAULT, vectors)) {
      assertThat(s.snapshot().vectors().rows()).isZero();
      s.write(List.of(a, b));
      s.write(List.of(silent));
    }
    try (VectorStore s = reopen()) {
      assertThat(s.config()).isEqualTo(FeatureConfigs.DEFAULT);
      assertThat(s.encoding()).isEqualTo(vectors);
      Snapshot snap = s.snapshot();
      assertThat(snap.config()).isEqualTo(FeatureConfigs.DEFAULT);
      assertThat(snap.vectors().encoding()).isEqualTo(vectors);
      assertThat(snap.tracks()).extracting(TrackRecord::path).containsExactly("/music/a.ogg", "/music/b.ogg", "/music/silent.wav");
      assertThat(snap.vectors().rows()).isEqualTo(5);
      // what the encoding makes of each vector, bit for bit (float32: the vector itself)
      for (int r = 0; r < 3; r++) {
        assertThat(snap.vectors().row(r)).containsExactly(held(vectors, a.excerpts().get(r).vector()));
      }
      for (int r = 0; r < 2; r++) {
        assertThat(snap.vectors().row(3 + r)).containsExactly(held(vectors, b.excerpts().get(r).vector()));
      }
      assertThat(snap.excerptTrack()).containsExactly(0, 0, 0, 1, 1);
      assertThat(snap.excerptStart()).containsExactly(0f, 10f, 20f, 0f, 10f);
      assertThat(snap.excerptTempo()).containsExactly(61.25f, Float.NaN, 63.25f, 62.25f, Float.NaN);
      TrackRecord rb = s.track("/music/b.ogg").orElseThrow();
      assertThat(rb).usingRecursiveComparison().ignoringFields("id").isEqualTo(b.track());
      assertThat(rb.id()).isEqualTo(snap.tracks().get(1).id());
      assertThat(s.track("/music/silent.wav").orElseThrow().problem()).isEqualTo("no excerpt with sound");
      assertThat(s.track("/music/none.ogg")).isEmpty();
      assertThat(s.tracks()).isEqualTo(snap.tracks());
      // the tempi alone (a listing reads no vector): those of the snapshot, by track, in start order
      java.util.Map<Long, float[]> tempi = s.excerptTempi();
      assertThat(tempi.keySet()).containsExactly(snap.tracks().get(0).id(), snap.tracks().get(1).id());
      assertThat(tempi.get(snap.tracks().get(0).id())).containsExactly(61.25f, Float.NaN, 63.25f);
      assertThat(tempi.get(snap.tracks().get(1).id())).containsExactly(62.25f, Float.NaN);
    }
  }

  @Test
  void tagsAreKeptWithTheirTrackAndATrackWithoutTagsHasNone() throws Exception {
    VectorStore.Entry plain = entry("/music/a.ogg", 1, 1, DIM);
    TrackRecord t = entry("/music/b.ogg", 1, 2, DIM).track();
    Tags tags = new Tags("Chaos Gód", "Muldjord", null);
    VectorStore.Entry tagged = new VectorStore.Entry(new TrackRecord(0, t.path(), t.size(), t.mtimeMillis(), t.hash(),
        t.durationSeconds(), 1, null, tags), entry("/music/b.ogg", 1, 2, DIM).excerpts());
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(List.of(plain, tagged));
    }
    try (VectorStore s = reopen()) {
      assertThat(s.track("/music/b.ogg").orElseThrow().tags()).isEqualTo(tags);
      assertThat(s.track("/music/a.ogg").orElseThrow().tags()).isEqualTo(Tags.NONE);
      assertThat(s.snapshot().tracks()).extracting(TrackRecord::tags).containsExactly(Tags.NONE, tags);
      assertThat(s.check().problems()).as("the tags are covered by the record's checksum").isEmpty();
    }
  }

  @Test
  void rewritingAPathReplacesItsVectorsAndRemoveDeletesThem() throws Exception {
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/a", 3, 1, DIM), entry("/b", 1, 2, DIM)));
      VectorStore.Entry a2 = entry("/a", 1, 7, DIM);
      s.write(List.of(a2));
      Snapshot snap = s.snapshot();
      assertThat(snap.vectors().rows()).isEqualTo(2);
      assertThat(snap.tracks()).extracting(TrackRecord::path).containsExactlyInAnyOrder("/a", "/b");
      assertThat(s.track("/a").orElseThrow().hash()).isEqualTo("hash7");
      int rowOfA = snap.excerptTrack()[0] == snap.tracks().indexOf(s.track("/a").orElseThrow()) ? 0 : 1;
      assertThat(snap.vectors().row(rowOfA)).containsExactly(held(s.encoding(), a2.excerpts().get(0).vector()));
      assertThat(s.remove(List.of("/a", "/nope"))).isEqualTo(1);
      snap = s.snapshot();
      assertThat(snap.tracks()).extracting(TrackRecord::path).containsExactly("/b");
      assertThat(snap.vectors().rows()).isEqualTo(1);
      assertThat(s.track("/a")).isEmpty();
    }
  }

  @Test
  void anotherFeatureConfigurationIsRefusedAndTheStoreKeepsItsOwn() throws Exception {
    try (VectorStore s = create(FeatureConfigs.SEED_NOTEBOOK)) {
      s.write(List.of(entry("/a", 1, 1, FeatureConfigs.SEED_NOTEBOOK.dimension())));
    }
    assertThatThrownBy(() -> reopen(FeatureConfigs.DEFAULT).close())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("index was built with feature seed-notebook@1; this run uses onset-beat-8@1");
    try (VectorStore s = reopen()) {
      assertThat(s.config()).isEqualTo(FeatureConfigs.SEED_NOTEBOOK);
      assertThat(s.tracks()).hasSize(1);
    }
    try (VectorStore s = reopen(FeatureConfigs.SEED_NOTEBOOK)) {
      assertThat(s.snapshot().vectors().dim()).isEqualTo(FeatureConfigs.SEED_NOTEBOOK.dimension());
    }
  }

  @Test
  void aBatchWithAWrongDimensionIsRefusedWhole() throws Exception {
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(List.of(entry("/kept", 2, 3, DIM)));
      assertThatThrownBy(() -> s.write(List.of(entry("/ok", 1, 1, DIM), entry("/bad", 1, 2, 100))))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("dimension 100");
      assertThat(s.tracks()).extracting(TrackRecord::path).containsExactly("/kept");
      assertThat(s.snapshot().vectors().rows()).isEqualTo(2);
    }
  }

  @Test
  void afterAFailedBatchAndAnAbandonedStoreTheCommittedTracksSurviveAndWritingResumes() throws Exception {
    VectorStore abandoned = create(FeatureConfigs.DEFAULT);
    abandoned.write(List.of(entry("/1", 2, 1, DIM), entry("/2", 2, 2, DIM)));
    assertThatThrownBy(() -> abandoned.write(List.of(entry("/3", 2, 3, DIM), entry("/4", 1, 4, 5))))
        .isInstanceOf(StoreException.class);
    // the process "dies" here: the store is never closed
    try (VectorStore s = reopen(FeatureConfigs.DEFAULT)) {
      assertThat(s.tracks()).extracting(TrackRecord::path).containsExactly("/1", "/2");
      s.write(List.of(entry("/3", 2, 3, DIM), entry("/4", 1, 4, DIM)));
      assertThat(s.snapshot().vectors().rows()).isEqualTo(7);
    }
    try {
      abandoned.close();
    } catch (StoreException ignored) {
      // a store may refuse to close late; nothing of it is used
    }
  }

  @Test
  void lshTablesAreStoredWithTheirSeedAnswerIdenticallyAfterReopeningAndGoStaleOnChange() throws Exception {
    List<VectorStore.Entry> entries = new ArrayList<>();
    for (int t = 0; t < 60; t++) {
      entries.add(entry("/t" + t, 5, t, DIM));
    }
    LshIndex.Params params = new LshIndex.Params(6, 4, 12, 50, 777);
    List<LshIndex.Result> before = new ArrayList<>();
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(entries);
      Snapshot snap = s.snapshot();
      assertThat(s.lshIndex(snap)).isEmpty();
      LshIndex lsh = new LshIndex(snap.vectors(), params);
      for (int q = 0; q < 40; q++) {
        before.add(lsh.search(snap.vectors().row(q * 7), 10, Metric.COSINE));
      }
      s.saveLsh(snap, lsh);
    }
    try (VectorStore s = reopen()) {
      Snapshot again = s.snapshot();
      StoredLsh stored = s.loadLsh(again).orElseThrow();
      assertThat(stored.params()).isEqualTo(params);
      LshIndex lsh = s.lshIndex(again).orElseThrow();
      assertThat(lsh.center()).isEqualTo(LshIndex.meanDirection(again.vectors()));
      for (int t = 0; t < params.tables(); t++) {
        assertThat(stored.codes()[t]).containsExactly(lsh.rowCodes(t));
      }
      for (int q = 0; q < 40; q++) {
        assertThat(lsh.search(again.vectors().row(q * 7), 10, Metric.COSINE)).isEqualTo(before.get(q));
      }
      s.write(List.of(entry("/new", 2, 1000, DIM)));
      assertThat(s.lshIndex(s.snapshot())).as("stale after an added track").isEmpty();
      s.remove(List.of("/new"));
      Snapshot removed = s.snapshot();
      s.saveLsh(removed, new LshIndex(removed.vectors(), params));
      s.remove(List.of("/t3"));
      assertThat(s.lshIndex(s.snapshot())).as("stale after a removed track").isEmpty();
    }
  }

  @Test
  void anIvfIndexIsStoredAnswersIdenticallyAfterReopeningGoesStaleOnChangeAndReplacesLsh() throws Exception {
    List<VectorStore.Entry> entries = new ArrayList<>();
    for (int t = 0; t < 60; t++) {
      entries.add(entry("/t" + t, 5, t, DIM));
    }
    IvfIndex.Params params = new IvfIndex.Params(9, 3, 40, 777);
    List<IvfIndex.Result> before = new ArrayList<>();
    try (VectorStore s = create(FeatureConfigs.DEFAULT)) {
      s.write(entries);
      Snapshot snap = s.snapshot();
      assertThat(s.ivfIndex(snap)).isEmpty();
      assertThat(s.approximateIndex(snap)).isEmpty();
      assertThat(s.approximateStored()).isFalse();
      s.saveLsh(snap, new LshIndex(snap.vectors(), new LshIndex.Params(6, 4, 12, 50, 777)));
      IvfIndex ivf = new IvfIndex(snap.vectors(), params);
      for (int q = 0; q < 40; q++) {
        before.add(ivf.search(snap.vectors().row(q * 7), 10));
      }
      s.saveIvf(snap, ivf);
      assertThat(s.lshIndex(snap)).as("the IVF index replaces the LSH tables").isEmpty();
    }
    try (VectorStore s = reopen()) {
      Snapshot again = s.snapshot();
      StoredIvf stored = s.loadIvf(again).orElseThrow();
      assertThat(stored.params()).isEqualTo(params);
      IvfIndex ivf = s.ivfIndex(again).orElseThrow();
      assertThat(s.approximateIndex(again).orElseThrow().kind()).isEqualTo(ApproximateIndex.Kind.IVF);
      for (int q = 0; q < 40; q++) {
        assertThat(ivf.search(again.vectors().row(q * 7), 10)).isEqualTo(before.get(q));
      }
      s.write(List.of(entry("/new", 2, 1000, DIM)));
      assertThat(s.ivfIndex(s.snapshot())).as("stale after an added track").isEmpty();
      assertThat(s.approximateStored()).as("stored, though stale").isTrue();
      s.remove(List.of("/new"));
      assertThat(s.ivfIndex(s.snapshot())).as("the same rows again: current again").isPresent();
      s.remove(List.of("/t3"));
      assertThat(s.ivfIndex(s.snapshot())).as("stale after a removed track").isEmpty();
      Snapshot now = s.snapshot();
      s.saveIvf(now, new IvfIndex(now.vectors(), params));
      s.saveLsh(now, new LshIndex(now.vectors(), new LshIndex.Params(6, 4, 12, 50, 777)));
      assertThat(s.ivfIndex(now)).as("LSH tables replace the IVF index").isEmpty();
      assertThat(s.approximateIndex(now).orElseThrow().kind()).isEqualTo(ApproximateIndex.Kind.LSH);
      assertThat(s.check().ok()).isTrue();
    }
  }
}
