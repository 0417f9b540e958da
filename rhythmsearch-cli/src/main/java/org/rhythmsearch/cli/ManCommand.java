package org.rhythmsearch.cli;

import java.util.ArrayList;
import java.util.List;
import org.rhythmsearch.store.Stores;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * {@code rhythmsearch man}: the manual page rhythmsearch(1) in troff (man macros), generated from the
 * command model as {@code --help} and {@code completion} are: every command with its synopsis,
 * description, parameters, options and exit codes. (picocli-codegen writes AsciiDoc, which needs
 * Asciidoctor to become a man page; this writes the man page itself.)
 */
@Command(name = "man")
final class ManCommand extends Cmd {

  @Override
  public Integer call() throws Exception {
    out().print(page(Main.commandLine(java.util.Map.of()), Main.Version.text()));
    out().flush();
    return 0;
  }

  /** The page for the command line {@code root} (every subcommand) of version {@code version}. */
  static String page(CommandLine root, String version) {
    StringBuilder sb = new StringBuilder();
    sb.append(".TH RHYTHMSEARCH 1 \"\" \"").append(text(version)).append("\" \"User Commands\"\n");
    sb.append(".SH NAME\nrhythmsearch \\- find music with a similar rhythm\n");
    sb.append(".SH SYNOPSIS\n.B rhythmsearch\n.I COMMAND\n[\\fIOPTIONS\\fR] [\\fIARGUMENTS\\fR]\n");
    sb.append(".SH DESCRIPTION\n").append(text("Indexes audio files (10-s excerpts described by their onset "
        + "patterns and beat spectrum) and ranks the indexed tracks by rhythmic similarity to a query file or "
        + "track, from the command line or over HTTP (serve). Every command takes -h/--help, -V/--version, "
        + "-q/--quiet and -v/--verbose; --json writes one JSON document to standard output.")).append('\n');
    sb.append(".SH COMMANDS\n");
    List<CommandLine> commands = new ArrayList<>();
    for (CommandLine c : root.getSubcommands().values()) {
      if (c.getSubcommands().isEmpty()) {
        commands.add(c);
      } else {
        commands.addAll(c.getSubcommands().values());
      }
    }
    for (CommandLine c : commands) {
      if (c.getCommandName().equals("help")) {
        continue;
      }
      command(sb, c.getCommandSpec());
    }
    sb.append(".SH ENVIRONMENT\n");
    sb.append(".TP\n.B RHYTHMSEARCH_INDEX\n").append(text("The index when --index is left out.")).append('\n');
    sb.append(".TP\n.B ").append(Stores.PASSWORD_ENV).append('\n')
        .append(text("The password of a Redis index.")).append('\n');
    sb.append(".TP\n.B RHYTHMSEARCH_SIMD, RHYTHMSEARCH_CDS, RHYTHMSEARCH_LIGHT\n")
        .append(text("Launcher switches (0 or 1): the Vector API kernels, class-data sharing archives, the "
            + "light JVM settings of short commands.")).append('\n');
    sb.append(".SH FILES\n.TP\n.I ~/.config/rhythmsearch/config\n")
        .append(text("index = PATH: the index when --index and RHYTHMSEARCH_INDEX are left out "
            + "($XDG_CONFIG_HOME/rhythmsearch/config when that is set).")).append('\n');
    sb.append(".SH SEE ALSO\n").append(text("The README and docs/ of the project; rhythmsearch completion (bash "
        + "and zsh completion).")).append('\n');
    return sb.toString();
  }

  private static void command(StringBuilder sb, CommandSpec spec) {
    String name = spec.qualifiedName(" ");
    sb.append(".SS ").append(text(name)).append('\n');
    String synopsis = spec.commandLine().getHelp().synopsis(0).strip().replaceAll("\\s+", " ");
    sb.append(".nf\n").append(text(synopsis)).append("\n.fi\n");
    for (String d : spec.usageMessage().description()) {
      sb.append(".PP\n").append(text(d)).append('\n');
    }
    for (PositionalParamSpec p : spec.positionalParameters()) {
      if (p.hidden()) {
        continue;
      }
      sb.append(".TP\n.I ").append(text(p.paramLabel())).append('\n').append(text(String.join(" ", p.description())))
          .append('\n');
    }
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      sb.append(".TP\n.B ").append(text(String.join(", ", o.names())));
      if (o.arity().max() > 0 && !o.paramLabel().isEmpty()) {
        sb.append(" \\fI").append(text(o.paramLabel())).append("\\fR");
      }
      sb.append('\n').append(text(description(o))).append('\n');
    }
    String[] exits = exitCodes(spec);
    if (exits.length > 0) {
      sb.append(".PP\nExit codes:\n");
      for (String e : exits) {
        int colon = e.indexOf(':');
        sb.append(".TP\n.B ").append(text(e.substring(0, colon).strip())).append('\n')
            .append(text(e.substring(colon + 1).strip())).append('\n');
      }
    }
  }

  private static String[] exitCodes(CommandSpec spec) {
    List<String> out = new ArrayList<>();
    spec.usageMessage().exitCodeList().forEach((code, what) -> out.add(code + ":" + what));
    return out.toArray(String[]::new);
  }

  /** An option's description with picocli's variables (default values, candidates) filled in. */
  private static String description(OptionSpec o) {
    String d = String.join(" ", o.description());
    String def = o.defaultValueString();
    d = d.replace("${DEFAULT-VALUE}", def == null ? "" : def);
    StringBuilder candidates = new StringBuilder();
    if (o.completionCandidates() != null) {
      for (String c : o.completionCandidates()) {
        candidates.append(candidates.length() == 0 ? "" : ", ").append(c);
      }
    }
    return d.replace("${COMPLETION-CANDIDATES}", candidates);
  }

  /**
   * {@code s} as troff text: backslashes escaped, hyphens as minus signs (options stay typeable),
   * a line starting with a dot or quote protected, picocli's markup ({@code @|bold x|@}) dropped.
   */
  /** Characters outside ASCII as troff's Unicode escapes ({@code …} as {@code \[u2026]}), which every device renders. */
  static String nonAscii(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    s.codePoints().forEach(c -> {
      if (c < 128) {
        sb.appendCodePoint(c);
      } else {
        sb.append(String.format("\\[u%04X]", c));
      }
    });
    return sb.toString();
  }

  static String text(String s) {
    String plain = s.replaceAll("@\\|\\w+(,\\w+)* ([^|]*)\\|@", "$2").replace("%n", "\n");
    StringBuilder sb = new StringBuilder();
    for (String line : plain.split("\n", -1)) {
      String t = nonAscii(line.replace("\\", "\\e").replace("-", "\\-"));
      if (t.startsWith(".") || t.startsWith("'")) {
        t = "\\&" + t;
      }
      sb.append(sb.length() == 0 ? "" : "\n").append(t.isBlank() ? ".PP" : t);
    }
    return sb.toString();
  }
}
