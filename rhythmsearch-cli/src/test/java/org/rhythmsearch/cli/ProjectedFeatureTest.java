package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;
import org.rhythmsearch.features.Projection;
import org.rhythmsearch.json.Json;

/** A feature with a learned projection: fitted by a command, indexed and queried like any other. */
class ProjectedFeatureTest {

  @TempDir Path tmp;

  private List<Path> songs() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < CollectionCommandsTest.TEMPI.length; i++) {
      double bpm = CollectionCommandsTest.TEMPI[i];
      out.add(CollectionCommandsTest.drums(dir.resolve("song-" + (int) bpm + ".wav"), bpm, 36, i));
    }
    return out;
  }

  @Test
  void fitProjectionWritesOneChecksummedProjectionOfTheGridExcerpts() throws Exception {
    songs();
    Path out = tmp.resolve("p.projection");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("fit-projection", tmp.resolve("music").toString(), "--feature",
        "onset-beat-8", "--dims", "6", "--shrink", "0.1", "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    Projection p;
    try (InputStream in = Files.newInputStream(out)) {
      p = Projection.read(in);
    }
    // 36-s songs: grid excerpts at 5, 15 and 25 s, five songs
    assertThat(p.trainingRows()).isEqualTo(15);
    assertThat(p.inputDim()).isEqualTo(FeatureConfigs.ONSET_BEAT_8.dimension());
    assertThat(p.outputDim()).isEqualTo(6);
    assertThat(r.out()).contains(p.id()).contains("15 excerpts of 5 songs");
    FeaturesCommandTest.Run projected = FeaturesCommandTest.run("fit-projection", tmp.resolve("music").toString(), "--feature",
        "onset-beat-16w", "--out", out.toString());
    assertThat(projected.exit()).isEqualTo(2);
    assertThat(projected.err()).contains("already projected");
    FeaturesCommandTest.Run tooMany = FeaturesCommandTest.run("fit-projection", tmp.resolve("music").toString(), "--feature",
        "onset-beat-8", "--dims", "2000", "--out", out.toString());
    assertThat(tooMany.exit()).isEqualTo(2);
    assertThat(tooMany.err()).contains("--dims must be in [1, 1080]");
  }

  @Test
  void refittingNeedsPackagesAndAProjectedFeature() throws Exception {
    songs();
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("eval", tmp.resolve("music").toString(), "--feature", "onset-beat-16w",
        "--refit-projection", "--trials", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--refit-projection needs --by-package");
    FeaturesCommandTest.Run plain = FeaturesCommandTest.run("eval", tmp.resolve("music").toString(), "--by-package",
        "--refit-projection", "--trials", "0");
    assertThat(plain.exit()).isEqualTo(2);
  }

  @Test
  void theWhitenedFeatureIsIndexedAndQueriedWithItsOwnDimension() throws Exception {
    List<Path> songs = songs();
    Path db = tmp.resolve("w.db");
    FeaturesCommandTest.Run index = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString(),
        "--feature", "onset-beat-16w", "--json");
    assertThat(index.exit()).as(index.err()).isZero();
    FeaturesCommandTest.Run stats = FeaturesCommandTest.run("stats", "--index", db.toString());
    assertThat(stats.out()).contains("onset-beat-16w@1 (512 values)");
    Path query = CollectionCommandsTest.drums(tmp.resolve("query.wav"), CollectionCommandsTest.TEMPI[2], 20, 77);
    FeaturesCommandTest.Run q = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "-k", "5",
        "--json");
    assertThat(q.exit()).as(q.err()).isZero();
    JsonNode results = Json.MAPPER.readTree(q.out()).get("results");
    assertThat(results).hasSize(songs.size());
    // the same drums at the same tempo (another take) rank their song first, as with the plain descriptor
    assertThat(results.get(0).get("track").asText()).isEqualTo(songs.get(2).toAbsolutePath().toString());
    // an index of the projected feature refuses another feature
    FeaturesCommandTest.Run other = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString(),
        "--feature", "onset-beat-16");
    assertThat(other.exit()).isEqualTo(2);
  }
}
