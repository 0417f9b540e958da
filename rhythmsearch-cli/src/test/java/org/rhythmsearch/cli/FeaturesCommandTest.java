package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;
import picocli.CommandLine;

/** The {@code features} command's JSON contract, exit codes and one-line errors. */
class FeaturesCommandTest {

  @TempDir Path tmp;

  record Run(int exit, String out, String err) {}

  static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /** A 12-s 44.1-kHz 16-bit mono WAV of clicks every 0.5 s (120 BPM). */
  Path clickWav() throws Exception {
    int rate = 44100;
    int n = 12 * rate;
    byte[] pcm = new byte[2 * n];
    for (int i = 0; i < n; i++) {
      int m = i % (rate / 2);
      double v = m < 400 ? 0.8 * Math.exp(-m / 80.0) * Math.sin(2 * Math.PI * 1500 * m / rate) : 0;
      short s = (short) Math.round(v * 32767);
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    javax.sound.sampled.AudioFormat f = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
    Path wav = tmp.resolve("click.wav");
    try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm), f, n)) {
      javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, wav.toFile());
    }
    return wav;
  }

  @Test
  void jsonHasTheContractKeys() throws Exception {
    Path wav = clickWav();
    Run r = run("features", wav.toString(), "--hop", "1", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("file").asText()).isEqualTo(wav.toString());
    assertThat(doc.get("feature").asText()).isEqualTo("onset-beat-8");
    assertThat(doc.get("dimension").asInt()).isEqualTo(1080);
    JsonNode excerpts = doc.get("excerpts");
    assertThat(excerpts).hasSize(3); // starts 0, 1, 2 s of a 12-s file
    assertThat(excerpts.get(2).get("startSeconds").asDouble()).isEqualTo(2.0);
    assertThat(excerpts.get(0).get("vector")).hasSize(1080);
    // clicks every 0.5 s: 120 BPM, per excerpt and for the track
    for (JsonNode e : excerpts) {
      assertThat(e.get("tempoBpm").asDouble()).isCloseTo(120.0, org.assertj.core.api.Assertions.within(1.2));
    }
    assertThat(doc.get("tempoBpm").asDouble()).isCloseTo(120.0, org.assertj.core.api.Assertions.within(1.2));
    double ss = 0;
    for (JsonNode v : excerpts.get(0).get("vector")) {
      ss += v.asDouble() * v.asDouble();
    }
    assertThat(ss).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
  }

  @Test
  void seedNotebookFeatureHas127Values() throws Exception {
    Run r = run("features", clickWav().toString(), "--feature", "seed-notebook", "--json");
    assertThat(r.exit()).isZero();
    assertThat(Json.MAPPER.readTree(r.out()).get("dimension").asInt()).isEqualTo(127);
  }

  @Test
  void undecodableFileIsOneLineAndExit1() throws Exception {
    Path junk = Files.writeString(tmp.resolve("junk.ogg"), "not audio at all, just text");
    Run r = run("features", junk.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().strip()).isEqualTo("rhythmsearch: " + junk + ": not a recognised audio file "
        + "(no WAV, AIFF, AU, OGG, Opus, FLAC or MP3 header found)");
  }

  @Test
  void tooShortFileIsExit1WithAReason() throws Exception {
    Path wav = tmp.resolve("short.wav");
    byte[] pcm = new byte[2 * 22050 * 3];
    javax.sound.sampled.AudioFormat f = new javax.sound.sampled.AudioFormat(22050, 16, 1, true, false);
    try (var in = new javax.sound.sampled.AudioInputStream(new java.io.ByteArrayInputStream(pcm), f, pcm.length / 2)) {
      javax.sound.sampled.AudioSystem.write(in, javax.sound.sampled.AudioFileFormat.Type.WAVE, wav.toFile());
    }
    Run r = run("features", wav.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("too short (3.00 s < 10 s excerpt)");
    assertThat(Json.MAPPER.readTree(r.out()).get("excerpts")).isEmpty();
  }

  @Test
  void badOptionsAreUsageErrorsWithExit2() throws Exception {
    Path wav = clickWav();
    assertThat(run("features", wav.toString(), "--feature", "tempo").exit()).isEqualTo(2);
    Run hop = run("features", wav.toString(), "--hop", "-1");
    assertThat(hop.exit()).isEqualTo(2);
    assertThat(hop.err()).contains("--hop must be > 0");
    // a huge hop gives the one excerpt at 0 s, not silent excerpts far past the end (issue 12, finding 11)
    Run huge = run("features", wav.toString(), "--hop", "1e9", "--json");
    assertThat(huge.exit()).as(huge.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(huge.out());
    assertThat(doc.get("excerpts")).hasSize(1);
    assertThat(doc.get("skipped")).isEmpty();
    assertThat(run("features").exit()).isEqualTo(2);
    assertThat(run().exit()).isEqualTo(2);
  }

  @Test
  void benchExtractReportsTheContractKeys() throws Exception {
    Path wav = clickWav();
    Run r = run("bench", "extract", tmp.toString(), "--rounds", "1", "--warmup-files", "0", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("audioSeconds").asDouble()).isCloseTo(12.0, org.assertj.core.api.Assertions.within(1e-6));
    // the ratios are what they say: audio seconds over the CPU seconds of each stage
    assertThat(doc.get("xRealtime").asDouble()).isCloseTo(12.0 / doc.get("cpuSeconds").asDouble(),
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(doc.get("xRealtimeFromPcm").asDouble()).isCloseTo(12.0 / doc.get("featureSeconds").asDouble(),
        org.assertj.core.api.Assertions.within(1e-6));
    assertThat(doc.get("xRealtimeFromPcm").asDouble()).isGreaterThan(doc.get("xRealtime").asDouble());
    assertThat(wav).exists();
  }
}
