package org.rhythmsearch.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.testing.RedisServer;

/**
 * {@code serve} over a Redis index (issue 14): it answers like the library over the same index, and a
 * track that {@code index} adds is picked up through the index's change counter, without a restart.
 */
class RedisServeTest {

  @TempDir Path tmp;

  @Test
  void servesARedisIndexAndPicksUpItsChanges() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String location = redis.location("serve");
      List<Path> songs = TestServer.collection(tmp, 24);
      TestServer.index(location, songs.subList(0, 3));
      try (RhythmServer server = RhythmServer.start(location, TestServer.settings(0.05), line -> {})) {
        assertThat(TestServer.get(server, "/api/health").json().get("tracks").asInt()).isEqualTo(3);
        TestServer.index(location, songs.subList(3, 5));
        awaitTracks(server, 5);
        long id = TestServer.get(server, "/api/tracks?q=song-118").json().get("tracks").get(0).get("id").asLong();
        JsonNode served = TestServer.postJson(server, "/api/query", "{\"trackId\": " + id + "}").json();
        try (VectorStore store = Stores.openReadOnly(location)) {
          var direct = QueryService.load(store, false).queryTrack(Long.toString(id), QueryOptions.defaults());
          assertThat(served.get("results")).hasSize(direct.matches().size()).hasSize(4);
          for (int i = 0; i < direct.matches().size(); i++) {
            assertThat(served.get("results").get(i).get("track").asText())
                .isEqualTo(direct.matches().get(i).track().path());
            assertThat(served.get("results").get(i).get("score").asDouble()).isEqualTo(direct.matches().get(i).score());
          }
        }
        // an excerpt of a track in Redis plays like one in SQLite: the file is reached through its id
        assertThat(TestServer.get(server, "/api/tracks/" + id + "/audio?start=1&seconds=2").type()).isEqualTo("audio/wav");
      }
    }
  }

  @Test
  void whileRedisIsDownQueriesGoOnFromMemoryHealthSays503AndTheServerRecoversByItself() throws Exception {
    try (RedisServer redis = RedisServer.start()) {
      String location = redis.location("restart");
      List<Path> songs = TestServer.collection(tmp, 24);
      TestServer.index(location, songs.subList(0, 3));
      List<String> log = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (RhythmServer server = RhythmServer.start(location, TestServer.settings(0.05), log::add)) {
        long id = TestServer.get(server, "/api/tracks?q=song-75").json().get("tracks").get(0).get("id").asLong();
        redis.stop();
        TestServer.Response health = awaitHealth(server, 503);
        assertThat(health.json().get("status").asText()).isEqualTo("degraded");
        assertThat(health.json().get("error").asText()).contains(location + ": cannot reach Redis");
        assertThat(health.text().strip()).doesNotContain("\n");
        TestServer.Response q = TestServer.postJson(server, "/api/query", "{\"trackId\": " + id + "}");
        assertThat(q.status()).as("answered from the loaded state").isEqualTo(200);
        assertThat(q.json().get("results")).hasSize(2);

        redis.restart(); // same port, same data
        assertThat(awaitHealth(server, 200).json().get("tracks").asInt()).isEqualTo(3);
        TestServer.index(location, songs.subList(3, 5)); // and it follows changes again
        awaitTracks(server, 5);
        assertThat(log).anyMatch(l -> l.startsWith("could not read " + location));
      }
    }
  }

  /** Waits up to 5 s until the server serves {@code n} tracks. */
  private static void awaitTracks(RhythmServer server, int n) throws Exception {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (TestServer.get(server, "/api/health").json().get("tracks").asInt() != n && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(TestServer.get(server, "/api/health").json().get("tracks").asInt()).isEqualTo(n);
  }

  private static TestServer.Response awaitHealth(RhythmServer server, int status) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    TestServer.Response h = TestServer.get(server, "/api/health");
    while (h.status() != status && System.nanoTime() < deadline) {
      Thread.sleep(20);
      h = TestServer.get(server, "/api/health");
    }
    assertThat(h.status()).as(h.text()).isEqualTo(status);
    return h;
  }
}
