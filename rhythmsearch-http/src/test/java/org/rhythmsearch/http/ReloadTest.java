package org.rhythmsearch.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;

/**
 * A server keeps answering, concurrently, while {@code index} adds and {@code remove} deletes tracks:
 * every answer comes from one committed state of the index (never half a batch), the changes are
 * picked up without a restart, and the answers then equal the library's on the final index.
 */
class ReloadTest {

  @TempDir Path tmp;

  @Test
  void queriesDuringWritesSeeOnlyCommittedStatesAndTheLastOneIsPickedUp() throws Exception {
    List<Path> songs = TestServer.collection(tmp, 24);
    Path db = tmp.resolve("index.db");
    TestServer.index(db, songs.subList(0, 2));
    List<Path> more = new ArrayList<>();
    for (int i = 0; i < 6; i++) { // 24 s: 2 excerpts, 34 s: 3 excerpts, ...: each batch changes both counts
      more.add(TestServer.drums(tmp.resolve("music/more-" + i + ".wav"), 80 + 13 * i, 24 + 10 * (i % 3), 100 + i));
    }
    // the committed states, as (tracks, excerpts): written before each commit can be seen
    Set<String> committed = ConcurrentHashMap.newKeySet();
    committed.add(state(db));
    try (RhythmServer server = RhythmServer.start(db.toString(), TestServer.settings(0.05), line -> {})) {
      long queryId = TestServer.get(server, "/api/tracks?q=song-75").json().get("tracks").get(0).get("id").asLong();
      AtomicBoolean writing = new AtomicBoolean(true);
      List<String> seen = new CopyOnWriteArrayList<>();
      List<String> failures = new CopyOnWriteArrayList<>();
      AtomicInteger answers = new AtomicInteger();
      List<Thread> readers = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        Thread t = new Thread(() -> {
          try {
            while (writing.get()) {
              TestServer.Response r = TestServer.postJson(server, "/api/query", "{\"trackId\": " + queryId + ", \"k\": 50}");
              if (r.status() != 200) {
                failures.add(r.status() + " " + r.text());
                continue;
              }
              JsonNode doc = r.json();
              seen.add(doc.get("tracks").asInt() + "/" + doc.get("excerpts").asInt());
              // every ranked track is whole: all the other tracks of that state are ranked
              if (doc.get("results").size() != doc.get("tracks").asInt() - 1) {
                failures.add("ranked " + doc.get("results").size() + " of " + doc.get("tracks").asInt());
              }
              answers.incrementAndGet();
            }
          } catch (Exception e) {
            failures.add(e.toString());
          }
        });
        t.start();
        readers.add(t);
      }
      try (VectorStore store = Stores.open(db.toString(), null)) {
        Indexer indexer = new Indexer(store, 1, 1, null);
        for (Path p : more) {
          committed.add(stateAfter(store, () -> indexer.index(List.of(p), null)));
          Thread.sleep(120);
        }
        committed.add(stateAfter(store, () -> Indexer.remove(store, List.of(more.get(0), more.get(3)))));
        Thread.sleep(120);
        for (Path p : songs.subList(2, 5)) {
          committed.add(stateAfter(store, () -> indexer.index(List.of(p), null)));
        }
      }
      String last = state(db);
      committed.add(last);
      // picked up without a restart (watch every 50 ms)
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (!seen.isEmpty() && !seen.get(seen.size() - 1).equals(last) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(200);
      writing.set(false);
      for (Thread t : readers) {
        t.join();
      }
      assertThat(failures).isEmpty();
      assertThat(answers.get()).isGreaterThan(20);
      // every answer came from a committed state (a track without its excerpts would show as another count)
      for (String s : seen) {
        assertThat(s).isIn(committed);
      }
      assertThat(seen.get(seen.size() - 1)).isEqualTo(last);
      assertThat(Set.copyOf(seen).size()).as("states seen while writing").isGreaterThan(2);

      // the final answer equals the library's on the final index
      JsonNode served = TestServer.postJson(server, "/api/query", "{\"trackId\": " + queryId + ", \"k\": 50}").json();
      try (VectorStore store = Stores.openReadOnly(db.toString())) {
        var direct = QueryService.load(store, false).queryTrack(Long.toString(queryId),
            new QueryOptions(50, org.rhythmsearch.search.Aggregation.MEAN, org.rhythmsearch.index.Metric.COSINE, false,
                0, org.rhythmsearch.search.TempoAlignment.DEFAULT));
        assertThat(served.get("results")).hasSize(direct.matches().size());
        for (int i = 0; i < direct.matches().size(); i++) {
          assertThat(served.get("results").get(i).get("track").asText()).isEqualTo(direct.matches().get(i).track().path());
          assertThat(served.get("results").get(i).get("score").asDouble()).isEqualTo(direct.matches().get(i).score());
        }
      }
    }
  }

  @Test
  void withoutWatchingAReloadIsAskedFor() throws Exception {
    List<Path> songs = TestServer.collection(tmp, 24);
    Path db = tmp.resolve("index.db");
    TestServer.index(db, songs.subList(0, 3));
    try (RhythmServer server = RhythmServer.start(db.toString(), TestServer.settings(0), line -> {})) {
      assertThat(TestServer.get(server, "/api/health").json().get("tracks").asInt()).isEqualTo(3);
      TestServer.index(db, songs.subList(3, 5));
      Thread.sleep(300);
      assertThat(TestServer.get(server, "/api/health").json().get("tracks").asInt()).isEqualTo(3); // not watching
      JsonNode r = TestServer.postJson(server, "/api/reload", "").json();
      assertThat(r.get("reloaded").asBoolean()).isTrue();
      assertThat(r.get("tracks").asInt()).isEqualTo(5);
      assertThat(r.get("version").asInt()).isEqualTo(2);
      assertThat(TestServer.get(server, "/api/health").json().get("tracks").asInt()).isEqualTo(5);
    }
  }

  private interface Write {
    void run() throws Exception;
  }

  /** The state (tracks/excerpts) right after {@code write} commits. */
  private static String stateAfter(VectorStore store, Write write) throws Exception {
    write.run();
    return store.tracks().size() + "/" + store.snapshot().vectors().rows();
  }

  private static String state(Path db) throws Exception {
    try (VectorStore store = Stores.openReadOnly(db.toString())) {
      return store.tracks().size() + "/" + store.snapshot().vectors().rows();
    }
  }
}
