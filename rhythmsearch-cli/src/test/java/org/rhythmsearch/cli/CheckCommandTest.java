package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;

/** Issue 12, finding 2: {@code check} finds damage below SQLite, {@code query} refuses it, {@code --repair} mends it. */
class CheckCommandTest {

  @TempDir Path tmp;

  @Test
  void aDamagedVectorIsRefusedByQueryFoundByCheckAndRepairedByRemovingItsTrack() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    Path a = CollectionCommandsTest.drums(dir.resolve("a.wav"), CollectionCommandsTest.TEMPI[0], 30, 1);
    Path b = CollectionCommandsTest.drums(dir.resolve("b.wav"), CollectionCommandsTest.TEMPI[1], 30, 2);
    Path db = tmp.resolve("i.db");
    assertThat(FeaturesCommandTest.run("index", dir.toString(), "--index", db.toString()).exit()).isZero();

    FeaturesCommandTest.Run ok = FeaturesCommandTest.run("check", "--index", db.toString());
    assertThat(ok.exit()).as(ok.err()).isZero();
    assertThat(ok.out()).isEqualTo(db + ": ok: 2 tracks, 6 excerpts; SQLite integrity ok; every checksum matches\n");

    // one byte of b's second vector (b lies under the index's folder: stored relative to it)
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
      c.createStatement().execute("UPDATE excerpts SET vector = substr(vector, 1, 40) || x'7f' || substr(vector, 42) "
          + "WHERE start = 10.0 AND track_id = (SELECT id FROM tracks WHERE path = 'music/b.wav')");
    }
    FeaturesCommandTest.Run q = FeaturesCommandTest.run("query", a.toString(), "--index", db.toString());
    assertThat(q.exit()).isEqualTo(2);
    assertThat(q.err()).isEqualTo("rhythmsearch: " + db + ": damaged index: the excerpt of " + b + " at 10.0 s fails its "
        + "checksum; run: rhythmsearch check --index " + db + " --repair\n");

    FeaturesCommandTest.Run found = FeaturesCommandTest.run("check", "--index", db.toString(), "--json");
    assertThat(found.exit()).isEqualTo(1);
    JsonNode doc = Json.MAPPER.readTree(found.out());
    assertThat(doc.get("ok").asBoolean()).isFalse();
    assertThat(doc.get("damagedTracks")).hasSize(1);
    assertThat(doc.get("damagedTracks").get(0).get("path").asText()).isEqualTo(b.toString());

    FeaturesCommandTest.Run repaired = FeaturesCommandTest.run("check", "--index", db.toString(), "--repair");
    assertThat(repaired.exit()).as(repaired.out()).isZero();
    assertThat(repaired.out()).contains("repaired: removed 1 damaged track(s)")
        .contains("  rhythmsearch index " + b + " --index " + db + "\n").contains("checked again: ok");
    assertThat(FeaturesCommandTest.run("query", a.toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run again = FeaturesCommandTest.run("index", dir.toString(), "--index", db.toString());
    assertThat(again.err()).contains("1 added, 0 updated, 1 unchanged");
  }
}
