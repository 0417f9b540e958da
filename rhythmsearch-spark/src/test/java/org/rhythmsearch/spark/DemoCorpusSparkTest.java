package org.rhythmsearch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.features.FeatureConfigs;

/**
 * The Spark jobs on real music when the demo corpus is present ({@code ./rhythmsearch-demo.sh};
 * skipped otherwise): 16 of its songs extracted in {@code local[2]}, and the similarity graph through
 * our LSH with its default plan against the exact graph of the same excerpts.
 */
@EnabledIf(value = "corpusPresent", disabledReason = "no demo corpus (./rhythmsearch-demo.sh)")
class DemoCorpusSparkTest extends LocalSparkTest {

  static final Path LIST = Path.of(System.getProperty("rhythmsearch.demo.list",
      System.getProperty("maven.multiModuleProjectDirectory", "..") + "/data/demo-corpus/songs.txt"));

  @TempDir Path tmp;

  /** Whether the demo corpus is there: checked before any Spark session starts. */
  static boolean corpusPresent() {
    return Files.isRegularFile(LIST);
  }

  @Test
  void realMusicExtractsWholeAndTheGraphFindsTheExactNeighbours() throws Exception {
    List<String> songs = Files.readAllLines(LIST).stream().map(l -> l.split("\t")[0]).filter(p -> !p.isBlank())
        .map(p -> Path.of(p).isAbsolute() ? p : LIST.getParent().getParent().getParent().resolve(p).toString())
        .limit(16).toList();
    Path list = Files.write(tmp.resolve("files.txt"), songs);
    ExtractJob.Summary x = ExtractJob.run(spark, list.toString(), tmp.resolve("x").toString(), FeatureConfigs.DEFAULT);
    assertThat(x.errors()).isZero();
    assertThat(x.extracted()).isEqualTo(songs.size());
    int k = 5;
    SimilarJob.run(spark, tmp.resolve("x").toString(), tmp.resolve("g").toString(), k, null);
    double recall = GraphCheck.recall(GraphCheck.read(spark, tmp.resolve("g").toString()),
        GraphCheck.exactGraph(spark, tmp.resolve("x").toString(), k), k);
    assertThat(recall).as("recall@%d of the exact graph on real music", k).isGreaterThanOrEqualTo(0.95);
  }
}
