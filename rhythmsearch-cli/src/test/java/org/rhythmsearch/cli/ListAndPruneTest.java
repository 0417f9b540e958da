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

/** Issue 12, finding 3: what an index holds can be listed, stale tracks pruned, duplicates shown and met once. */
class ListAndPruneTest {

  @TempDir Path tmp;

  @Test
  void lsStatsAndPruneShowAndDropWhatIsStale() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    List<Path> songs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      songs.add(CollectionCommandsTest.drums(dir.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 25, i));
    }
    Path copy = Files.copy(songs.get(1), dir.resolve("copy-of-1.wav")); // the same content under a second path
    Path db = tmp.resolve("i.db");
    assertThat(FeaturesCommandTest.run("index", dir.toString(), "--index", db.toString()).exit()).isZero();
    // a query meets the doubled content once: one hit, the other path listed with it
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), CollectionCommandsTest.TEMPI[1], 25, 99);
    JsonNode hits = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    assertThat(hits).hasSize(3);
    List<String> merged = new ArrayList<>();
    merged.add(hits.get(0).get("track").asText());
    hits.get(0).get("samePaths").forEach(p -> merged.add(p.asText()));
    assertThat(merged).containsExactlyInAnyOrder(copy.toAbsolutePath().toString(), songs.get(1).toAbsolutePath().toString());
    Files.delete(songs.get(0));

    FeaturesCommandTest.Run ls = FeaturesCommandTest.run("ls", "--index", db.toString(), "--json");
    assertThat(ls.exit()).as(ls.err()).isZero();
    JsonNode l = Json.MAPPER.readTree(ls.out());
    assertThat(l.get("tracks")).hasSize(4);
    JsonNode first = l.get("tracks").get(0);
    assertThat(first.get("path").asText()).isEqualTo(copy.toAbsolutePath().toString()); // paths sort: copy-… first
    assertThat(first.get("excerpts").asInt()).isEqualTo(2);
    assertThat(first.get("tempoBpm").asDouble()).isCloseTo(CollectionCommandsTest.TEMPI[1],
        org.assertj.core.data.Percentage.withPercentage(2));
    assertThat(l.get("duplicates")).hasSize(1);
    assertThat(l.get("duplicates").get(0)).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(copy.toAbsolutePath().toString(), songs.get(1).toAbsolutePath().toString());
    long gone = 0;
    for (JsonNode t : l.get("tracks")) {
      gone += t.get("fileExists").asBoolean() ? 0 : 1;
    }
    assertThat(gone).isEqualTo(1);

    FeaturesCommandTest.Run stats = FeaturesCommandTest.run("stats", "--index", db.toString(), "--json");
    JsonNode s = Json.MAPPER.readTree(stats.out());
    assertThat(s.get("tracks").asInt()).isEqualTo(4);
    assertThat(s.get("excerpts").asInt()).isEqualTo(8);
    assertThat(s.get("missingFiles").asInt()).isEqualTo(1);
    assertThat(s.get("duplicateContents").asInt()).isEqualTo(1);
    assertThat(s.get("bytesOnDisk").asLong()).isGreaterThanOrEqualTo(Files.size(db));

    FeaturesCommandTest.Run prune = FeaturesCommandTest.run("index", "--prune", "--index", db.toString(), "--json");
    assertThat(prune.exit()).as(prune.err()).isZero();
    assertThat(Json.MAPPER.readTree(prune.out()).get("pruned")).extracting(JsonNode::asText)
        .containsExactly(songs.get(0).toAbsolutePath().toString());
    assertThat(Json.MAPPER.readTree(FeaturesCommandTest.run("stats", "--index", db.toString(), "--json").out())
        .get("tracks").asInt()).isEqualTo(3);
    assertThat(FeaturesCommandTest.run("index", "--index", db.toString()).exit()).as("neither PATH nor --prune").isEqualTo(2);
  }
}
