package org.rhythmsearch.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.rhythmsearch.http.TestServer.get;
import static org.rhythmsearch.http.TestServer.postFile;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.testing.Signals;

/**
 * Issue 26, points 3 and 5, over HTTP: a track's tags name it in the API (and are searchable), and an
 * upload shorter than one excerpt is queried as a clip, which the answer says.
 */
class NamesAndClipsApiTest {

  @TempDir static Path tmp;
  static RhythmServer server;

  @BeforeAll
  static void start() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    Path tagged = Signals.withInfo(TestServer.drums(music.resolve("a.wav"), 100, 24, 1), "Chaos God", "Muldjord");
    Path plain = TestServer.drums(music.resolve("b.wav"), 140, 24, 2);
    TestServer.index(tmp.resolve("index.db"), List.of(tagged, plain));
    server = RhythmServer.start(tmp.resolve("index.db").toString(), TestServer.settings(0), line -> {});
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void tagsNameATrackAndAreSearchable() throws Exception {
    JsonNode found = get(server, "/api/tracks?q=muldjord").json();
    assertThat(found.get("total").asInt()).as("the name, not only the path, is searched").isEqualTo(1);
    JsonNode t = found.get("tracks").get(0);
    assertThat(t.get("name").asText()).isEqualTo("Muldjord - Chaos God");
    assertThat(t.get("tags").get("title").asText()).isEqualTo("Chaos God");
    assertThat(t.get("tags").get("artist").asText()).isEqualTo("Muldjord");
    assertThat(t.get("tags").has("album")).isFalse();
    JsonNode plain = get(server, "/api/tracks?q=b.wav").json().get("tracks").get(0);
    assertThat(plain.get("name").asText()).isEqualTo("b.wav");
    assertThat(plain.has("tags")).as("no tags, no object").isFalse();
    assertThat(get(server, "/api/tracks/" + t.get("id").asLong()).json().get("tags").get("artist").asText())
        .isEqualTo("Muldjord");
  }

  @Test
  void anUploadShorterThanAnExcerptIsOneClip() throws Exception {
    byte[] clip = Files.readAllBytes(TestServer.drums(tmp.resolve("clip.wav"), 100, 6, 9));
    TestServer.Response r = postFile(server, "/api/query", "clip.wav", clip);
    assertThat(r.status()).isEqualTo(200);
    JsonNode doc = r.json();
    assertThat(doc.get("clipSeconds").asDouble()).isEqualTo(6.0);
    assertThat(doc.get("queryExcerpts").asInt()).isEqualTo(1);
    JsonNode first = doc.get("results").get(0);
    assertThat(first.get("name").asText()).as("the clip's tempo finds the 100-BPM track").isEqualTo("Muldjord - Chaos God");
    assertThat(first.get("tags").get("title").asText()).isEqualTo("Chaos God");
    byte[] tiny = Files.readAllBytes(TestServer.drums(tmp.resolve("tiny.wav"), 100, 3, 9));
    TestServer.Response refused = postFile(server, "/api/query", "tiny.wav", tiny);
    assertThat(refused.status()).isEqualTo(422);
    assertThat(refused.json().get("error").asText()).contains("too short (a query needs 4 s or more)");
  }
}
