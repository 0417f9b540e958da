package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.search.QueryOptions;
import org.rhythmsearch.search.QueryResult;
import org.rhythmsearch.search.QueryService;
import org.rhythmsearch.store.Snapshot;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.TrackRecord;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.testing.RedisServer;

/**
 * Issue 14, points 3 and 5, with real processes and a real redis-server: two {@code serve} processes
 * answer from one Redis index while an {@code index} process adds tracks and a {@code remove} process
 * deletes some; no answer ever shows a half-written track, both pick up the changes, and afterwards
 * both answer exactly as a fresh SQLite index of the same files. An {@code index} killed with SIGKILL
 * leaves only whole tracks and a re-run finishes the job. A Redis that is not there is exit 2.
 */
class RedisSharingTest {

  @TempDir Path tmp;
  RedisServer redis;
  final List<Process> processes = new ArrayList<>();
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    redis = RedisServer.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly().waitFor();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** 30-s songs: 3 excerpts each, so every whole state of the index holds 3 excerpts per track. */
  List<Path> songs(String folder, int n, int seed) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(folder));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double bpm = CollectionCommandsTest.TEMPI[i % CollectionCommandsTest.TEMPI.length] + 3 * seed + i;
      out.add(CollectionCommandsTest.drums(dir.resolve("song-" + i + ".wav"), bpm, 30, seed * 100L + i));
    }
    return out;
  }

  Process process(String name, String... args) throws Exception {
    Process p = ConcurrencyTest.rhythmsearch(tmp.resolve(name + ".log"), args);
    processes.add(p);
    return p;
  }

  static int freePort() throws Exception {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return Json.MAPPER.readTree(r.body());
  }

  HttpResponse<String> query(int port, long trackId) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"trackId\": " + trackId + ", \"k\": 100}")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int awaitServer(int port, Process p, String log) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as(Files.readString(tmp.resolve(log + ".log"))).isTrue();
      try {
        return get(port, "/api/health").get("tracks").asInt();
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("serve did not start: " + Files.readString(tmp.resolve(log + ".log")));
  }

  @Test
  void twoServersAndAWriterShareOneIndexAndEndLikeAFreshSqliteIndex() throws Exception {
    String index = redis.location("shared");
    List<Path> first = songs("first", 3, 1);
    List<Path> more = songs("more", 8, 2);
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("first").toString(), "--index", index).exit()).isZero();
    int[] ports = {freePort(), freePort()};
    Process[] servers = new Process[2];
    for (int s = 0; s < 2; s++) {
      servers[s] = process("serve" + s, "serve", "--index", index, "--port", Integer.toString(ports[s]), "--watch",
          "0.1", "--score-sample", "0");
    }
    for (int s = 0; s < 2; s++) {
      assertThat(awaitServer(ports[s], servers[s], "serve" + s)).isEqualTo(3);
    }
    long queryId = get(ports[0], "/api/tracks?q=first/song-0").get("tracks").get(0).get("id").asLong();

    Process writer = process("writer", "index", tmp.resolve("more").toString(), "--index", index, "--batch", "1",
        "--threads", "1");
    AtomicInteger answers = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    java.util.Set<Integer> states = java.util.concurrent.ConcurrentHashMap.newKeySet();
    java.util.concurrent.atomic.AtomicBoolean writing = new java.util.concurrent.atomic.AtomicBoolean(true);
    List<Thread> readers = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      int port = ports[c % 2];
      Thread t = new Thread(() -> {
        while (writing.get()) {
          try {
            HttpResponse<String> r = query(port, queryId);
            if (r.statusCode() != 200) {
              failures.add(r.statusCode() + " " + r.body());
              continue;
            }
            JsonNode doc = Json.MAPPER.readTree(r.body());
            int tracks = doc.get("tracks").asInt();
            int excerpts = doc.get("excerpts").asInt();
            if (excerpts != 3 * tracks) { // a track without its vectors, or vectors without their track
              failures.add("state of " + tracks + " tracks with " + excerpts + " excerpts");
            }
            if (doc.get("results").size() != tracks - 1) {
              failures.add("ranked " + doc.get("results").size() + " of " + tracks);
            }
            states.add(tracks);
            answers.incrementAndGet();
          } catch (Exception e) {
            failures.add(e.toString());
          }
        }
      });
      t.start();
      readers.add(t);
    }
    assertThat(writer.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(writer.exitValue()).as(Files.readString(tmp.resolve("writer.log"))).isZero();
    Process remover = process("remover", "remove", more.get(1).toString(), more.get(4).toString(), "--index", index);
    assertThat(remover.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(remover.exitValue()).as(Files.readString(tmp.resolve("remover.log"))).isZero();
    int expected = 3 + 8 - 2;
    for (int s = 0; s < 2; s++) { // picked up within the watch interval and a reload
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (get(ports[s], "/api/health").get("tracks").asInt() != expected && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
    }
    Thread.sleep(300);
    writing.set(false);
    for (Thread t : readers) {
      t.join();
    }
    assertThat(failures).as("answers: %d", answers.get()).isEmpty();
    assertThat(answers.get()).isGreaterThan(20);
    assertThat(states).as("states seen while writing").hasSizeGreaterThan(2);

    // a fresh SQLite index of the same files: both servers answer exactly as it does, for every track
    List<Path> kept = new ArrayList<>(first);
    for (int i = 0; i < more.size(); i++) {
      if (i != 1 && i != 4) {
        kept.add(more.get(i));
      }
    }
    Path fresh = tmp.resolve("fresh.db");
    List<String> args = new ArrayList<>(List.of("index"));
    kept.forEach(p -> args.add(p.toString()));
    args.addAll(List.of("--index", fresh.toString()));
    assertThat(FeaturesCommandTest.run(args.toArray(String[]::new)).exit()).isZero();
    try (VectorStore sqlite = Stores.openReadOnly(fresh.toString())) {
      QueryService direct = QueryService.load(sqlite, false);
      QueryOptions all = new QueryOptions(100, QueryOptions.defaults().aggregation(), QueryOptions.defaults().metric(),
          false, 0, QueryOptions.defaults().alignment());
      for (int s = 0; s < 2; s++) {
        JsonNode listing = get(ports[s], "/api/tracks?limit=500");
        assertThat(listing.get("total").asInt()).isEqualTo(expected);
        for (JsonNode t : listing.get("tracks")) {
          QueryResult want = direct.queryTrack(t.get("path").asText(), all);
          JsonNode got = Json.MAPPER.readTree(query(ports[s], t.get("id").asLong()).body()).get("results");
          assertThat(got).hasSize(want.matches().size());
          for (int i = 0; i < got.size(); i++) {
            assertThat(got.get(i).get("track").asText()).isEqualTo(want.matches().get(i).track().path());
            assertThat(got.get(i).get("score").asDouble()).isEqualTo(want.matches().get(i).score());
          }
        }
      }
    }
  }

  @Test
  void anIndexRunKilledWithSigkillLeavesWholeTracksAndARerunFinishes() throws Exception {
    String index = redis.location("killed");
    songs("many", 12, 3);
    Process writer = process("killed", "index", tmp.resolve("many").toString(), "--index", index, "--batch", "1",
        "--threads", "1");
    long deadline = System.nanoTime() + 120_000_000_000L;
    int stored = 0;
    while (System.nanoTime() < deadline && writer.isAlive()) {
      try (VectorStore s = Stores.openReadOnly(index)) {
        stored = s.tracks().size();
      } catch (org.rhythmsearch.store.StoreException e) {
        stored = 0; // not created yet
      }
      if (stored >= 3) {
        break;
      }
      Thread.sleep(20);
    }
    writer.destroyForcibly().waitFor(); // SIGKILL, in the middle of the run
    try (VectorStore s = Stores.openReadOnly(index)) {
      Snapshot snap = s.snapshot(); // whole tracks only, or this throws
      assertThat(snap.vectors().rows()).isEqualTo(3 * snap.tracks().size());
      assertThat(snap.tracks().size()).isBetween(3, 11);
      assertThat(s.check().ok()).isTrue();
    }
    FeaturesCommandTest.Run again = FeaturesCommandTest.run("index", tmp.resolve("many").toString(), "--index", index);
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.err()).containsPattern("\\d+ added, 0 updated, \\d+ unchanged, 0 failed");
    try (VectorStore s = Stores.openReadOnly(index)) {
      assertThat(s.tracks()).hasSize(12).extracting(TrackRecord::excerpts).containsOnly(3);
    }
  }

  @Test
  void aRedisThatIsNotThereIsExit2NamingTheAddress() throws Exception {
    String nowhere = "redis://127.0.0.1:" + freePort() + "/x";
    for (String[] cmd : new String[][] {{"query", "--track", "1", "--index", nowhere}, {"ls", "--index", nowhere},
        {"serve", "--index", nowhere, "--port", "0"}}) {
      FeaturesCommandTest.Run r = FeaturesCommandTest.run(cmd);
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).startsWith("rhythmsearch: " + nowhere + ": cannot reach Redis").doesNotContain("Exception");
    }
  }
}
