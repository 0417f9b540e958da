package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;

/**
 * Issue 12, finding 5: one bad file or path never aborts a batch. Before the fix each of these ended in
 * exit 2 with nothing done (a usage error for a missing path, "sampleRate must be positive" for the WAV).
 */
class BatchRobustnessTest {

  @TempDir Path tmp;

  List<Path> songs(int n) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(CollectionCommandsTest.drums(dir.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 36, i));
    }
    return out;
  }

  /** A WAV whose header gives sample rate 0 (bytes 24–27 of a canonical header). */
  Path zeroRateWav(Path good) throws Exception {
    byte[] b = Files.readAllBytes(good);
    for (int i = 24; i < 28; i++) {
      b[i] = 0;
    }
    return Files.write(tmp.resolve("zero-rate.wav"), b);
  }

  @Test
  void indexSkipsMissingPathsAndBadFilesNamesThemAndIndexesTheRest() throws Exception {
    List<Path> songs = songs(3);
    Path zero = zeroRateWav(songs.get(0));
    Path loop = tmp.resolve("loop");
    Files.createSymbolicLink(loop, loop);
    Path db = tmp.resolve("i.db");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", songs.get(0).toString(), tmp.resolve("gone.ogg").toString(),
        zero.toString(), loop.toString(), songs.get(1).toString(), songs.get(2).toString(), "--index", db.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("added").asInt()).isEqualTo(3);
    assertThat(doc.get("failures")).hasSize(1);
    assertThat(doc.get("failures").get(0).get("reason").asText())
        .isEqualTo(zero + ": truncated or corrupt stream (WAV header gives sample rate 0 Hz and 1 channel(s); a sample rate must lie in 1000–768000 Hz, channels in 1–255)");
    assertThat(r.err()).contains("rhythmsearch: " + tmp.resolve("gone.ogg") + ": no such file or folder\n")
        .contains("rhythmsearch: " + loop + ": no such file or folder (a broken or looping link)\n")
        .doesNotContain("Usage:").doesNotContain("Exception");
  }

  @Test
  void evalSkipsAMissingListedFile() throws Exception {
    List<Path> songs = songs(3);
    List<String> lines = new ArrayList<>();
    songs.forEach(s -> lines.add(s.toString()));
    lines.add(1, tmp.resolve("gone.wav").toString());
    Path list = Files.write(tmp.resolve("list.txt"), lines);
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("eval", "--files-from", list.toString(), "--trials", "0", "--json");
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(r.out()).get("songs").asInt()).isEqualTo(3);
    assertThat(r.err()).contains(tmp.resolve("gone.wav") + ": no such file or folder");
  }
}
