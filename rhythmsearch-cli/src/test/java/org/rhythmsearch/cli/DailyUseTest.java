package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rhythmsearch.json.Json;

/** Issue 26, points 4 and 6: the command line says what it decided, and suggests what was meant. */
class DailyUseTest {

  @TempDir Path tmp;

  @Test
  void aMistypedCommandOrOptionIsNamedWithTheNearestKnownOne() {
    FeaturesCommandTest.Run command = FeaturesCommandTest.run("querry", "x.ogg");
    assertThat(command.exit()).isEqualTo(2);
    assertThat(command.err()).startsWith("rhythmsearch: unknown command 'querry'; did you mean query");
    // an unknown option is the problem, not the required option the command then lacks
    FeaturesCommandTest.Run option = FeaturesCommandTest.run("query", "--indx", "a.db", "x.ogg");
    assertThat(option.exit()).isEqualTo(2);
    assertThat(option.err()).startsWith("rhythmsearch query: unknown option '--indx'; did you mean --index?");
    FeaturesCommandTest.Run align = FeaturesCommandTest.run("query", "x.ogg", "--index", "a.db", "--tempo-aling", "0.1");
    assertThat(align.err()).contains("did you mean --tempo-align");
    assertThat(FeaturesCommandTest.run("stas").err()).contains("did you mean stats?");
  }

