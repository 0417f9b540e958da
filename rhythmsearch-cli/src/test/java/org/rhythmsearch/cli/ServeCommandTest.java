package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;

/** {@code serve}'s refusals and {@code bench serve} (issue 13, points 2 and 5); the API itself is tested in rhythmsearch-http. */
class ServeCommandTest {

  @TempDir Path tmp;

  @Test
  void serveRefusesAMissingIndexAndBadOptionsWithUsageErrors() {
    FeaturesCommandTest.Run missing = FeaturesCommandTest.run("serve", "--index", tmp.resolve("none.db").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("--index: no index file at " + tmp.resolve("none.db"));
    FeaturesCommandTest.Run port = FeaturesCommandTest.run("serve", "--index", tmp.toString() + "/x", "--port", "70000");
    assertThat(port.exit()).isEqualTo(2);
    assertThat(FeaturesCommandTest.run("serve", "--help").out()).contains("--upload-limit").contains("--watch")
        .contains("127.0.0.1");
  }

  @Test
  void benchServeRunsTheQueriesWithoutErrorAndReportsLatency() throws Exception {
    Path music = java.nio.file.Files.createDirectories(tmp.resolve("music"));
    for (int i = 0; i < 3; i++) {
      CollectionCommandsTest.drums(music.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 24, i);
    }
    Path db = tmp.resolve("index.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("bench", "serve", "--index", db.toString(), "--queries", "40",
        "--clients", "3", "--warmup", "5", "-k", "2", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("queries").asInt()).isEqualTo(40);
    assertThat(doc.get("clients").asInt()).isEqualTo(3);
    assertThat(doc.get("errors").size()).isZero();
    assertThat(doc.get("p50Millis").asDouble()).isPositive().isLessThanOrEqualTo(doc.get("p99Millis").asDouble());
    assertThat(doc.get("p99Millis").asDouble()).isLessThanOrEqualTo(doc.get("maxMillis").asDouble());
    assertThat(doc.get("qps").asDouble()).isPositive();
    assertThat(doc.get("baselineQps").asDouble()).isPositive();
    assertThat(r.err()).contains("40 queries by track id (k=2) from 3 clients");
  }
}
