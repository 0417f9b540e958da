package org.rhythmsearch.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.FeatureExtractor;
import org.rhythmsearch.features.TrackFeatures;
import org.rhythmsearch.index.Metric;
import org.rhythmsearch.store.SqliteStore;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.testing.Corpus;
import org.rhythmsearch.testing.Signals;

/** Index → query round trips on generated audio; resuming, skipping and updating. */
class IndexerTest {

  @TempDir Path tmp;

  @Test
  void aNewRecordingAtTheSameTempoFindsItsSong() throws Exception {
    List<Path> songs = Corpus.songs(tmp.resolve("songs"), 25);
    Path db = tmp.resolve("i.db");
    try (SqliteStore store = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      Indexer.Summary s = new Indexer(store, 2, 4, null).index(songs, null);
      assertThat(s.added()).isEqualTo(songs.size());
      assertThat(s.failures()).isEmpty();
      TrackSearch search = new TrackSearch(store.snapshot());
      for (int i = 0; i < Corpus.TEMPI.length; i++) {
        // a different performance: other noise seed, other length, same tempo and pattern
        Path q = tmp.resolve("query-" + i + ".wav");
        Signals.writeWav16(q, 22050, Signals.clickTrack(Corpus.TEMPI[i], 21, 22050, i % 2 == 0 ? 0.5 : 0, 999 + i));
        TrackFeatures f = new FeatureExtractor(FeatureConfigs.DEFAULT).track(q, 10);
        List<TrackSearch.Hit> hits = search.query(f, FileHash.sha256(q), 3, Metric.COSINE);
        assertThat(hits.get(0).track().path()).as("query at %s BPM", Corpus.TEMPI[i]).isEqualTo(Indexer.key(songs.get(i)));
      }
      // the query file itself is excluded by content hash
      TrackFeatures self = new FeatureExtractor(FeatureConfigs.DEFAULT).track(songs.get(0), 10);
      assertThat(search.query(self, FileHash.sha256(songs.get(0)), 10, Metric.COSINE))
          .extracting(h -> h.track().path()).doesNotContain(Indexer.key(songs.get(0))).hasSize(songs.size() - 1);
    }
  }

  @Test
  void unchangedFilesAreSkippedAndChangedOnesUpdated() throws Exception {
    List<Path> songs = Corpus.songs(tmp.resolve("songs"), 12);
    Path db = tmp.resolve("i.db");
    AtomicInteger extracted = new AtomicInteger();
    Indexer.Extractor counting = counting(extracted);
    try (SqliteStore store = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      new Indexer(store, 2, 3, counting).index(songs, null);
      assertThat(extracted).hasValue(songs.size());
      Indexer.Summary again = new Indexer(store, 2, 3, counting).index(songs, null);
      assertThat(again.unchanged()).isEqualTo(songs.size());
      assertThat(extracted).hasValue(songs.size());
      // change one file: new content and a new modification time
      Path changed = songs.get(2);
      Signals.writeWav16(changed, 22050, Signals.clickTrack(60, 31, 22050, 0, 1));
      Files.setLastModifiedTime(changed, FileTime.fromMillis(Files.getLastModifiedTime(changed).toMillis() + 5000));
      Indexer.Summary third = new Indexer(store, 2, 3, counting).index(songs, null);
      assertThat(third.updated()).isEqualTo(1);
      assertThat(third.unchanged()).isEqualTo(songs.size() - 1);
      TrackRecord rec = store.track(Indexer.key(changed)).orElseThrow();
      assertThat(rec.durationSeconds()).isEqualTo(31.0);
      assertThat(rec.excerpts()).isEqualTo(3);
      assertThat(store.snapshot().tracks()).hasSize(songs.size());
    }
  }

