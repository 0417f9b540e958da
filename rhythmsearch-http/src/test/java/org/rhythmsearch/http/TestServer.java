package org.rhythmsearch.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
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
import java.util.SplittableRandom;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.rhythmsearch.search.Indexer;
import org.rhythmsearch.store.StoreException;
import org.rhythmsearch.store.Stores;
import org.rhythmsearch.store.VectorStore;

/** A small generated collection, its index, and an HTTP client for the tests of the service. */
final class TestServer {

  /** Tempi of the generated songs; the query files repeat some of them with other noise. */
  static final double[] TEMPI = {75, 96, 118, 141, 163};

  private TestServer() {}

  /**
   * A drum pattern: accented and unaccented clicks at {@code bpm}, with seeded noise, as 16-bit mono
   * WAV at 22 050 Hz. Patterns at one tempo are each other's nearest neighbours.
   */
  static Path drums(Path file, double bpm, double seconds, long seed) throws IOException {
    int rate = 22050;
    int n = (int) (seconds * rate);
    SplittableRandom rnd = new SplittableRandom(seed);
    byte[] pcm = new byte[2 * n];
    double period = 60.0 / bpm * rate;
    for (int i = 0; i < n; i++) {
      double pos = i % period;
      int beat = (int) (i / period);
      double v = pos < 600 ? (beat % 2 == 0 ? 0.8 : 0.4) * Math.exp(-pos / 120.0)
          * (Math.sin(2 * Math.PI * 1500 * pos / rate) + 0.3 * (rnd.nextDouble() - 0.5))
          : 0.001 * (rnd.nextDouble() - 0.5);
      short s = (short) Math.round(v * 32767);
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    AudioFormat f = new AudioFormat(rate, 16, 1, true, false);
    try (var in = new AudioInputStream(new ByteArrayInputStream(pcm), f, n)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
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
    try (VectorStore store = Stores.open(db.toString(), null)) {
      new Indexer(store, 2, 1, null).index(files, null);
    }
  }

  /** A response: status, content type and body. */
  record Response(int status, String type, byte[] body) {
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
    return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
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
