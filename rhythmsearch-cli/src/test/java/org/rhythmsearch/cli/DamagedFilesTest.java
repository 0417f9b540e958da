package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;

/**
 * Issue 12, finding 1 in general: a damaged stream is indexed up to the damage and says so. Before,
 * a file a little short of its declared length, or cut in the middle, was refused whole.
 */
class DamagedFilesTest {

  @TempDir Path tmp;

  Path cut(Path song, double fraction, String name) throws Exception {
    byte[] b = Files.readAllBytes(song);
    return Files.write(tmp.resolve(name), Arrays.copyOf(b, (int) (b.length * fraction)));
  }

  @Test
  void aBadlyTruncatedFileIsIndexedUpToTheDamageAndMarkedAMinorShortfallOnlyWarns() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    Path a = CollectionCommandsTest.drums(dir.resolve("a.wav"), CollectionCommandsTest.TEMPI[0], 40, 1);
    Path b = CollectionCommandsTest.drums(dir.resolve("b.wav"), CollectionCommandsTest.TEMPI[1], 40, 2);
    Path half = cut(a, 0.5, "half.wav"); // 20 of 40 s
    Path nearlyWhole = cut(b, 0.99, "nearly-whole.wav"); // 0.4 s short: minor
    Path db = tmp.resolve("i.db");

    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", half.toString(), nearlyWhole.toString(), "--index",
        db.toString(), "--json");
    assertThat(r.exit()).as("a badly damaged file makes the run exit 1: " + r.err()).isEqualTo(1);
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("added").asInt()).isEqualTo(2);
    assertThat(doc.get("failures")).isEmpty();
    assertThat(doc.get("damaged")).hasSize(1);
    assertThat(doc.get("warnings")).hasSize(1);
    assertThat(r.err()).contains("damaged, indexed up to the damage: " + half + ": decoded 20.00 s of the 40.00 s its "
        + "header declares\n").contains("warning: " + nearlyWhole + ": decoded 39.6").doesNotContain("Exception");

    FeaturesCommandTest.Run info = FeaturesCommandTest.run("info", half.toString(), nearlyWhole.toString(), "--decode");
    assertThat(info.exit()).as(info.err()).isZero();
    assertThat(info.out()).contains(half + "  (damaged: decoded 20.00 s of the 40.00 s its header declares)\n")
        .contains(nearlyWhole + "  (warning: decoded 39.6");

    FeaturesCommandTest.Run q = FeaturesCommandTest.run("query", half.toString(), "--index", db.toString(), "--json");
    assertThat(q.exit()).as(q.err()).isZero();
    assertThat(q.err()).contains("rhythmsearch: warning: " + half + ": damaged, searched with the audio before the damage "
        + "(decoded 20.00 s of the 40.00 s its header declares)");
    assertThat(Json.MAPPER.readTree(q.out()).get("queryDamage").asText()).startsWith("decoded 20.00 s");

    FeaturesCommandTest.Run ls = FeaturesCommandTest.run("ls", "--index", db.toString(), "--json");
    assertThat(ls.exit()).as(ls.err()).isZero();
    JsonNode tracks = Json.MAPPER.readTree(ls.out()).get("tracks");
    for (JsonNode t : tracks) {
      if (t.get("path").asText().equals(half.toString())) {
        assertThat(t.get("excerpts").asInt()).as("19.998 s hold one whole excerpt").isEqualTo(1);
        assertThat(t.get("problem").asText()).isEqualTo("damaged, indexed up to 20.00 s: decoded 20.00 s of the 40.00 s "
            + "its header declares");
      } else {
        assertThat(t.get("excerpts").asInt()).isEqualTo(3);
        assertThat(t.get("problem").isNull()).as("a minor shortfall is not a problem").isTrue();
      }
    }
  }

  @Test
  void aFileWithNothingUsableBeforeTheDamageIsRefused() throws Exception {
    Path a = CollectionCommandsTest.drums(tmp.resolve("a.wav"), CollectionCommandsTest.TEMPI[0], 40, 1);
    Path stub = cut(a, 0.1, "stub.wav"); // 4 of 40 s: no whole excerpt
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", stub.toString(), "--index", tmp.resolve("i.db").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("failed: " + stub + ": nothing usable before the damage (decoded 4.00 s of the 40.00 s");
  }

  @Test
  void maxDurationRefusesALongerTrackByName() throws Exception {
    Path a = CollectionCommandsTest.drums(tmp.resolve("a.wav"), CollectionCommandsTest.TEMPI[0], 40, 1);
    Path b = CollectionCommandsTest.drums(tmp.resolve("b.wav"), CollectionCommandsTest.TEMPI[1], 20, 2);
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", a.toString(), b.toString(), "--max-duration", "30",
        "--index", tmp.resolve("i.db").toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.err()).contains("failed: " + a + ": longer than the maximum track length (it runs past 0:00:30; the "
        + "maximum is 0:00:30 (raise it with --max-duration))").contains("1 added");
    assertThat(FeaturesCommandTest.run("index", a.toString(), "--max-duration", "0", "--index",
        tmp.resolve("i.db").toString()).err()).contains("--max-duration").contains("must be a finite number of seconds > 0");
  }
}