  @Test
  void aLibraryMovedWithItsIndexInsideKeepsEveryTrackAndMovedFilesAreNotDecodedAgain() throws Exception {
    Path lib = tmp.resolve("lib");
    List<Path> songs = Corpus.songs(lib.resolve("music"), 12);
    Path outside = tmp.resolve("elsewhere/extra.wav");
    Files.createDirectories(outside.getParent());
    Files.copy(Corpus.songs(tmp.resolve("other"), 12).get(0), outside);
    AtomicInteger extracted = new AtomicInteger();
    Indexer.Extractor counting = counting(extracted);
    List<Path> all = new ArrayList<>(songs);
    all.add(outside);
    try (SqliteStore store = SqliteStore.open(lib.resolve("lib.db"), FeatureConfigs.DEFAULT)) {
      new Indexer(store, 2, 3, counting).index(all, null);
    }
    // the folder moves, index inside; the file outside it stays where it was
    Path moved = tmp.resolve("moved");
    Files.move(lib, moved);
    try (SqliteStore store = SqliteStore.openExisting(moved.resolve("lib.db"))) {
      List<String> paths = store.tracks().stream().map(TrackRecord::path).toList();
      for (Path song : songs) {
        Path now = moved.resolve(lib.relativize(song));
        assertThat(paths).contains(Indexer.key(now));
        assertThat(store.track(Indexer.key(now))).isPresent();
      }
      assertThat(paths).contains(Indexer.key(outside));
      assertThat(IndexContents.of(store).missingFiles()).isZero();
      // a file renamed and another copied under a new time: recognised by content, nothing decoded
      Path a = moved.resolve(lib.relativize(songs.get(0)));
      Path renamed = a.resolveSibling("renamed.wav");
      Files.move(a, renamed);
      Path b = moved.resolve(lib.relativize(songs.get(1)));
      Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() + 7000));
      int before = extracted.get();
      List<Path> now = new ArrayList<>();
      for (Path song : songs) {
        now.add(song.equals(songs.get(0)) ? renamed : moved.resolve(lib.relativize(song)));
      }
      long id = store.track(Indexer.key(a)).orElseThrow().id();
      Indexer.Summary s = new Indexer(store, 2, 3, counting).index(now, null);
      assertThat(extracted.get()).as("nothing decoded").isEqualTo(before);
      assertThat(s.relinked()).containsExactlyInAnyOrder(new Indexer.Relinked(Indexer.key(a), Indexer.key(renamed)),
          new Indexer.Relinked(Indexer.key(b), Indexer.key(b)));
      assertThat(store.track(Indexer.key(renamed)).orElseThrow().id()).as("the same track, its excerpts kept").isEqualTo(id);
      assertThat(store.track(Indexer.key(a))).isEmpty();
      assertThat(store.track(Indexer.key(b)).orElseThrow().mtimeMillis()).isEqualTo(Files.getLastModifiedTime(b).toMillis());
      assertThat(store.snapshot().vectors().rows()).isEqualTo(store.tracks().stream().mapToInt(TrackRecord::excerpts).sum());
      assertThat(store.check().problems()).isEmpty();
      // relocate rewrites a prefix: the outside file's folder moved without the index
      Path newOutside = Files.createDirectories(tmp.resolve("elsewhere2")).resolve("extra.wav");
      Files.move(outside, newOutside);
      IndexContents.Relocation r = IndexContents.relocate(store, outside.getParent(), newOutside.getParent());
      assertThat(r.moved()).containsExactly(new Indexer.Relinked(Indexer.key(outside), Indexer.key(newOutside)));
      assertThat(r.missing()).isZero();
      assertThat(IndexContents.of(store).missingFiles()).isZero();
    }
  }

  @Test
  void aCrashMidRunKeepsCommittedBatchesAndTheNextRunResumes() throws Exception {
    List<Path> songs = new ArrayList<>(Corpus.songs(tmp.resolve("songs"), 11));
    Path db = tmp.resolve("i.db");
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    Indexer.Extractor crashesOnFifth = f -> {
      if (f.equals(songs.get(4))) {
        throw new AssertionError("simulated crash while analysing " + f.getFileName()); // an Error: a failing file does not stop a run
      }
      synchronized (fx) {
        return fx.track(f, 10);
      }
    };
    try (SqliteStore store = SqliteStore.open(db, FeatureConfigs.DEFAULT)) {
      assertThatThrownBy(() -> new Indexer(store, 1, 2, crashesOnFifth).index(songs, null))
          .hasMessageContaining("simulated crash");
    }
    try (SqliteStore store = SqliteStore.openExisting(db)) {
      // batches of 2: songs 0-1 and 2-3 were committed; the crash hit the third batch
      assertThat(store.tracks()).extracting(TrackRecord::path)
          .containsExactly(Indexer.key(songs.get(0)), Indexer.key(songs.get(1)), Indexer.key(songs.get(2)),
              Indexer.key(songs.get(3)));
      Indexer.Summary resumed = new Indexer(store).index(songs, null);
      assertThat(resumed.unchanged()).isEqualTo(4);
      assertThat(resumed.added()).isEqualTo(songs.size() - 4);
      assertThat(store.tracks()).hasSize(songs.size());
    }
  }

  @Test
  void badAndShortFilesAreReportedWhileTheRestIsIndexed() throws Exception {
    List<Path> files = new ArrayList<>(Corpus.songs(tmp.resolve("songs"), 11));
    Path junk = Files.writeString(tmp.resolve("junk.ogg"), "no audio here");
    Path shortOne = tmp.resolve("short.wav");
    Signals.writeWav16(shortOne, 22050, Signals.clickTrack(100, 4, 22050, 0, 1));
    files.add(1, junk);
    files.add(shortOne);
    try (SqliteStore store = SqliteStore.open(tmp.resolve("i.db"), FeatureConfigs.DEFAULT)) {
      List<String> statuses = new ArrayList<>();
      Indexer.Summary s = new Indexer(store, 2, 2, null).index(files, (f, status) -> statuses.add(status));
      assertThat(s.failures()).singleElement().satisfies(f -> assertThat(f.reason()).startsWith(junk + ": not a recognised audio file"));
      assertThat(s.noVectors()).singleElement().satisfies(f -> assertThat(f.reason()).startsWith("too short"));
      assertThat(s.added()).as("the short file is counted under noVectors only").isEqualTo(Corpus.TEMPI.length);
      assertThat(store.tracks()).as("but stored, with its reason").hasSize(Corpus.TEMPI.length + 1);
      assertThat(statuses).hasSize(files.size());
      assertThat(store.snapshot().vectors().rows()).isEqualTo(Corpus.TEMPI.length);
    }
  }

  @Test
  void removingTheRootFolderRemovesEveryTrack() throws Exception {
    List<Path> songs = Corpus.songs(tmp.resolve("songs"), 11);
    try (SqliteStore store = SqliteStore.open(tmp.resolve("r.db"), FeatureConfigs.DEFAULT)) {
      new Indexer(store, 2, 4, null).index(songs, null);
      // before: "/" became "//" as a folder prefix and matched nothing
      Indexer.Removal r = Indexer.remove(store, List.of(Path.of("/")));
      assertThat(r.removed()).isEqualTo(songs.size());
      assertThat(r.notFound()).isEmpty();
      assertThat(store.tracks()).isEmpty();
    }
  }

  /** An extractor that counts the files it analyses. */
  private static Indexer.Extractor counting(AtomicInteger extracted) {
    FeatureExtractor fx = new FeatureExtractor(FeatureConfigs.DEFAULT);
    return f -> {
      extracted.incrementAndGet();
      synchronized (fx) {
        return fx.track(f, 10);
      }
    };
  }
}
