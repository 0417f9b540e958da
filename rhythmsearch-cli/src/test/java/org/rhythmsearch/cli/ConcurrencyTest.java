package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;

/**
 * Issue 12, point 7: concurrency with real processes. Two {@code index} processes on one (new) index
 * both finish and leave exactly what one process would have written; queries from 8 threads while
 * another process indexes always see whole tracks.
 */
class ConcurrencyTest {

  @TempDir Path tmp;

  List<Path> songs(String folder, int n, int seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(folder));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double bpm = CollectionCommandsTest.TEMPI[i % CollectionCommandsTest.TEMPI.length] + seed;
      out.add(CollectionCommandsTest.drums(dir.resolve("song-" + i + ".wav"), bpm, 30, seed * 100L + i));
    }
    return out;
  }

  /** Starts {@code rhythmsearch ARGS} as a separate JVM on this test's class path. */
  static Process rhythmsearch(Path log, String... args) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-cp",
        System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(Arrays.asList(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  /** Every stored vector by path and start, for comparing two indexes. */
  static Map<String, float[]> vectors(Path db) throws StoreException {
    Map<String, float[]> out = new TreeMap<>();
    try (VectorStore s = Stores.openReadOnly(db.toString())) {
      Snapshot snap = s.snapshot();
      for (int r = 0; r < snap.vectors().rows(); r++) {
        out.put(snap.tracks().get(snap.excerptTrack()[r]).path() + "@" + snap.excerptStart()[r], snap.vectors().row(r));
      }
    }
    return out;
  }

  @Test
  void twoIndexProcessesOnOneNewIndexBothFinishAndLeaveWhatOneWouldHave() throws Exception {
    List<Path> a = songs("a", 5, 1);
    List<Path> b = songs("b", 5, 2);
    Path db = tmp.resolve("shared.db");
    Process p1 = rhythmsearch(tmp.resolve("p1.log"), "index", tmp.resolve("a").toString(), "--index", db.toString(),
        "--batch", "1");
    Process p2 = rhythmsearch(tmp.resolve("p2.log"), "index", tmp.resolve("b").toString(), "--index", db.toString(),
        "--batch", "1");
    assertThat(p1.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p2.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p1.exitValue()).as(Files.readString(tmp.resolve("p1.log"))).isZero();
    assertThat(p2.exitValue()).as(Files.readString(tmp.resolve("p2.log"))).isZero();

    FeaturesCommandTest.Run check = FeaturesCommandTest.run("check", "--index", db.toString());
    assertThat(check.exit()).as(check.out()).isZero();
    Path alone = tmp.resolve("alone.db");
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("a").toString(), tmp.resolve("b").toString(), "--index",
        alone.toString()).exit()).isZero();
    Map<String, float[]> shared = vectors(db);
    Map<String, float[]> expected = vectors(alone);
    assertThat(shared.keySet()).isEqualTo(expected.keySet()).hasSize(30);
    for (String k : expected.keySet()) {
      assertThat(shared.get(k)).as(k).isEqualTo(expected.get(k));
    }
  }

  @Test
  void queriesFrom8ThreadsWhileAnotherProcessIndexesAlwaysSeeWholeTracks() throws Exception {
    List<Path> first = songs("first", 3, 3);
    Path db = tmp.resolve("live.db");
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("first").toString(), "--index", db.toString()).exit()).isZero();
    songs("more", 10, 4);
    Process writer = rhythmsearch(tmp.resolve("writer.log"), "index", tmp.resolve("more").toString(), "--index",
        db.toString(), "--batch", "1", "--threads", "1");

    AtomicInteger queries = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread th = new Thread(() -> {
        while (writer.isAlive() || queries.get() < 16) {
          try (VectorStore s = Stores.openReadOnly(db.toString())) {
            QueryService service = QueryService.load(s, false);
            QueryResult r = service.queryTrack(first.get(0).toString(), QueryOptions.defaults());
            Snapshot snap = service.snapshot();
            int[] rows = new int[snap.tracks().size()];
            for (int x : snap.excerptTrack()) {
              rows[x]++;
            }
            for (int i = 0; i < rows.length; i++) {
              TrackRecord tr = snap.tracks().get(i);
              if (rows[i] != tr.excerpts()) {
                failures.add(tr.path() + ": " + rows[i] + " rows of " + tr.excerpts());
              }
            }
            if (r.matches().isEmpty()) {
              failures.add("no match");
            }
            queries.incrementAndGet();
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      });
      th.start();
      readers.add(th);
    }
    assertThat(writer.waitFor(180, TimeUnit.SECONDS)).isTrue();
    for (Thread th : readers) {
      th.join(60_000);
    }
    assertThat(writer.exitValue()).as(Files.readString(tmp.resolve("writer.log"))).isZero();
    assertThat(failures).as("queries: %d", queries.get()).isEmpty();
    assertThat(queries.get()).isGreaterThanOrEqualTo(16);
    assertThat(vectors(db)).hasSize(39);
    assertThat(FeaturesCommandTest.run("check", "--index", db.toString()).exit()).isZero();
  }
}
