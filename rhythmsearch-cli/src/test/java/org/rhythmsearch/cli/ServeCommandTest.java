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

  @Test
  void makeIndexWritesASyntheticIndexThatServeAnswersWithoutABaseline() throws Exception {
    Path music = java.nio.file.Files.createDirectories(tmp.resolve("seed-music"));
    for (int i = 0; i < 3; i++) {
      CollectionCommandsTest.drums(music.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 34, 10 + i);
    }
    Path model = tmp.resolve("model.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", model.toString()).exit()).isZero();
    Path big = tmp.resolve("big.db");
    FeaturesCommandTest.Run made = FeaturesCommandTest.run("bench", "make-index", "--index", model.toString(), "--out",
        big.toString(), "--vectors", "1210", "--excerpts", "20", "--ann", "ivf", "--json");
    assertThat(made.exit()).as(made.err()).isZero();
    JsonNode m = Json.MAPPER.readTree(made.out());
    assertThat(m.get("tracks").asInt()).isEqualTo(60); // whole tracks: 1210 / 20
    assertThat(m.get("excerpts").asInt()).isEqualTo(1200);
    assertThat(m.get("vectors").asText()).isEqualTo("int8");
    assertThat(m.get("ann").asText()).startsWith("ivf lists=");
    assertThat(FeaturesCommandTest.run("bench", "make-index", "--index", model.toString(), "--out", big.toString(),
        "--vectors", "100").err()).contains("already holds tracks");
    try (var store = org.rhythmsearch.store.Stores.openReadOnly(big.toString())) {
      assertThat(store.snapshot().vectors().rows()).isEqualTo(1200);
      assertThat(store.encoding()).isEqualTo(org.rhythmsearch.index.VectorEncoding.INT8);
      assertThat(store.loadIvf(store.snapshot())).isPresent();
    }
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("bench", "serve", "--index", big.toString(), "--queries", "30",
        "--clients", "2", "--warmup", "3", "--no-baseline", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("errors").size()).isZero();
    assertThat(doc.get("baselineQps").isNull() || Double.isNaN(doc.get("baselineQps").asDouble())).isTrue();
  }
}
