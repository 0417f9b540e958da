package org.rhythmsearch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Issue 26, point 6: the man page is generated from the command model and is valid troff. */
class ManCommandTest {

  @TempDir Path tmp;

  @Test
  void everyCommandAndOptionIsOnThePage() {
    FeaturesCommandTest.Run r = FeaturesCommandTest.run("man");
    assertThat(r.exit()).isZero();
    String page = r.out();
    assertThat(page).startsWith(".TH RHYTHMSEARCH 1 ").contains(".SH NAME", ".SH SYNOPSIS", ".SH COMMANDS",
        ".SH ENVIRONMENT", "RHYTHMSEARCH_INDEX");
    CommandLine root = Main.commandLine();
    int options = 0;
    for (CommandLine c : root.getSubcommands().values()) {
      for (CommandLine leaf : c.getSubcommands().isEmpty() ? java.util.List.of(c) : c.getSubcommands().values()) {
        if (leaf.getCommandName().equals("help")) {
          continue;
        }
        assertThat(page).contains(".SS " + leaf.getCommandSpec().qualifiedName(" ").replace("-", "\\-"));
        for (CommandLine.Model.OptionSpec o : leaf.getCommandSpec().options()) {
          assertThat(page).contains(o.longestName().replace("-", "\\-"));
          options++;
        }
      }
    }
    assertThat(options).isGreaterThan(100);
    assertThat(page).as("exit codes are listed").contains("usage error");
    assertThat(page).doesNotContain("${DEFAULT-VALUE}").doesNotContain("@|");
  }

  @Test
  void troffTextIsEscaped() {
    assertThat(ManCommand.text(".starts with a dot")).isEqualTo("\\&.starts with a dot");
    assertThat(ManCommand.text("a\\b --opt")).isEqualTo("a\\eb \\-\\-opt");
    assertThat(ManCommand.text("line one%nline two")).isEqualTo("line one\nline two");
  }

  @Test
  void groffRendersThePageWithoutAWarning() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/groff")),
        "groff is not installed here (Debian: apt-get install groff-base)");
    Path page = Files.writeString(tmp.resolve("rhythmsearch.1"), FeaturesCommandTest.run("man").out());
    Process p = new ProcessBuilder("/usr/bin/groff", "-man", "-Tutf8", "-ww", page.toString())
        .redirectOutput(tmp.resolve("out.txt").toFile()).redirectError(tmp.resolve("err.txt").toFile()).start();
    assertThat(p.waitFor()).isZero();
    assertThat(Files.readString(tmp.resolve("err.txt"))).isEmpty();
    String shown = Files.readString(tmp.resolve("out.txt"), StandardCharsets.UTF_8).replaceAll(".\b", "");
    assertThat(shown).contains("rhythmsearch query").contains("--index");
  }
}