  @Test
  void aFolderWithoutAudioIsAProblemAndMisnamedAudioIsReadByItsContent() throws Exception {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    FeaturesCommandTest.Run none = FeaturesCommandTest.run("index", empty.toString(), "--index", tmp.resolve("e.db").toString());
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains(empty + ": no audio files in this folder (it is empty)");

    Path music = Files.createDirectories(tmp.resolve("music"));
    Path wav = CollectionCommandsTest.drums(tmp.resolve("a.wav"), 120, 24, 1);
    Files.move(wav, music.resolve("song.m4a"));
    Files.writeString(music.resolve("notes.txt"), "not audio");
    Path db = tmp.resolve("m.db");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", music.toString(), "--index", db.toString(), "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Json.MAPPER.readTree(r.out()).get("added").asInt()).isEqualTo(1);
    assertThat(r.err()).contains(music.resolve("song.m4a") + ": a WAV file under another name, read by its content")
        .contains("1 file(s) in the folders are not audio and were skipped (--verbose lists them)")
        .doesNotContain("notes.txt");
    FeaturesCommandTest.Run verbose = FeaturesCommandTest.run("index", music.toString(), "--index", db.toString(), "-v",
        "--prune");
    assertThat(verbose.err()).contains("skipped: " + music.resolve("notes.txt") + ": not audio by its name or its first bytes")
        .contains("0 pruned (file gone)");
    Files.delete(music.resolve("song.m4a"));
    Files.copy(CollectionCommandsTest.drums(tmp.resolve("b.wav"), 90, 24, 2), music.resolve("other.wav"));
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString(), "--prune").err())
        .contains("1 added").contains("1 pruned (file gone)");
  }

  @Test
  void aQueryThatIsIndexedIsSaidToBeLeftOutAndOffsetsReadAsMinutes() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    Path a = CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 80, 1);
    CollectionCommandsTest.drums(music.resolve("b.wav"), 100, 80, 2);
    Path db = tmp.resolve("q.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run json = FeaturesCommandTest.run("query", a.toString(), "--index", db.toString(), "--json");
    JsonNode doc = Json.MAPPER.readTree(json.out());
    assertThat(doc.get("leftOut")).hasSize(1);
    assertThat(doc.get("leftOut").get(0).get("track").asText()).isEqualTo(a.toAbsolutePath().toString());
    assertThat(doc.get("results")).hasSize(1);
    long id = doc.get("leftOut").get(0).get("trackId").asLong();
    FeaturesCommandTest.Run text = FeaturesCommandTest.run("query", a.toString(), "--index", db.toString());
    assertThat(text.out()).contains("(the query is indexed track " + id + ", " + a.toAbsolutePath() + ": left out)")
        .containsPattern("query at \\d:\\d\\d ~ match at \\d:\\d\\d");
    assertThat(QueryCommand.mmss(59.6)).isEqualTo("1:00");
    assertThat(QueryCommand.mmss(3725)).isEqualTo("1:02:05");
    FeaturesCommandTest.Run other = FeaturesCommandTest.run("query", CollectionCommandsTest.drums(tmp.resolve("c.wav"), 100,
        30, 3).toString(), "--index", db.toString(), "--json");
    assertThat(Json.MAPPER.readTree(other.out()).get("leftOut")).isEmpty();
  }

  @Test
  void theIndexCanComeFromTheEnvironmentOrTheConfigurationFile() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 30, 1);
    Path db = tmp.resolve("lib.db");
    assertThat(run(java.util.Map.of(IndexDefaults.ENV, db.toString()), "index", music.toString()).exit()).isZero();
    FeaturesCommandTest.Run fromEnv = run(java.util.Map.of(IndexDefaults.ENV, db.toString()), "ls");
    assertThat(fromEnv.exit()).as(fromEnv.err()).isZero();
    assertThat(fromEnv.out()).contains(music.resolve("a.wav").toAbsolutePath().toString());
    Path config = Files.createDirectories(tmp.resolve("cfg/rhythmsearch")).resolve("config");
    Files.writeString(config, "# my library\nindex = " + db + "   # the default\n");
    FeaturesCommandTest.Run fromFile = run(java.util.Map.of("XDG_CONFIG_HOME", tmp.resolve("cfg").toString()), "stats");
    assertThat(fromFile.exit()).as(fromFile.err()).isZero();
    assertThat(fromFile.out()).contains("1 tracks");
    // an explicit --index wins over both
    FeaturesCommandTest.Run explicit = run(java.util.Map.of(IndexDefaults.ENV, "/no/such.db"), "stats", "--index",
        db.toString());
    assertThat(explicit.exit()).isZero();
    FeaturesCommandTest.Run none = run(java.util.Map.of("HOME", tmp.resolve("nohome").toString()), "ls");
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).startsWith("rhythmsearch ls: no index given: use --index DB, or set $RHYTHMSEARCH_INDEX");
  }

  @Test
  void relocateRewritesWhereTracksAreAndSaysWhatItFound() throws Exception {
    Path old = Files.createDirectories(tmp.resolve("old"));
    CollectionCommandsTest.drums(old.resolve("a.wav"), 100, 24, 1);
    CollectionCommandsTest.drums(old.resolve("b.wav"), 120, 24, 2);
    Path db = tmp.resolve("elsewhere.db");
    assertThat(FeaturesCommandTest.run("index", old.toString(), "--index", db.toString()).exit()).isZero();
    Path now = tmp.resolve("new");
    Files.move(old, now);
    assertThat(FeaturesCommandTest.run("stats", "--index", db.toString()).out()).contains("2 track(s) whose file is gone");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("relocate", old.toString(), now.toString(), "--index", db.toString(),
        "-v");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.err()).contains(old.resolve("a.wav") + " -> " + now.resolve("a.wav")).contains("2 track(s) now under " + now);
    assertThat(FeaturesCommandTest.run("stats", "--index", db.toString()).out()).contains("0 track(s) whose file is gone");
    FeaturesCommandTest.Run again = FeaturesCommandTest.run("relocate", old.toString(), now.toString(), "--index", db.toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("no track of " + db + " is at or under " + old);
  }

  @Test
  void tracksAreNamedByTheShortestEndingOfTheirPathThatTellsThemApart() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    for (String band : List.of("alpha", "beta")) {
      CollectionCommandsTest.drums(Files.createDirectories(music.resolve(band)).resolve("song.wav"), 100, 24,
          band.length());
    }
    CollectionCommandsTest.drums(music.resolve("solo.wav"), 100, 24, 9);
    org.rhythmsearch.testing.Signals.withInfo(CollectionCommandsTest.drums(music.resolve("tagged.wav"), 100, 24, 13), "Chaos God", "Muldjord");
    Path db = tmp.resolve("n.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), 100, 24, 11);
    JsonNode results = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    assertThat(results).hasSize(4);
    JsonNode tagged = java.util.stream.StreamSupport.stream(results.spliterator(), false)
        .filter(r -> r.get("track").asText().endsWith("tagged.wav")).findFirst().orElseThrow();
    assertThat(tagged.get("name").asText()).as("its tags name it").isEqualTo("Muldjord - Chaos God");
    assertThat(tagged.get("tags").get("title").asText()).isEqualTo("Chaos God");
    assertThat(tagged.get("tags").has("album")).isFalse();
    assertThat(results.get(0).has("tags") && !results.get(0).get("track").asText().endsWith("tagged.wav")).isFalse();
    assertThat(FeaturesCommandTest.run("ls", "--index", db.toString()).out()).contains("tagged.wav  \"Muldjord - Chaos God\"");
    java.util.Map<String, String> names = new java.util.HashMap<>();
    results.forEach(r -> names.put(r.get("track").asText(), r.get("name").asText()));
    assertThat(names).containsEntry(music.resolve("alpha/song.wav").toAbsolutePath().toString(), "alpha/song.wav")
        .containsEntry(music.resolve("beta/song.wav").toAbsolutePath().toString(), "beta/song.wav")
        .containsEntry(music.resolve("solo.wav").toAbsolutePath().toString(), "solo.wav");
    assertThat(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString()).out())
        .contains("  alpha/song.wav  (").contains("  solo.wav  (").contains("  Muldjord - Chaos God  (");
  }

  /** The same audio as the 16-bit mono WAV {@code wav16}, written to {@code out} as 24-bit PCM: other bytes. */
  static Path as24Bit(Path wav16, Path out) throws Exception {
    byte[] b = Files.readAllBytes(wav16);
    java.nio.ShortBuffer pcm = java.nio.ByteBuffer.wrap(b, 44, b.length - 44).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .asShortBuffer();
    float[] y = new float[pcm.remaining()];
    for (int i = 0; i < y.length; i++) {
      y[i] = pcm.get(i) / 32767f;
    }
    org.rhythmsearch.testing.Signals.writeWav(out, 22050, 24, false, y);
    return out;
  }

  @Test
  void theSameRecordingInSeveralFilesIsOneAnswerAndAQueryOfItLeavesAllOut() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("dedupe"));
    Path a = CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 24, 1);
    Path a24 = as24Bit(a, music.resolve("a-24bit.wav"));
    CollectionCommandsTest.drums(music.resolve("b.wav"), 131, 24, 2);
    CollectionCommandsTest.drums(music.resolve("c.wav"), 102, 37, 3);
    Path db = tmp.resolve("d.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    FeaturesCommandTest.Run dedupe = FeaturesCommandTest.run("dedupe", "--index", db.toString(), "--json");
    assertThat(dedupe.exit()).isZero();
    JsonNode groups = Json.MAPPER.readTree(dedupe.out()).get("groups");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).get("paths")).extracting(JsonNode::asText)
        .containsExactlyInAnyOrder(a.toAbsolutePath().toString(), a24.toAbsolutePath().toString());

    // another file: the two copies are one answer, the other listed beside it
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), 100, 31, 9); // not 24 s: another recording
    JsonNode results = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    assertThat(results).hasSize(3);
    JsonNode first = results.get(0);
    // the same audio in both: which of the two scores a hair higher is not the point; the other is beside it
    String listed = first.get("track").asText();
    assertThat(listed).isIn(a.toAbsolutePath().toString(), a24.toAbsolutePath().toString());
    assertThat(first.get("samePaths")).extracting(JsonNode::asText)
        .containsExactly(listed.endsWith("a.wav") ? a24.toAbsolutePath().toString() : a.toAbsolutePath().toString());

    // a third copy of the recording, not indexed: both indexed copies are the query's own, left out
    Path copy = as24Bit(a, tmp.resolve("a-copy.wav"));
    JsonNode own = Json.MAPPER.readTree(FeaturesCommandTest.run("query", copy.toString(), "--index", db.toString(),
        "--json").out());
    assertThat(own.get("leftOut")).extracting(j -> j.get("track").asText())
        .containsExactlyInAnyOrder(a.toAbsolutePath().toString(), a24.toAbsolutePath().toString());
    assertThat(own.get("results")).extracting(j -> j.get("track").asText()).noneMatch(t -> t.contains("/a"));
  }

  @Test
  void aPlaylistWalksToTheNearestTrackNotYetPlayedAndWritesM3u() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("pl"));
    Path a = CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 24, 1);
    as24Bit(a, music.resolve("a-24bit.wav"));
    for (int bpm : new int[] {104, 131, 160}) {
      CollectionCommandsTest.drums(music.resolve("t" + bpm + ".wav"), bpm, 27, bpm);
    }
    Path db = tmp.resolve("pl.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    assertThat(FeaturesCommandTest.run("dedupe", "--index", db.toString()).out()).contains("1 recording(s) held by more");
    Path m3u = tmp.resolve("walk.m3u");
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("playlist", a.toString(), "--length", "10", "--m3u",
        m3u.toString(), "--index", db.toString(), "--json");
    assertThat(r.exit()).isZero();
    JsonNode tracks = Json.MAPPER.readTree(r.out()).get("tracks");
    List<String> order = new java.util.ArrayList<>();
    tracks.forEach(t -> order.add(Path.of(t.get("track").asText()).getFileName().toString()));
    assertThat(order).as("the seed first, each track once, the seed's other file not at all")
        .hasSize(4).startsWith("a.wav").doesNotHaveDuplicates().doesNotContain("a-24bit.wav");
    assertThat(r.err()).contains("every other track with vectors is already in it");
    // each step is the best of the tracks not yet played, by the score query gives against the last
    for (int i = 1; i < order.size(); i++) {
      JsonNode answer = Json.MAPPER.readTree(FeaturesCommandTest.run("query", "--track",
          music.resolve(order.get(i - 1)).toAbsolutePath().toString(), "-k", "10", "--index", db.toString(), "--json").out())
          .get("results");
      List<String> played = order.subList(0, i);
      String best = java.util.stream.StreamSupport.stream(answer.spliterator(), false)
          .map(j -> Path.of(j.get("track").asText()).getFileName().toString())
          .filter(n -> !played.contains(n) && !n.equals("a-24bit.wav")).findFirst().orElseThrow();
      assertThat(order.get(i)).isEqualTo(best);
      assertThat(tracks.get(i).get("score").asDouble()).isEqualTo(java.util.stream.StreamSupport.stream(
          answer.spliterator(), false).filter(j -> j.get("track").asText().endsWith("/" + best)).findFirst()
          .orElseThrow().get("score").asDouble());
    }
    List<String> lines = Files.readAllLines(m3u);
    assertThat(lines.get(0)).isEqualTo("#EXTM3U");
    assertThat(lines).hasSize(1 + 2 * 4);
    assertThat(lines.get(1)).startsWith("#EXTINF:24,a.wav");
    assertThat(lines.get(2)).isEqualTo(a.toAbsolutePath().toString());
  }

  @Test
  void aClipOfFourSecondsOrMoreIsQueriedAsOneExcerptAndShorterIsRefused() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("clips"));
    for (int bpm : new int[] {90, 120, 150}) {
      CollectionCommandsTest.drums(music.resolve("t" + bpm + ".wav"), bpm, 24, bpm);
    }
    Path db = tmp.resolve("c.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), 120, 30, 7);
    JsonNode clip = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--start", "0:05", "--seconds",
        "6", "--index", db.toString(), "--json").out());
    assertThat(clip.get("clipSeconds").asDouble()).isEqualTo(6.0);
    assertThat(clip.get("queryExcerpts").asInt()).isEqualTo(1);
    assertThat(clip.get("results").get(0).get("track").asText()).as("the clip's tempo and pattern").endsWith("t120.wav");
    assertThat(FeaturesCommandTest.run("query", q.toString(), "--start", "5", "--seconds", "6", "--index",
        db.toString()).out()).contains("the query is a 6.0-s clip, repeated to fill one 10-s excerpt");
    Path short7 = CollectionCommandsTest.drums(tmp.resolve("short.wav"), 120, 7, 8);
    JsonNode file = Json.MAPPER.readTree(FeaturesCommandTest.run("query", short7.toString(), "--index", db.toString(),
        "--json").out());
    assertThat(file.get("clipSeconds").asDouble()).as("a whole file shorter than an excerpt").isCloseTo(7.0,
        org.assertj.core.data.Offset.offset(0.01));
    assertThat(file.get("results").get(0).get("track").asText()).endsWith("t120.wav");
    Path tiny = CollectionCommandsTest.drums(tmp.resolve("tiny.wav"), 120, 3, 8);
    FeaturesCommandTest.Run refused = FeaturesCommandTest.run("query", tiny.toString(), "--index", db.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("holds 3.00 s of audio: too short (a query needs 4 s or more)");
    FeaturesCommandTest.Run usage = FeaturesCommandTest.run("query", q.toString(), "--seconds", "3", "--index", db.toString());
    assertThat(usage.exit()).isEqualTo(2);
    assertThat(usage.err()).contains("--seconds must be at least 4");
  }

  @Test
  void everyCommandTakesQuietAndVerboseAndQuietLeavesOnlyResultsAndErrors() throws Exception {
    java.util.Deque<picocli.CommandLine> todo = new java.util.ArrayDeque<>(Main.commandLine().getSubcommands().values());
    int leaves = 0;
    while (!todo.isEmpty()) {
      picocli.CommandLine sub = todo.pop();
      if (!sub.getSubcommands().isEmpty()) { // bench: its subcommands do the work
        todo.addAll(sub.getSubcommands().values());
      } else if (!sub.getCommandName().equals("help")) {
        assertThat(sub.getCommandSpec().findOption("--quiet")).as(sub.getCommandName()).isNotNull();
        assertThat(sub.getCommandSpec().findOption("-v")).as(sub.getCommandName()).isNotNull();
        leaves++;
      }
    }
    assertThat(leaves).isGreaterThan(20);
    assertThat(Main.commandLine().getSubcommands().get("eval").getCommandSpec().findOption("-k"))
        .as("-k as in query").isNotNull();
    Path music = Files.createDirectories(tmp.resolve("quiet"));
    CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 24, 1);
    Files.writeString(music.resolve("notes.txt"), "not audio");
    Path db = tmp.resolve("q.db");
    FeaturesCommandTest.Run quiet = FeaturesCommandTest.run("index", music.toString(), "--index", db.toString(), "-q");
    assertThat(quiet.exit()).isZero();
    assertThat(quiet.err()).isEmpty();
    FeaturesCommandTest.Run loud = FeaturesCommandTest.run("index", music.toString(), "--index", db.toString(), "-v");
    assertThat(loud.err()).contains("1 unchanged").contains("notes.txt");
    Path q = CollectionCommandsTest.drums(tmp.resolve("qq.wav"), 100, 24, 2);
    FeaturesCommandTest.Run query = FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(), "--quiet");
    assertThat(query.out()).contains("a.wav");
    assertThat(query.err()).isEmpty();
    assertThat(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(), "--verbose").err())
        .contains("query excerpt at 0:00: ").contains("loaded 2 excerpts");
    FeaturesCommandTest.Run both = FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(), "-q", "-v");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("--quiet and --verbose ask for opposite things");
    FeaturesCommandTest.Run missing = FeaturesCommandTest.run("query", tmp.resolve("none.wav").toString(), "--index",
        db.toString(), "-q");
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).as("errors are still said").contains("none.wav");
  }


  @Test
  void aTempoRangeAndTheQuerysOwnFolderFilterTheAnswer() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    Path album = Files.createDirectories(music.resolve("album"));
    for (int i = 0; i < CollectionCommandsTest.TEMPI.length; i++) {
      CollectionCommandsTest.drums(music.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 24, i);
    }
    CollectionCommandsTest.drums(album.resolve("take-1.wav"), 118, 24, 40);
    Path db = tmp.resolve("f.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    Path query = CollectionCommandsTest.drums(album.resolve("take-2.wav"), 118, 24, 41); // not indexed
    JsonNode all = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    assertThat(all).hasSize(CollectionCommandsTest.TEMPI.length + 1);
    assertThat(all.get(0).get("track").asText()).isEqualTo(album.resolve("take-1.wav").toAbsolutePath().toString());
    JsonNode fast = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--tempo-range", "130-170", "--json").out()).get("results");
    assertThat(fast).isNotEmpty().allSatisfy(r -> assertThat(r.get("tempoBpm").asDouble()).isBetween(130.0, 170.0));
    assertThat(fast.size()).isLessThan(all.size());
    JsonNode elsewhere = Json.MAPPER.readTree(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(),
        "--exclude-same-folder", "--json").out()).get("results");
    assertThat(elsewhere).hasSize(CollectionCommandsTest.TEMPI.length)
        .noneSatisfy(r -> assertThat(r.get("track").asText()).contains("/album/"));
    assertThat(FeaturesCommandTest.run("query", query.toString(), "--index", db.toString(), "--tempo-range", "fast").err())
        .contains("--tempo-range must be LO-HI");
  }

  @Test
  void aPartOfTheQueryFileIsQueriedWithStartAndSeconds() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    CollectionCommandsTest.drums(music.resolve("a.wav"), 100, 30, 1);
    Path db = tmp.resolve("s.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), 100, 75, 2);
    JsonNode doc = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(), "--start",
        "0:35", "--seconds", "25", "--json").out());
    assertThat(doc.get("queryExcerptList")).extracting(e -> e.get("startSeconds").asDouble()).containsExactly(35.0, 45.0);
    assertThat(QueryCommand.seconds("1:02:03.5")).isEqualTo(3723.5);
    JsonNode late = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--start", "70", "--json").out());
    assertThat(late.get("clipSeconds").asDouble()).as("the 5 s left make one clip").isCloseTo(5.0,
        org.assertj.core.data.Offset.offset(0.01));
    FeaturesCommandTest.Run tooLate = FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(), "--start", "72");
    assertThat(tooLate.exit()).isEqualTo(1);
    assertThat(tooLate.err()).contains("the part from 72.0 s holds 3.00 s of audio: too short");
    assertThat(FeaturesCommandTest.run("query", "--track", "1", "--index", db.toString(), "--start", "5").err())
        .contains("--start and --seconds take a part of FILE");
  }

  @Test
  void theCompletionScriptKnowsEveryCommandAndItsOptions() {
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("completion");
    assertThat(r.exit()).isZero();
    assertThat(r.out()).contains("complete -F").contains("relocate").contains("fit-projection").contains("--tempo-range")
        .contains("--exclude-same-folder");
  }

  @Test
  void scoresArePutInWordsOnTheScaleIndexSampledUntilTheIndexChanges() throws Exception {
    Path music = Files.createDirectories(tmp.resolve("music"));
    for (int i = 0; i < CollectionCommandsTest.TEMPI.length; i++) {
      CollectionCommandsTest.drums(music.resolve("song-" + i + ".wav"), CollectionCommandsTest.TEMPI[i], 24, i);
    }
    Path db = tmp.resolve("w.db");
    assertThat(FeaturesCommandTest.run("index", music.toString(), "--index", db.toString()).exit()).isZero();
    Path q = CollectionCommandsTest.drums(tmp.resolve("q.wav"), CollectionCommandsTest.TEMPI[1], 24, 77);
    JsonNode results = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    // the best match is the closest pair there is; the words agree with the percentile
    double p = results.get(0).get("percentile").asDouble();
    assertThat(p).isBetween(0.0, 1.0);
    assertThat(results.get(0).get("scoreInWords").asText()).matches("(very close|close|alike|a little alike|not alike): .*");
    for (int i = 1; i < results.size(); i++) {
      assertThat(results.get(i).get("percentile").asDouble()).isLessThanOrEqualTo(results.get(i - 1).get("percentile").asDouble());
    }
    assertThat(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString()).out()).containsPattern(
        "  1\\. [0-9.]+ [a-z ]+( \\(top \\d+ %\\))?\\s+song-1\\.wav");
    // the index changes (a track removed): the sampled scale no longer applies, and no words are given
    assertThat(FeaturesCommandTest.run("remove", music.resolve("song-0.wav").toString(), "--index", db.toString()).exit())
        .isZero();
    JsonNode after = Json.MAPPER.readTree(FeaturesCommandTest.run("query", q.toString(), "--index", db.toString(),
        "--json").out()).get("results");
    assertThat(after.get(0).has("scoreInWords")).isFalse();
  }

  private static FeaturesCommandTest.Run run(java.util.Map<String, String> env, String... args) {
    picocli.CommandLine cl = Main.commandLine(env);
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    cl.setOut(new java.io.PrintWriter(out));
    cl.setErr(new java.io.PrintWriter(err));
    int exit = cl.execute(args);
    return new FeaturesCommandTest.Run(exit, out.toString(), err.toString());
  }
}
