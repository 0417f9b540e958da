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

/** index / query / remove / eval through the command line, on generated drum tracks. */
class CollectionCommandsTest {

  @TempDir Path tmp;

  /** A WAV of decaying 1.5-kHz clicks at {@code bpm}, every other beat accented, {@code seconds} long. */
  static Path drums(Path file, double bpm, double seconds, long seed) throws Exception {
    return org.rhythmsearch.testing.Signals.drums(file, bpm, seconds, seed);
  }

  static final double[] TEMPI = {75, 96, 118, 141, 163};

  List<Path> collection(double seconds) throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("music"));
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < TEMPI.length; i++) {
      out.add(drums(dir.resolve("song-" + (int) TEMPI[i] + ".wav"), TEMPI[i], seconds, i));
    }
    return out;
  }

  @Test
  void indexQueryRemoveRoundTrip() throws Exception {
    List<Path> songs = collection(24);
    Path db = tmp.resolve("index.db");
    FeaturesCommandTest.Run index = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index",
        db.toString(), "--json");
    assertThat(index.exit()).as(index.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(index.out());
    assertThat(doc.get("added").asInt()).isEqualTo(TEMPI.length);
    assertThat(doc.get("excerpts").asInt()).isEqualTo(TEMPI.length * 2);
    assertThat(index.err()).contains("5 added, 0 updated, 0 unchanged, 0 failed");

    FeaturesCommandTest.Run again = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString());
    assertThat(again.exit()).isZero();
    assertThat(again.err()).contains("0 added, 0 updated, 5 unchanged");

    Path query = drums(tmp.resolve("query.wav"), TEMPI[2], 15, 77);
    FeaturesCommandTest.Run q = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "-k", "3", "--json");
    assertThat(q.exit()).as(q.err()).isZero();
    JsonNode results = Json.MAPPER.readTree(q.out()).get("results");
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("track").asText()).isEqualTo(songs.get(2).toAbsolutePath().toString());
    assertThat(results.get(0).get("score").asDouble()).isGreaterThan(results.get(1).get("score").asDouble());
    assertThat(results.get(0).has("queryOffsetSeconds")).isTrue();
    assertThat(results.get(0).has("matchOffsetSeconds")).isTrue();

    // the query file itself is left out when it is in the index
    FeaturesCommandTest.Run self = FeaturesCommandTest.run("query", songs.get(0).toString(), "--index", db.toString(), "--json");
    assertThat(Json.MAPPER.readTree(self.out()).get("results")).hasSize(TEMPI.length - 1)
        .noneMatch(r -> r.get("track").asText().equals(songs.get(0).toAbsolutePath().toString()));

    // the same query through the stored vectors of the indexed track: same answer, nothing decoded
    FeaturesCommandTest.Run byTrack = FeaturesCommandTest.run("query", "--track", songs.get(0).toString(), "--index",
        db.toString(), "--json");
    assertThat(byTrack.exit()).as(byTrack.err()).isZero();
    JsonNode selfDoc = Json.MAPPER.readTree(self.out());
    JsonNode trackDoc = Json.MAPPER.readTree(byTrack.out());
    assertThat(trackDoc.get("extractSeconds").asDouble()).isZero();
    for (int i = 0; i < TEMPI.length - 1; i++) {
      assertThat(trackDoc.get("results").get(i).get("track")).isEqualTo(selfDoc.get("results").get(i).get("track"));
      assertThat(trackDoc.get("results").get(i).get("score")).isEqualTo(selfDoc.get("results").get(i).get("score"));
    }
    FeaturesCommandTest.Run noTrack = FeaturesCommandTest.run("query", "--track", "/not/indexed.ogg", "--index", db.toString());
    assertThat(noTrack.exit()).isEqualTo(1);
    assertThat(noTrack.err().strip()).isEqualTo("rhythmsearch: /not/indexed.ogg: no such track in the index (give its path "
        + "as indexed, or its id)");

    FeaturesCommandTest.Run rm = FeaturesCommandTest.run("remove", songs.get(2).toString(), tmp.resolve("gone.wav").toString(),
        "--index", db.toString());
    assertThat(rm.exit()).as("one PATH matched nothing").isEqualTo(1);
    assertThat(rm.err()).contains("removed 1 track(s)").contains("gone.wav: no such track");
    FeaturesCommandTest.Run after = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--json");
    assertThat(Json.MAPPER.readTree(after.out()).get("results")).hasSize(TEMPI.length - 1);
  }

  @Test
  void anIndexOfAnotherFeatureIsRefusedWithExit2() throws Exception {
    collection(12);
    Path db = tmp.resolve("index.db");
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString(),
        "--feature", "seed-notebook").exit()).isZero();
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString(),
        "--feature", "beat-spectrum");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip()).isEqualTo("rhythmsearch: " + db + ": index was built with feature seed-notebook@1; "
        + "this run uses beat-spectrum@1 (use --feature seed-notebook, or a new index file)");
    FeaturesCommandTest.Run notAnIndex = FeaturesCommandTest.run("query", tmp.resolve("music/song-75.wav").toString(),
        "--index", tmp.resolve("music/song-96.wav").toString());
    assertThat(notAnIndex.exit()).isEqualTo(2);
    assertThat(notAnIndex.err()).startsWith("rhythmsearch: " + tmp.resolve("music/song-96.wav"));
  }

  @Test
  void evalReportsTheContractKeysAndPerfectPrecisionOnDistinctTempi() throws Exception {
    List<Path> songs = collection(36);
    Path list = Files.write(tmp.resolve("songs.txt"), songs.stream().map(Path::toString).toList());
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("eval", "--files-from", list.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("songs").asInt()).isEqualTo(TEMPI.length);
    assertThat(doc.get("queries").asInt()).isEqualTo(TEMPI.length);
    assertThat(doc.get("k").asInt()).isEqualTo(2);
    assertThat(doc.get("feature").asText()).isEqualTo("onset-beat-8");
    assertThat(doc.get("exact").get("precisionAtK").asDouble()).isEqualTo(1.0);
    assertThat(doc.get("leaveOneOut").get("excerpts").asInt()).isEqualTo(TEMPI.length * 3);
    assertThat(doc.get("leaveOneOut").get("precisionAt1").asDouble()).isEqualTo(1.0);
    assertThat(doc.get("audioSeconds").asDouble()).isEqualTo(36.0 * TEMPI.length);
    assertThat(doc.has("extractSeconds")).isTrue();
    assertThat(FeaturesCommandTest.run("eval").exit()).as("no files").isEqualTo(2);
    assertThat(FeaturesCommandTest.run("eval", list.toString(), "--k", "0").exit()).isEqualTo(2);
  }

  @Test
  void evalByPackageTakesPackagesFromTheListElseFromFolders() throws Exception {
    List<Path> songs = collection(36);
    // first two songs in package "p1", the rest in "p2"
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < songs.size(); i++) {
      lines.add(songs.get(i) + "\t" + (i < 2 ? "p1" : "p2"));
    }
    Path list = Files.write(tmp.resolve("songs.tsv"), lines);
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("eval", "--files-from", list.toString(), "--by-package",
        "--trials", "0", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("songs").asInt()).as("the TAB and package are not part of the path").isEqualTo(TEMPI.length);
    JsonNode by = doc.get("byPackage");
    assertThat(by.get("packages")).hasSize(2);
    assertThat(by.get("packages").get(0).get("package").asText()).isEqualTo("p1");
    assertThat(by.get("packages").get(0).get("songs").asInt()).isEqualTo(2);
    assertThat(by.get("packages").get(1).get("songs").asInt()).isEqualTo(TEMPI.length - 2);
    assertThat(by.get("meanPrecisionAtK").asDouble()).isEqualTo(1.0);
    // without a package column: the folder
    Path plain = Files.write(tmp.resolve("songs.txt"), songs.stream().map(Path::toString).toList());
    JsonNode folders = Json.MAPPER.readTree(FeaturesCommandTest.run("eval", "--files-from", plain.toString(),
        "--by-package", "--trials", "0", "--json").out()).get("byPackage").get("packages");
    assertThat(folders).hasSize(1);
    assertThat(folders.get(0).get("package").asText()).isEqualTo("music");
  }

  @Test
  void evalTracksReportsEveryAggregationForHeldOutPartsAndPairs() throws Exception {
    List<Path> songs = collection(46);
    Path list = Files.write(tmp.resolve("songs.txt"), songs.stream().map(Path::toString).toList());
    Path query = drums(tmp.resolve("q.wav"), TEMPI[3], 25, 99);
    Path pairs = Files.writeString(tmp.resolve("pairs.tsv"), query + "\t" + songs.get(3) + "\t10\n");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("eval-tracks", "--files-from", list.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("mode").asText()).isEqualTo("held-out-part");
    assertThat(doc.get("queryCount").asInt()).isEqualTo(TEMPI.length);
    for (String a : new String[] {"max", "mean", "vote"}) {
      assertThat(doc.get("aggregations").get(a).get("recallAt1").asDouble()).as(a).isEqualTo(1.0);
    }
    FeaturesCommandTest.Run p = FeaturesCommandTest.run("eval-tracks", "--files-from", list.toString(), "--pairs",
        pairs.toString(), "--json");
    assertThat(p.exit()).as(p.err()).isZero();
    JsonNode pd = Json.MAPPER.readTree(p.out());
    assertThat(pd.get("mode").asText()).isEqualTo("pairs");
    assertThat(pd.get("aggregations").get("mean").get("meanRank").asDouble()).isEqualTo(1.0);
    // per-query ranks: the one pair's query found its song first under every aggregation
    assertThat(pd.get("perQuery")).hasSize(1);
    assertThat(pd.get("perQuery").get(0).get("query").asText()).isEqualTo(query.toString());
    assertThat(pd.get("perQuery").get(0).get("expected").asText()).isEqualTo(songs.get(3).toString());
    assertThat(pd.get("perQuery").get(0).get("ranks").get("vote").asInt()).isEqualTo(1);
    // same tempo: the query's tempo over its song's, whole and in the part it was given as (from 10 s), is 1
    assertThat(pd.get("tempoRatios").get(0).asDouble()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.02));
    assertThat(pd.get("regionTempoRatios").get(0).asDouble()).isCloseTo(1.0, org.assertj.core.api.Assertions.within(0.02));
    assertThat(doc.get("perQuery")).hasSize(TEMPI.length);
    assertThat(doc.has("tempoRatios")).as("held-out parts have no tempo ratios").isFalse();
    Path bad = Files.writeString(tmp.resolve("bad.tsv"), "only-one-column\n");
    assertThat(FeaturesCommandTest.run("eval-tracks", "--files-from", list.toString(), "--pairs", bad.toString()).exit())
        .isEqualTo(2);
  }

  @Test
  void theApproximateIndexIsBuiltByIndexAndUsedByQuery() throws Exception {
    List<Path> songs = collection(24);
    Path db = tmp.resolve("index.db");
    FeaturesCommandTest.Run noLsh = FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString());
    assertThat(noLsh.exit()).isZero();
    Path query = drums(tmp.resolve("query.wav"), TEMPI[1], 15, 5);
    FeaturesCommandTest.Run missing = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--lsh");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("no current approximate index");
    FeaturesCommandTest.Run plain = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--json");
    assertThat(Json.MAPPER.readTree(plain.out()).get("search").asText()).as("auto without an approximate index").isEqualTo("exact");

    // auto at this size (a few hundred excerpts): none, exact aligned search is faster; query stays exact
    FeaturesCommandTest.Run none = FeaturesCommandTest.run("index", "--index", db.toString(), "--ann", "auto", "--json");
    assertThat(none.exit()).as(none.err()).isZero();
    JsonNode approximate = Json.MAPPER.readTree(none.out()).get("approximate");
    assertThat(approximate.get("kind").asText()).isEqualTo("none");
    assertThat(approximate.get("how").asText()).contains("exact tempo-aligned search is faster than an approximate index");
    assertThat(approximate.get("usedByAuto").asBoolean()).isFalse();
    assertThat(Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--json")
        .out()).get("search").asText()).isEqualTo("exact");

    // --lsh is --ann lsh: built, and measured as query searches; the query reports that measurement
    FeaturesCommandTest.Run built = FeaturesCommandTest.run("index", "--index", db.toString(), "--lsh", "--json");
    assertThat(built.exit()).as(built.err()).isZero();
    approximate = Json.MAPPER.readTree(built.out()).get("approximate");
    assertThat(approximate.get("kind").asText()).isEqualTo("lsh");
    assertThat(approximate.get("params").asText()).contains("seed=42");
    assertThat(approximate.get("how").asText()).contains("as query searches: recall@10 ");
    double lshRecall = approximate.get("recallAt10").asDouble();
    assertThat(lshRecall).isBetween(0.0, 1.0);
    FeaturesCommandTest.Run q = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--lsh", "--json");
    assertThat(q.exit()).as(q.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(q.out());
    assertThat(doc.get("search").asText()).startsWith("lsh");
    assertThat(doc.get("searchRecallAt10").asDouble()).isEqualTo(lshRecall);
    assertThat(doc.get("searchMeasured").asText()).startsWith("measured: recall@10 ");
    assertThat(doc.get("results").get(0).get("track").asText()).isEqualTo(songs.get(1).toAbsolutePath().toString());

    // --ann ivf replaces it; query's default (auto) searches through it exactly where index measured it faster
    FeaturesCommandTest.Run ivf = FeaturesCommandTest.run("index", "--index", db.toString(), "--ann", "ivf", "--json");
    assertThat(ivf.exit()).as(ivf.err()).isZero();
    approximate = Json.MAPPER.readTree(ivf.out()).get("approximate");
    assertThat(approximate.get("kind").asText()).isEqualTo("ivf");
    assertThat(approximate.get("how").asText()).startsWith("size-based defaults: recall@10 ");
    JsonNode stats = Json.MAPPER.readTree(FeaturesCommandTest.run("stats", "--index", db.toString(), "--json").out());
    assertThat(stats.get("lsh").isNull()).isTrue();
    assertThat(stats.get("ivf").asText()).contains("lists=");
    JsonNode auto = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--json").out());
    boolean used = approximate.get("usedByAuto").asBoolean();
    assertThat(used).isEqualTo(approximate.get("speedup").asDouble() > 1
        && approximate.get("recallAt10").asDouble() >= org.rhythmsearch.search.Indexer.AUTO_MIN_RECALL);
    assertThat(auto.get("search").asText()).startsWith(used ? "ivf lists=" : "exact");
    if (!used) {
      assertThat(auto.get("searchMeasured").asText()).contains("so auto searches exactly");
    }
    assertThat(auto.get("results").get(0).get("track").asText()).isEqualTo(songs.get(1).toAbsolutePath().toString());
    JsonNode forced = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--json", "--search", "approximate").out());
    assertThat(forced.get("search").asText()).startsWith("ivf lists=");
    assertThat(forced.get("results").get(0).get("track").asText()).isEqualTo(songs.get(1).toAbsolutePath().toString());
    JsonNode exact = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--json", "--search", "exact").out());
    assertThat(exact.get("search").asText()).isEqualTo("exact");
    assertThat(exact.get("searchRecallAt10").asDouble()).isEqualTo(1.0);
    FeaturesCommandTest.Run tuned = FeaturesCommandTest.run("index", "--index", db.toString(), "--ann", "ivf",
        "--target-recall", "0.99", "--json");
    assertThat(Json.MAPPER.readTree(tuned.out()).get("approximate").get("how").asText()).startsWith("tuned for recall@10 0.99");
    // a removed track makes it stale: query says so on stderr and searches exactly
    assertThat(FeaturesCommandTest.run("remove", songs.get(songs.size() - 1).toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run stale = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--json");
    assertThat(stale.exit()).as(stale.err()).isZero();
    assertThat(Json.MAPPER.readTree(stale.out()).get("search").asText()).isEqualTo("exact");
    assertThat(stale.err()).contains(db + ": its approximate index is stale (tracks changed since it was built); so this "
        + "search is exact; rebuild it: rhythmsearch index --index " + db + " --ann auto");
    // a damaged one: the default search is exact and says why; --search approximate refuses
    assertThat(FeaturesCommandTest.run("index", "--index", db.toString(), "--ann", "ivf").exit()).isZero();
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db); var st = c.createStatement()) {
      st.execute("UPDATE ivf SET value = substr(value, 1, 99) || X'FF' || substr(value, 101) WHERE id = 1");
    }
    FeaturesCommandTest.Run damaged = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--json");
    assertThat(damaged.exit()).as(damaged.err()).isZero();
    assertThat(Json.MAPPER.readTree(damaged.out()).get("search").asText()).isEqualTo("exact");
    assertThat(damaged.err()).contains("damaged IVF index: it fails its checksum");
    FeaturesCommandTest.Run refused = FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--search", "approximate");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("damaged IVF index");
    assertThat(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--search", "exact").err())
        .as("no warning when exact search is asked for").doesNotContain("stale");
    FeaturesCommandTest.Run wrong = FeaturesCommandTest.run("index", "--index", db.toString(), "--ann", "hnsw");
    assertThat(wrong.exit()).isEqualTo(2);
    assertThat(wrong.err()).contains("--ann: unknown --ann kind 'hnsw'; known: lsh, ivf, auto");
  }

  @Test
  void benchIndexComparesExactLshAndHnswOnTheSameQueries() throws Exception {
    collection(24);
    Path db = tmp.resolve("index.db");
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--vectors", "3000",
        "--queries", "40", "--exact-queries", "20", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    assertThat(doc.get("n").asInt()).isEqualTo(3000);
    assertThat(doc.get("dim").asInt()).isEqualTo(1080);
    JsonNode lsh = doc.get("lsh");
    assertThat(lsh.get("xBruteForce").asDouble()).isCloseTo(lsh.get("qps").asDouble() / doc.get("exact").get("qps").asDouble(),
        org.assertj.core.api.Assertions.within(1e-9));
    assertThat(lsh.get("params").get("seed").asLong()).isEqualTo(42);
    assertThat(lsh.get("curve")).isNotEmpty();
    // the widest probe budget of the curve finds almost all of the exact neighbours
    assertThat(lsh.get("curve").get(lsh.get("curve").size() - 1).get("recallAt10").asDouble()).isGreaterThan(0.9);
    JsonNode hnsw = doc.get("hnsw").get("curve");
    assertThat(hnsw.get(hnsw.size() - 1).get("recallAt10").asDouble()).as("HNSW at its widest ef").isGreaterThan(0.9);
    JsonNode hnsw8 = doc.get("hnswInt8");
    assertThat(hnsw8.get("curve").get(hnsw8.get("curve").size() - 1).get("recallAt10").asDouble())
        .as("HNSW over int8 vectors at its widest ef").isGreaterThan(0.8);
    assertThat(hnsw8.get("indexBytesPerVector").asDouble()).as("int8 codes are stored beside the floats")
        .isGreaterThan(doc.get("hnsw").get("indexBytesPerVector").asDouble());
    assertThat(doc.get("atRecall")).hasSize(4);
    // the fastest LSH point at recall >= 0.80 is a point of the curve at or above that recall
    JsonNode at80 = doc.get("atRecall").get(0);
    assertThat(at80.get("recallAtLeast").asDouble()).isEqualTo(0.8);
    boolean onCurve = false;
    for (JsonNode p : lsh.get("curve")) {
      onCurve |= p.get("qps").asDouble() == at80.get("lshQps").asDouble() && p.get("recallAt10").asDouble() >= 0.8;
    }
    assertThat(onCurve).isTrue();
    // IVF: its curve reaches the exact answer, each vector's own memory is within 5 d + 32 bytes, and each level's best
    // method is the fastest of the three methods' points at that level
    JsonNode ivf = doc.get("ivf");
    assertThat(ivf.get("curve").get(ivf.get("curve").size() - 1).get("recallAt10").asDouble()).isGreaterThan(0.95);
    double sharedPerVector = (4.0 * 1080 * ivf.get("lists").asInt() + 8 * 1080) / 3000; // centroids, ranges
    assertThat(ivf.get("bytesPerVector").asDouble() - sharedPerVector).isLessThanOrEqualTo(5 * 1080 + 32);
    for (JsonNode a : doc.get("atRecall")) {
      JsonNode best = a.get("best");
      double fastest = 0;
      String method = null;
      for (String m : new String[] {"lsh", "ivf", "hnsw", "hnswInt8"}) {
        JsonNode q = a.get(m + "Qps");
        if (q != null && !q.isNull() && q.asDouble() > fastest) {
          fastest = q.asDouble();
          method = m.equals("hnswInt8") ? "hnsw-int8" : m;
        }
      }
      if (method == null) {
        assertThat(best.isNull()).isTrue();
      } else {
        assertThat(best.get("method").asText()).isEqualTo(method);
        assertThat(best.get("xBruteForce").asDouble()).isCloseTo(fastest / doc.get("exact").get("qps").asDouble(),
            org.assertj.core.api.Assertions.within(1e-9));
      }
    }
    // what index --ann auto builds at 3000 vectors: IVF, at its size-based budget, which is a point measured here
    JsonNode auto = doc.get("auto");
    assertThat(auto.get("kind").asText()).isEqualTo("ivf");
    assertThat(auto.get("recallAt10").asDouble()).isEqualTo(ivf.get("defaults").get("recallAt10").asDouble());
    assertThat(ivf.get("defaults").get("probes").asInt()).isEqualTo(
        org.rhythmsearch.index.IvfIndex.Params.forSize(3000, 42).probes());
    assertThat(doc.get("hnsw").get("lucene").asText()).startsWith("Lucene 9.");
    assertThat(doc.get("hnswInt8").get("format").asText()).contains("ScalarQuantized");
    assertThat(doc.get("hnsw").get("lshBuildOverHnsw").asDouble()).isCloseTo(
        lsh.get("buildSeconds").asDouble() / doc.get("hnsw").get("buildSeconds").asDouble(),
        org.assertj.core.api.Assertions.within(1e-9));
    FeaturesCommandTest.Run skip = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--vectors", "500",
        "--queries", "5", "--no-hnsw", "--json");
    assertThat(Json.MAPPER.readTree(skip.out()).get("hnsw").isNull()).isTrue();
    assertThat(Json.MAPPER.readTree(skip.out()).get("auto").get("kind").asText()).as("500 vectors").isEqualTo("ivf");
    FeaturesCommandTest.Run int8Only = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--vectors",
        "500", "--queries", "5", "--hnsw-formats", "int8", "--json");
    assertThat(int8Only.exit()).as(int8Only.err()).isZero();
    assertThat(Json.MAPPER.readTree(int8Only.out()).get("hnsw").isNull()).isTrue();
    assertThat(Json.MAPPER.readTree(int8Only.out()).get("hnswInt8").get("curve")).isNotEmpty();
    assertThat(FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--hnsw-formats", "fp16").err())
        .contains("--hnsw-formats: unknown format 'fp16'; known: float32, int8");
    assertThat(FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--source", "x.npy").exit()).isEqualTo(2);
    FeaturesCommandTest.Run badPlanes = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--planes", "random");
    assertThat(badPlanes.exit()).isEqualTo(2);
    assertThat(badPlanes.err()).contains("--planes random: use mean or origin");
    FeaturesCommandTest.Run origin = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--vectors", "500",
        "--queries", "5", "--no-hnsw", "--planes", "origin", "--json");
    assertThat(origin.exit()).as(origin.err()).isZero();
    assertThat(Json.MAPPER.readTree(origin.out()).get("lsh").get("params").get("planes").asText()).isEqualTo("origin");
    // --held int8 --export: the vectors every method searched, as int8 holds them, written for another program
    Path dir = tmp.resolve("export");
    FeaturesCommandTest.Run held = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--vectors",
        "500", "--queries", "5", "--no-hnsw", "--held", "int8", "--export", dir.toString(), "--json");
    assertThat(held.exit()).as(held.err()).isZero();
    assertThat(Json.MAPPER.readTree(held.out()).get("data").asText()).endsWith("held as int8");
    JsonNode meta = Json.MAPPER.readTree(java.nio.file.Files.readString(dir.resolve("meta.json")));
    assertThat(meta.get("base").asInt()).isEqualTo(500);
    assertThat(meta.get("queries").asInt()).isEqualTo(5);
    assertThat(java.nio.file.Files.size(dir.resolve("base.f32"))).isEqualTo(500L * 1080 * 4);
    java.nio.FloatBuffer first = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(dir.resolve("queries.f32")))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    float[] q = new float[1080];
    first.get(q);
    assertThat(org.rhythmsearch.index.VectorEncoding.INT8.held(q)).as("already held: holding it again changes nothing")
        .usingComparatorWithPrecision(1e-6f).containsExactly(q);
  }

  @Test
  void benchIndexAlignedExportsWhatAnotherProgramNeedsToSearchByTheAlignedScore() throws Exception {
    collection(24);
    Path db = tmp.resolve("index.db");
    assertThat(FeaturesCommandTest.run("index", tmp.resolve("music").toString(), "--index", db.toString()).exit()).isZero();
    assertThat(FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--aligned", "--no-hnsw").err())
        .contains("--aligned needs --source real");
    Path dir = tmp.resolve("export");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("bench", "index", "--index", db.toString(), "--source", "real",
        "--hop", "1", "--queries", "8", "--no-hnsw", "--held", "int8", "--aligned", "--export", dir.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    JsonNode doc = Json.MAPPER.readTree(r.out());
    int n = doc.get("n").asInt();
    JsonNode aligned = doc.get("aligned");
    assertThat(aligned.get("steps").asInt()).isEqualTo(20);
    assertThat(aligned.get("curve")).isNotEmpty();
    JsonNode last = aligned.get("curve").get(aligned.get("curve").size() - 1);
    assertThat(last.get("strategy").asText()).isEqualTo("bands");
    assertThat(last.get("recallAt10").asDouble()).as("every list probed, every candidate re-scored exactly").isEqualTo(1.0);
    // the export's oracle: the aligned score recomputed from the exported files ranks the exported truth first
    int dim = 1080;
    int slots = 41;
    java.nio.FloatBuffer base = floats(dir.resolve("base.f32"));
    java.nio.FloatBuffer scaled = floats(dir.resolve("scaled.f32"));
    byte[] steps = Files.readAllBytes(dir.resolve("steps.i8"));
    java.nio.IntBuffer truth = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("truth-aligned.i32")))
        .order(java.nio.ByteOrder.LITTLE_ENDIAN).asIntBuffer();
    assertThat(steps).hasSize(8 * n);
    assertThat(scaled.capacity()).isEqualTo(8 * slots * dim);
    double margin = Json.MAPPER.readTree(Files.readString(dir.resolve("aligned.json"))).get("margin").asDouble();
    for (int q = 0; q < 8; q++) {
      double[] score = new double[n];
      double best = Double.NEGATIVE_INFINITY;
      for (int row = 0; row < n; row++) {
        int k = steps[q * n + row];
        double plain = cosine(base, row * dim, scaled, (q * slots + 20) * dim, dim);
        score[row] = k == 0 ? plain
            : Math.max(plain, cosine(base, row * dim, scaled, (q * slots + 20 + k) * dim, dim) - margin);
        best = Math.max(best, score[row]);
      }
      assertThat(score[truth.get(q * 10)]).as("query %d: the truth's first row scores best", q)
          .isCloseTo(best, org.assertj.core.api.Assertions.within(1e-5));
    }
    int alignedPairs = 0;
    for (byte k : steps) {
      alignedPairs += k != 0 ? 1 : 0;
    }
    assertThat(alignedPairs).as("pairs whose score aligns").isPositive();
  }

  private static java.nio.FloatBuffer floats(Path file) throws Exception {
    return java.nio.ByteBuffer.wrap(Files.readAllBytes(file)).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
  }

  private static double cosine(java.nio.FloatBuffer a, int ao, java.nio.FloatBuffer b, int bo, int dim) {
    double ab = 0;
    double aa = 0;
    double bb = 0;
    for (int j = 0; j < dim; j++) {
      ab += a.get(ao + j) * b.get(bo + j);
      aa += a.get(ao + j) * a.get(ao + j);
      bb += b.get(bo + j) * b.get(bo + j);
    }
    return ab / Math.sqrt(aa * bb);
  }
}
