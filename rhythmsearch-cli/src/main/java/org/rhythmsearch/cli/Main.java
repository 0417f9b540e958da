package org.rhythmsearch.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.rhythmsearch.audio.AudioDecodeException;
import org.rhythmsearch.store.SqliteNative;
import org.rhythmsearch.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code rhythmsearch} command. Exit codes: 0 ok, 1 some inputs failed (the rest were
 * processed), 2 usage error. {@code --json} writes one JSON document to stdout; human text and
 * progress go to stderr.
 */
@Command(name = "rhythmsearch",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    exitCodeListHeading = "%nExit codes:%n")
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** The subcommands, in the order help lists them (added by {@link #commandLine(Map, String)}). */
  private static final List<Class<?>> COMMANDS = List.of(IndexCommand.class, QueryCommand.class, RemoveCommand.class,
      RelocateCommand.class, DedupeCommand.class, PlaylistCommand.class, LsCommand.class, StatsCommand.class, CheckCommand.class, EvalCommand.class,
      EvalTracksCommand.class, EvalGroovesCommand.class, FitProjectionCommand.class, FeaturesCommand.class,
      PlotCommand.class, ServeCommand.class, InfoCommand.class, BenchCommand.class, CompletionCommand.class,
      ManCommand.class,
      CommandLine.HelpCommand.class);

  public static void main(String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      System.out.println(Version.text()); // nothing else to build: the quickest answer
      System.exit(0);
    }
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      String usage = Usage.cached();
      if (usage != null) { // the build's copy of this very text (UsageTest keeps them equal)
        System.out.print(usage);
        System.out.flush();
        System.exit(0);
      }
    }
    String cache = System.getProperty("rhythmsearch.cache");
    if (cache != null) {
      SqliteNative.useCacheIn(java.nio.file.Path.of(cache));
    }
    System.exit(commandLine(System.getenv(), args.length == 0 ? null : args[0]).execute(args));
  }

  /**
   * The top-level usage ({@code rhythmsearch --help}), which lists every command: building all their
   * models to print it took most of its 0.4 s, so the build writes it once ({@link #main}, at
   * process-classes) and {@code --help} prints that copy.
   */
  static final class Usage {
    static final String RESOURCE = "usage.txt";

    /** The usage as picocli prints it, without colours. */
    static String live() {
      java.io.StringWriter out = new java.io.StringWriter();
      CommandLine cl = commandLine(java.util.Map.of());
      cl.setOut(new PrintWriter(out));
      cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
      cl.execute("--help");
      return out.toString();
    }

    /** The build's copy, or null when there is none. */
    static String cached() {
      try (java.io.InputStream in = Main.class.getResourceAsStream(RESOURCE)) {
        return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return null;
      }
    }

    /** Writes the live usage to the file {@code args[0]} (run by the build). */
    public static void main(String[] args) throws java.io.IOException {
      java.nio.file.Files.writeString(java.nio.file.Path.of(args[0]), live());
    }
  }

  /** A configured command line (tests call {@code execute} on it). */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /** As {@link #commandLine()}, with the environment {@code env} (the default index: {@link IndexDefaults}). */
  static CommandLine commandLine(java.util.Map<String, String> env) {
    return commandLine(env, null);
  }

  /**
   * A command line with every subcommand, or, when {@code first} (the first argument) names one, with
   * that one only: building the model of all of them (annotations read by reflection) is most of the
   * start-up time of a short command.
   */
  static CommandLine commandLine(java.util.Map<String, String> env, String first) {
    CommandLine cl = new CommandLine(new Main());
    Class<?> only = first == null ? null : COMMANDS.stream()
        .filter(c -> c != CommandLine.HelpCommand.class && first.equals(c.getAnnotation(Command.class).name()))
        .findFirst().orElse(null); // help names the others: it gets them all
    for (Class<?> c : COMMANDS) {
      if (only == null || c == only) {
        cl.addSubcommand(c);
      }
    }
    cl.setDefaultValueProvider(new IndexDefaults(env));
    Options.registerConverters(cl);
    cl.setResourceBundle(java.util.ResourceBundle.getBundle("org.rhythmsearch.cli.Help"));
    cl.setParameterExceptionHandler((ex, args) -> {
      CommandLine cmd = ex.getCommandLine();
      PrintWriter err = cmd.getErr();
      String name = cmd.getCommandSpec().qualifiedName();
      err.println(name + ": " + usageMessage(ex));
      err.println("see `" + name + " --help`");
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
      PrintWriter err = cmd.getErr();
      if (ex instanceof StoreException) {
        err.println("rhythmsearch: " + ex.getMessage());
        err.flush();
        return 2;
      } else if (ex instanceof AudioDecodeException || ex instanceof java.io.IOException) {
        err.println("rhythmsearch: " + ex.getMessage());
      } else if (ex instanceof IllegalArgumentException) {
        err.println("rhythmsearch: " + ex.getMessage());
        return 2;
      } else {
        err.println("rhythmsearch: internal error: " + ex);
        ex.printStackTrace(err);
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  /**
   * The one line a usage error prints: an unknown command or option comes first (a missing required
   * option is often only its consequence) with picocli's nearest known names, else the exception's own.
   */
  static String usageMessage(CommandLine.ParameterException ex) {
    List<String> unmatched = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getUnmatched()
        : ex.getCommandLine().getParseResult() == null ? List.of() : ex.getCommandLine().getParseResult().unmatched();
    if (unmatched.isEmpty()) {
      if (ex instanceof CommandLine.MissingParameterException m
          && m.getMissing().stream().anyMatch(a -> a instanceof CommandLine.Model.OptionSpec o && "--index".equals(o.longestName()))) {
        return "no index given: use --index DB, or set $" + IndexDefaults.ENV + ", or write 'index = DB' in "
            + "~/.config/rhythmsearch/config";
      }
      return ex.getMessage();
    }
    String first = unmatched.get(0);
    boolean option = first.startsWith("-");
    String what = option ? "unknown option '" + first + "'"
        : ex.getCommandLine().getSubcommands().isEmpty() ? "unexpected argument '" + first + "'" : "unknown command '" + first + "'";
    List<String> near = ex instanceof CommandLine.UnmatchedArgumentException u ? u.getSuggestions() : List.of();
    if (near.isEmpty() && option) {
      String bare = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
      near = ex.getCommandLine().getCommandSpec().options().stream().flatMap(o -> java.util.Arrays.stream(o.names()))
          .filter(n -> n.startsWith("--") && editDistance(n, bare) <= 2).sorted().toList();
    }
    String typed = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
    near = near.stream().sorted(java.util.Comparator.comparingInt((String n) -> editDistance(n, typed))).toList();
    List<String> close = near.stream().filter(n -> editDistance(n, typed) <= Math.max(2, typed.length() / 3)).toList();
    near = close.isEmpty() ? near : close; // picocli also offers names that merely share letters
    return near.isEmpty() ? what : what + "; did you mean " + String.join(" or ", near.subList(0, Math.min(3, near.size()))) + "?";
  }

  /** Levenshtein distance (insertions, deletions, substitutions). */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {text()};
    }

    /** "rhythmsearch VERSION", the version from the build. */
    static String text() {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (java.io.IOException e) {
        // unknown
      }
      return "rhythmsearch " + p.getProperty("version", "(version unknown)");
    }
  }
}
