package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Usage errors, help and version: one clear line, not a wall of help. */
class UsageTest {

  @Test
  void aUsageErrorIsOneLineNamingTheProblemAndWhereHelpIs() {
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("query", "x.ogg", "--index", "i.db", "-k", "0");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err().strip().split("\n")).containsExactly(
        "rhythmsearch query: Invalid value for option '--top': must be >= 1, was 0",
        "see `rhythmsearch query --help`");
    FeaturesCommandTest.Run metric = FeaturesCommandTest.run("query", "x.ogg", "--index", "i.db", "--metric", "manhattan");
    assertThat(metric.exit()).isEqualTo(2);
    assertThat(metric.err()).startsWith("rhythmsearch query: Invalid value for option '--metric': unknown metric 'manhattan'");
    FeaturesCommandTest.Run both = FeaturesCommandTest.run("query", "x.ogg", "--track", "1", "--index", "i.db");
    assertThat(both.exit()).isEqualTo(2);
    assertThat(both.err()).contains("mutually exclusive").doesNotContain("Usage:");
  }

  @Test
  void targetRecallWithoutAnnIsRefused() {
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("index", "music", "--index", "i.db", "--target-recall", "0.9");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("rhythmsearch index: --target-recall needs --ann");
  }

  @Test
  void aCommandNamedFirstIsBuiltAloneAndBehavesTheSame() {
    assertThat(Main.commandLine(java.util.Map.of(), "stats").getSubcommands()).containsOnlyKeys("stats");
    assertThat(Main.commandLine(java.util.Map.of(), "help").getSubcommands()).containsKeys("help", "query", "index", "stats");
    assertThat(Main.commandLine(java.util.Map.of(), "querry").getSubcommands()).containsKeys("query", "serve");
    picocli.CommandLine alone = Main.commandLine(java.util.Map.of(), "query");
    java.io.StringWriter err = new java.io.StringWriter();
    alone.setErr(new java.io.PrintWriter(err));
    assertThat(alone.execute("query", "--indx", "a.db", "x.ogg")).isEqualTo(2);
    assertThat(err.toString()).startsWith("rhythmsearch query: unknown option '--indx'; did you mean --index?");
  }

  @Test
  void versionIsTheBuildsVersion() {
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("--version");
    assertThat(r.exit()).isZero();
    assertThat(r.out().strip()).matches("rhythmsearch \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void theBuildsCopyOfTheTopLevelUsageIsTheLiveOneAndNamesEveryCommand() {
    String cached = Main.Usage.cached();
    assertThat(cached).as("written by the build (process-classes)").isNotNull();
    assertThat(cached).isEqualTo(Main.Usage.live());
    for (String name : Main.commandLine().getSubcommands().keySet()) {
      assertThat(cached).contains("  " + name + " ");
    }
  }

  @Test
  void aCommandCanTellWhetherAnOptionalLibraryIsThere() {
    assertThat(Cmd.onClasspath("org.apache.lucene.index.IndexWriter")).as("the source tree has the baselines").isTrue();
    assertThat(Cmd.onClasspath("org.rhythmsearch.no.Such")).isFalse();
  }

  @Test
  void helpTextsHaveNoRawPlaceholders() {
    for (String cmd : new String[] {"index", "query", "remove", "relocate", "dedupe", "playlist", "man", "completion", "ls", "stats", "eval", "eval-tracks", "eval-grooves", "fit-projection", "features",
        "info",
        "bench extract", "bench exact", "bench load", "bench index", "bench kernels"}) {
      String[] args = (cmd + " --help").split(" ");
      FeaturesCommandTest.Run r = FeaturesCommandTest.run(args);
      assertThat(r.exit()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).contains("Usage: rhythmsearch " + cmd).contains("--version")
          .doesNotContain("${").doesNotContain("%n").doesNotContainPattern("<[A-Za-z]");
    }
  }
}
