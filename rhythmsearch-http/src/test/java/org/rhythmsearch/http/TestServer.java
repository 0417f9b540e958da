package org.rhythmsearch.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.json.Json;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;
import org.rhythmsearch.testing.Signals;

/** A small generated collection, its index, and an HTTP client for the tests of the service. */
final class TestServer {

  /** Tempi of the generated songs; the query files repeat some of them with other noise. */
  static final double[] TEMPI = {75, 96, 118, 141, 163};

  private TestServer() {}

  /** {@link Signals#drums}: patterns at one tempo are each other's nearest neighbours. */
  static Path drums(Path file, double bpm, double seconds, long seed) throws IOException {
    return Signals.drums(file, bpm, seconds, seed);
  }

  /** song-TEMPO.wav for each of {@link #TEMPI}, {@code seconds} long, in {@code dir/music}. */
  static List<Path> collection(Path dir, double seconds) throws IOException {
    Path music = Files.createDirectories(dir.resolve("music"));
    List<Path> songs = new ArrayList<>();
    for (int i = 0; i < TEMPI.length; i++) {
      songs.add(drums(music.resolve("song-" + (int) TEMPI[i] + ".wav"), TEMPI[i], seconds, i));
    }
    return songs;
  }

  /** Indexes {@code files} into the SQLite index {@code db} (created when missing). */
  static void index(Path db, List<Path> files) throws StoreException {
    index(db.toString(), files);
  }

  /** Indexes {@code files} into the index at {@code location} (created when missing). */
  static void index(String location, List<Path> files) throws StoreException {
    try (VectorStore store = Stores.open(location, null)) {
      new Indexer(store, 2, 1, null).index(files, null);
    }
  }

  /** A response: status, content type, body and headers. */
  record Response(int status, String type, byte[] body, java.net.http.HttpHeaders headers) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() throws IOException {
      return Json.MAPPER.readTree(body);
    }
  }

  static final HttpClient CLIENT = HttpClient.newHttpClient();

  static Response send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r.headers());
  }

  static Response get(RhythmServer s, String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(s.url() + path)).build());
  }

  static Response postJson(RhythmServer s, String path, String json) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(s.url() + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build());
  }

  /** A multipart/form-data POST with the file {@code name} holding {@code content}, and form fields. */
  static Response postFile(RhythmServer s, String path, String name, byte[] content, String... fields)
      throws IOException, InterruptedException {
    String boundary = "----rhythmsearch-test-boundary";
    var out = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < fields.length; i += 2) {
      out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fields[i] + "\"\r\n\r\n"
          + fields[i + 1] + "\r\n").getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"" + name
        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return send(HttpRequest.newBuilder(URI.create(s.url() + path))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build());
  }

  /** Settings for tests: any free loopback port, a watch of {@code watchSeconds}, a small score sample. */
  static RhythmServer.Settings settings(double watchSeconds) {
    return new RhythmServer.Settings("127.0.0.1", 0, RhythmServer.Settings.DEFAULT_UPLOAD_LIMIT, 60, watchSeconds, 20);
  }
}
